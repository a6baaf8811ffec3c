package org.jdnn.spi;

/** Reductions over a set of axes. */
public enum ReduceOp { SUM, MEAN, MAX }

package org.jdnn.spi;

/** Element-wise functions of two tensors under broadcasting, or of a tensor and a scalar. */
public enum BinaryOp { ADD, SUB, MUL, DIV, MAX, MIN, POW }

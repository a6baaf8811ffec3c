package org.jdnn.train;

/** Mean loss and top-1 accuracy over a dataset. */
public record Evaluation(double loss, double accuracy, int count) {}

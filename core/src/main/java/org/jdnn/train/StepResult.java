package org.jdnn.train;

/**
 * One optimisation step: its position, the batch loss, and the throughput so far in the epoch.
 *
 * @param epoch 0-based epoch
 * @param step 1-based step within the epoch
 * @param globalStep 1-based step since the start of training
 */
public record StepResult(int epoch, int step, int stepsPerEpoch, long globalStep, double loss,
    int batchSize, double imagesPerSecond, double lr) {}

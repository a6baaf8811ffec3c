package org.jdnn.train;

/**
 * One epoch: training loss and accuracy (averaged over its batches, in training mode), test
 * evaluation (null without a test set), throughput and duration.
 *
 * @param epoch 0-based epoch
 */
public record EpochResult(int epoch, int epochs, long globalStep, double trainLoss, double trainAccuracy,
    Evaluation test, double imagesPerSecond, double seconds, double lr) {}

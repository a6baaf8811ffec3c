package org.jdnn.train;

/** Callbacks from {@link Trainer#fit}: progress bars, metric logs, checkpoints. */
public interface TrainListener {
  default void onEpochStart(int epoch, int epochs, int steps) {}

  /** After each optimisation step. */
  default void onStep(StepResult step) {}

  /** After each epoch's training and evaluation. */
  default void onEpochEnd(EpochResult epoch) {}
}

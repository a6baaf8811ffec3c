package org.jdnn.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jdnn.train.EpochResult;
import org.jdnn.train.StepResult;
import org.jdnn.train.TrainListener;

/**
 * Shows training progress: a progress bar per epoch (loss, images/s, ETA) on standard error when
 * it is a terminal, or else a plain line every tenth of an epoch; and one summary line per epoch.
 */
final class ProgressListener implements TrainListener {
  private final PrintWriter out;
  private final boolean bar;
  private ProgressBar progress;
  private int reportEvery;

  ProgressListener(PrintWriter out, boolean bar) {
    this.out = out;
    this.bar = bar;
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    reportEvery = Math.max(1, steps / 10);
    if (bar) {
      progress = new ProgressBarBuilder()
          .setTaskName(String.format("epoch %d/%d", epoch + 1, epochs))
          .setInitialMax(steps)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .build();
    }
  }

  @Override
  public void onStep(StepResult s) {
    String extra = String.format("loss %.4f, %,.0f img/s", s.loss(), s.imagesPerSecond());
    if (progress != null) {
      progress.stepTo(s.step());
      progress.setExtraMessage(extra);
    } else if (s.step() % reportEvery == 0 || s.step() == s.stepsPerEpoch()) {
      double eta = (s.stepsPerEpoch() - s.step()) * s.batchSize() / Math.max(1e-9, s.imagesPerSecond());
      out.printf("epoch %d  step %d/%d  %s  eta %.0f s%n", s.epoch() + 1, s.step(), s.stepsPerEpoch(), extra, eta);
    }
  }

  @Override
  public void onEpochEnd(EpochResult e) {
    if (progress != null) {
      progress.close();
      progress = null;
    }
    String test = e.test() == null ? "" : String.format("  test loss %.4f acc %.2f%%", e.test().loss(), 100 * e.test().accuracy());
    out.printf("epoch %d/%d  train loss %.4f acc %.2f%%%s  %,.0f img/s  %.1f s%n", e.epoch() + 1, e.epochs(),
        e.trainLoss(), 100 * e.trainAccuracy(), test, e.imagesPerSecond(), e.seconds());
  }
}

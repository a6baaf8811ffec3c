package org.jdnn.optim;

import org.jdnn.util.Check;

/**
 * A learning rate per epoch, from the optimizer's base rate, with the closed forms of PyTorch's
 * per-epoch schedulers ({@code torch.optim.lr_scheduler}); {@code Trainer} applies it at the start of
 * each epoch, so epoch {@code e} (0-based) trains with {@code lr(e, base)}.
 */
@FunctionalInterface
public interface LrScheduler {
  double lr(int epoch, double baseLr);

  /** The base rate throughout. */
  static LrScheduler constant() {
    return (epoch, base) -> base;
  }

  /** {@code StepLR}: {@code base * gamma^floor(epoch / stepSize)}. */
  static LrScheduler step(int stepSize, double gamma) {
    Check.arg(stepSize > 0, "StepLR: step_size must be positive; received %s", stepSize);
    Check.arg(gamma > 0, "StepLR: gamma must be positive; received %s", gamma);
    return (epoch, base) -> base * Math.pow(gamma, epoch / stepSize);
  }

  /**
   * {@code CosineAnnealingLR}: {@code etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2},
   * from the base rate at epoch 0 towards {@code etaMin} at epoch {@code tMax}.
   */
  static LrScheduler cosine(int tMax, double etaMin) {
    Check.arg(tMax > 0, "CosineAnnealingLR: T_max must be positive; received %s", tMax);
    return (epoch, base) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
  }
}

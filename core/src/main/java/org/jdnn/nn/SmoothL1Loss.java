package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Smooth L1 loss, as {@code torch.nn.SmoothL1Loss} (Girshick 2015, Fast R-CNN): with
 * {@code d = x - t}, {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}
 * (default beta 1; beta 0 is L1). Input and target of one shape.
 */
public final class SmoothL1Loss implements Loss {
  private final double beta;
  private final Reduction reduction;

  public SmoothL1Loss() {
    this(1.0, Reduction.MEAN);
  }

  public SmoothL1Loss(double beta, Reduction reduction) {
    Check.arg(beta >= 0 && Double.isFinite(beta), "SmoothL1Loss: beta must be finite and >= 0; received %s", beta);
    this.beta = beta;
    this.reduction = LossArgs.notNull("SmoothL1Loss", reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Losses.smoothL1Loss(input, target, beta, reduction);
  }
}

package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;

/**
 * Mean squared error {@code (x - t)^2}, as {@code torch.nn.MSELoss}: input and target of one
 * shape (jdnn does not broadcast a target of another shape, which PyTorch only warns about).
 */
public final class MSELoss implements Loss {
  private final Reduction reduction;

  public MSELoss() {
    this(Reduction.MEAN);
  }

  public MSELoss(Reduction reduction) {
    this.reduction = LossArgs.notNull("MSELoss", reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Losses.mseLoss(input, target, reduction);
  }
}

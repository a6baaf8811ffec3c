package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;

/**
 * Mean absolute error {@code |x - t|}, as {@code torch.nn.L1Loss}: input and target of one
 * shape (jdnn does not broadcast a target of another shape, which PyTorch only warns about).
 */
public final class L1Loss implements Loss {
  private final Reduction reduction;

  public L1Loss() {
    this(Reduction.MEAN);
  }

  public L1Loss(Reduction reduction) {
    this.reduction = LossArgs.notNull("L1Loss", reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Losses.l1Loss(input, target, reduction);
  }
}

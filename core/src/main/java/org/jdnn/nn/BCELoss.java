package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities, as {@code torch.nn.BCELoss}: input and target of one
 * shape, both in [0, 1]; logs clamped at -100 as PyTorch. Prefer {@link BCEWithLogitsLoss} on
 * logits, which is numerically stable. Formula:
 * {@link Losses#binaryCrossEntropy(Tensor, Tensor, Tensor, Reduction)}.
 */
public final class BCELoss implements Loss {
  private final Tensor weight;
  private final Reduction reduction;

  /** Mean, no weight. */
  public BCELoss() {
    this(null, Reduction.MEAN);
  }

  /** @param weight broadcastable to the input's shape (a rescaling per element), or null */
  public BCELoss(Tensor weight, Reduction reduction) {
    this.weight = LossArgs.floatingOrNull("BCELoss", "weight", weight);
    this.reduction = LossArgs.notNull("BCELoss", reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Losses.binaryCrossEntropy(input, target, LossArgs.like(weight, input), reduction);
  }
}

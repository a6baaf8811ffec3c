package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;

/**
 * Binary cross-entropy of logits, sigmoid included and computed stably, as
 * {@code torch.nn.BCEWithLogitsLoss}: input and target of one shape, target in [0, 1]. Optional
 * {@code weight} and {@code posWeight} (the weight of positives, e.g. per class {@code (C)} for
 * an {@code (N, C)} multi-label input) broadcast to the input's shape. Formula:
 * {@link Losses#binaryCrossEntropyWithLogits(Tensor, Tensor, Tensor, Tensor, Reduction)}.
 */
public final class BCEWithLogitsLoss implements Loss {
  private final Tensor weight;
  private final Tensor posWeight;
  private final Reduction reduction;

  /** Mean, no weights. */
  public BCEWithLogitsLoss() {
    this(null, null, Reduction.MEAN);
  }

  public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
    this.weight = LossArgs.floatingOrNull("BCEWithLogitsLoss", "weight", weight);
    this.posWeight = LossArgs.floatingOrNull("BCEWithLogitsLoss", "pos_weight", posWeight);
    this.reduction = LossArgs.notNull("BCEWithLogitsLoss", reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Losses.binaryCrossEntropyWithLogits(input, target, LossArgs.like(weight, input),
        LossArgs.like(posWeight, input), reduction);
  }
}

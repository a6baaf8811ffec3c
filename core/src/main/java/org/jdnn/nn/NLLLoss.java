package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Negative log-likelihood of log-probabilities (the output of {@link LogSoftmax} over axis 1)
 * against class indices, as {@code torch.nn.NLLLoss}: shapes, {@code weight}, {@code ignoreIndex}
 * and reductions as {@link CrossEntropyLoss}, which is {@code NLLLoss} after a log-softmax.
 */
public final class NLLLoss implements Loss {
  private final Tensor weight;
  private final long ignoreIndex;
  private final Reduction reduction;

  /** Mean, no weights, ignore index -100. */
  public NLLLoss() {
    this(null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
  }

  /** @param weight per-class weights {@code (C)}, or null */
  public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
    Check.arg(weight == null || weight.rank() == 1,
        "NLLLoss: weight must be a vector (C) of per-class weights; received shape %s",
        weight == null ? null : weight.shape());
    this.weight = LossArgs.floatingOrNull("NLLLoss", "weight", weight);
    this.ignoreIndex = ignoreIndex;
    this.reduction = LossArgs.notNull("NLLLoss", reduction);
  }

  @Override
  public Tensor forward(Tensor logProbs, Tensor target) {
    return Losses.nllLoss(logProbs, target, LossArgs.like(weight, logProbs), ignoreIndex, reduction);
  }
}

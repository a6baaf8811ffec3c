package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Softmax cross-entropy against class indices, as {@code torch.nn.CrossEntropyLoss}: input logits
 * {@code (N, C)}, {@code (N, C, d1..dk)} for segmentation, or {@code (C)}; target class indices
 * {@code (N)}, {@code (N, d1..dk)} or a scalar (I64, I32 or U8) in {@code [0, C)} or equal to
 * {@code ignoreIndex}. The default, {@code new CrossEntropyLoss()}, is the batch mean.
 *
 * <p>Options, PyTorch's: per-class {@code weight (C)} (the mean then divides by the summed weights
 * of the targets, not by their count), {@code ignoreIndex} (default -100; such positions add
 * nothing and are not counted), {@code labelSmoothing} in [0, 1] (the target becomes
 * {@code (1 - ls)} one-hot plus {@code ls/C} everywhere), and the {@link Reduction}. Formula:
 * {@link Losses#crossEntropy(Tensor, Tensor, Tensor, long, double, Reduction)}.
 *
 * <pre>{@code
 * Loss loss = new CrossEntropyLoss();
 * Loss seg = CrossEntropyLoss.builder().weight(Tensor.of(new float[] {0.2f, 1, 1}, 3)).ignoreIndex(255)
 *     .labelSmoothing(0.1).build();
 * }</pre>
 */
public final class CrossEntropyLoss implements Loss {
  private final Tensor weight;
  private final long ignoreIndex;
  private final double labelSmoothing;
  private final Reduction reduction;

  /** Mean over the batch, no weights, ignore index -100, no smoothing. */
  public CrossEntropyLoss() {
    this(builder());
  }

  private CrossEntropyLoss(Builder b) {
    Check.arg(b.labelSmoothing >= 0 && b.labelSmoothing <= 1,
        "CrossEntropyLoss: label_smoothing must be in [0, 1]; received %s", b.labelSmoothing);
    Check.arg(b.weight == null || b.weight.rank() == 1,
        "CrossEntropyLoss: weight must be a vector (C) of per-class weights; received shape %s",
        b.weight == null ? null : b.weight.shape());
    this.weight = LossArgs.floatingOrNull("CrossEntropyLoss", "weight", b.weight);
    this.ignoreIndex = b.ignoreIndex;
    this.labelSmoothing = b.labelSmoothing;
    this.reduction = LossArgs.notNull("CrossEntropyLoss", b.reduction);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Tensor forward(Tensor logits, Tensor target) {
    return Losses.crossEntropy(logits, target, LossArgs.like(weight, logits), ignoreIndex, labelSmoothing, reduction);
  }

  /** Optional arguments with PyTorch's defaults. */
  public static final class Builder {
    private Tensor weight;
    private long ignoreIndex = Losses.DEFAULT_IGNORE_INDEX;
    private double labelSmoothing;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    /** Per-class weights {@code (C)}. */
    public Builder weight(Tensor w) {
      weight = w;
      return this;
    }

    public Builder ignoreIndex(long index) {
      ignoreIndex = index;
      return this;
    }

    public Builder labelSmoothing(double ls) {
      labelSmoothing = ls;
      return this;
    }

    public Builder reduction(Reduction r) {
      reduction = r;
      return this;
    }

    public CrossEntropyLoss build() {
      return new CrossEntropyLoss(this);
    }
  }
}

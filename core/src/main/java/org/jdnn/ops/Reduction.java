package org.jdnn.ops;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
  /** The mean (for class-index losses with weights: the weighted mean, see each loss). */
  MEAN,
  /** The sum. */
  SUM,
  /** No reduction: one value per element (per sample and position, or per class for Dice). */
  NONE;

  /** {@code mean}, {@code sum}, {@code none}: PyTorch's spelling, for messages and reprs. */
  public String pytorchName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

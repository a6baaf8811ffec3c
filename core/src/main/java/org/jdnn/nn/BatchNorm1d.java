package org.jdnn.nn;

import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;

/**
 * Batch normalisation over {@code (N, C)} or {@code (N, C, L)}, as {@code torch.nn.BatchNorm1d}:
 * statistics per channel over N (and L).
 *
 * <p>Shape: output as input, (N, C) or (N, C, L). State and modes: {@link BatchNormNd}.
 *
 * <pre>{@code
 * BatchNorm1d bn = new BatchNorm1d(64);
 * // cumulative moving average of the statistics, no weight and bias:
 * BatchNorm1d plain = new BatchNorm1d(64, BatchNormNd.options().momentum(null).affine(false));
 * }</pre>
 */
public final class BatchNorm1d extends BatchNormNd {
  /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm1d(int numFeatures) {
    this(numFeatures, options());
  }

  public BatchNorm1d(int numFeatures, Options options) {
    super(numFeatures, options);
  }

  @Override
  protected void checkRank(Shape input) {
    Check.shape(input.rank() == 2 || input.rank() == 3,
        "BatchNorm1d: expected a 2-d or 3-d input (N, C) or (N, C, L); received shape %s", input);
  }
}

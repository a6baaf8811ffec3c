package org.jdnn.nn;

import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;

/**
 * Batch normalisation over {@code (N, C, H, W)}, as {@code torch.nn.BatchNorm2d}: statistics per channel over
 * N, H and W.
 *
 * <p>Shape: output as input, (N, C, H, W). State and modes: {@link BatchNormNd}.
 *
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(64);
 * // cumulative moving average of the statistics, no weight and bias:
 * BatchNorm2d plain = new BatchNorm2d(64, BatchNormNd.options().momentum(null).affine(false));
 * }</pre>
 */
public final class BatchNorm2d extends BatchNormNd {
  /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm2d(int numFeatures) {
    this(numFeatures, options());
  }

  public BatchNorm2d(int numFeatures, Options options) {
    super(numFeatures, options);
  }

  @Override
  protected void checkRank(Shape input) {
    Check.shape(input.rank() == 4, "BatchNorm2d: expected a 4-d input (N, C, H, W); received shape %s", input);
  }
}

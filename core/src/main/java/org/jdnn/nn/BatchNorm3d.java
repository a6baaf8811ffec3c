package org.jdnn.nn;

import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;

/**
 * Batch normalisation over {@code (N, C, D, H, W)}, as {@code torch.nn.BatchNorm3d}: statistics per channel
 * over N, D, H and W.
 *
 * <p>Shape: output as input, (N, C, D, H, W). State and modes: {@link BatchNormNd}.
 *
 * <pre>{@code
 * BatchNorm3d bn = new BatchNorm3d(64);
 * // cumulative moving average of the statistics, no weight and bias:
 * BatchNorm3d plain = new BatchNorm3d(64, BatchNormNd.options().momentum(null).affine(false));
 * }</pre>
 */
public final class BatchNorm3d extends BatchNormNd {
  /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm3d(int numFeatures) {
    this(numFeatures, options());
  }

  public BatchNorm3d(int numFeatures, Options options) {
    super(numFeatures, options);
  }

  @Override
  protected void checkRank(Shape input) {
    Check.shape(input.rank() == 5, "BatchNorm3d: expected a 5-d input (N, C, D, H, W); received shape %s", input);
  }
}

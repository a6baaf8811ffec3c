package org.jdnn.nn;

import org.jdnn.spi.PoolGeometry;

/**
 * 2-d average pooling, as {@code torch.nn.AvgPool2d}; with {@code countIncludePad} (the default)
 * padded zeros count in the divisor.
 */
public final class AvgPool2d extends PoolNd {
  /** Window {@code k x k}, stride {@code k}, no padding. */
  public AvgPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public AvgPool2d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, false, true);
  }

  public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
    super(countIncludePad ? PoolGeometry.Mode.AVG_INCLUDE_PAD : PoolGeometry.Mode.AVG_EXCLUDE_PAD,
        repeat(kernelSize, 2), repeat(stride, 2), repeat(padding, 2), repeat(1, 2), ceilMode);
  }
}

package org.jdnn.nn;

import org.jdnn.spi.PoolGeometry;

/** 1-d average pooling over {@code (N, C, L)}, as {@code torch.nn.AvgPool1d}; see {@link AvgPool2d}. */
public final class AvgPool1d extends PoolNd {
  /** Window {@code k}, stride {@code k}, no padding. */
  public AvgPool1d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public AvgPool1d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, false, true);
  }

  public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
    super(countIncludePad ? PoolGeometry.Mode.AVG_INCLUDE_PAD : PoolGeometry.Mode.AVG_EXCLUDE_PAD,
        repeat(kernelSize, 1), repeat(stride, 1), repeat(padding, 1), repeat(1, 1), ceilMode);
  }
}

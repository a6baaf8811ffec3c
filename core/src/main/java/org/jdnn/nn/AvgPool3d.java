package org.jdnn.nn;

import org.jdnn.spi.PoolGeometry;

/** 3-d average pooling over {@code (N, C, D, H, W)}, as {@code torch.nn.AvgPool3d}; see {@link AvgPool2d}. */
public final class AvgPool3d extends PoolNd {
  /** Window {@code k}, stride {@code k}, no padding. */
  public AvgPool3d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public AvgPool3d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, false, true);
  }

  public AvgPool3d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
    super(countIncludePad ? PoolGeometry.Mode.AVG_INCLUDE_PAD : PoolGeometry.Mode.AVG_EXCLUDE_PAD,
        repeat(kernelSize, 3), repeat(stride, 3), repeat(padding, 3), repeat(1, 3), ceilMode);
  }
}

package org.jdnn.nn;

/** 3-d max pooling over {@code (N, C, D, H, W)}, as {@code torch.nn.MaxPool3d}; see {@link MaxPool2d}. */
public final class MaxPool3d extends MaxPoolNd {
  /** Window {@code k}, stride {@code k}, no padding. */
  public MaxPool3d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxPool3d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, 1, false);
  }

  public MaxPool3d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
    super(repeat(kernelSize, 3), repeat(stride, 3), repeat(padding, 3), repeat(dilation, 3), ceilMode);
  }
}

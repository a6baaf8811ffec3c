package org.jdnn.nn;

/** 1-d max pooling over {@code (N, C, L)}, as {@code torch.nn.MaxPool1d}; see {@link MaxPool2d}. */
public final class MaxPool1d extends MaxPoolNd {
  /** Window {@code k}, stride {@code k}, no padding. */
  public MaxPool1d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxPool1d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, 1, false);
  }

  public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
    super(repeat(kernelSize, 1), repeat(stride, 1), repeat(padding, 1), repeat(dilation, 1), ceilMode);
  }
}

package org.jdnn.nn;

/** 1-d max unpooling, as {@code torch.nn.MaxUnpool1d}; see {@link MaxUnpoolNd}. */
public final class MaxUnpool1d extends MaxUnpoolNd {
  /** Stride = kernel, no padding. */
  public MaxUnpool1d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxUnpool1d(int kernelSize, int stride, int padding) {
    super(1, kernelSize, stride, padding);
  }
}

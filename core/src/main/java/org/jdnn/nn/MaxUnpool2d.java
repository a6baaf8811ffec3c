package org.jdnn.nn;

/** 2-d max unpooling, as {@code torch.nn.MaxUnpool2d}; see {@link MaxUnpoolNd}. */
public final class MaxUnpool2d extends MaxUnpoolNd {
  /** Stride = kernel, no padding. */
  public MaxUnpool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxUnpool2d(int kernelSize, int stride, int padding) {
    super(2, kernelSize, stride, padding);
  }
}

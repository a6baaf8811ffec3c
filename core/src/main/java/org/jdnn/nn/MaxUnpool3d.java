package org.jdnn.nn;

/** 3-d max unpooling, as {@code torch.nn.MaxUnpool3d}; see {@link MaxUnpoolNd}. */
public final class MaxUnpool3d extends MaxUnpoolNd {
  /** Stride = kernel, no padding. */
  public MaxUnpool3d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxUnpool3d(int kernelSize, int stride, int padding) {
    super(3, kernelSize, stride, padding);
  }
}

package org.jdnn.nn;

import org.jdnn.spi.PoolGeometry;

/**
 * 2-d max pooling, as {@code torch.nn.MaxPool2d}. The gradient goes to the first maximum of each
 * window.
 *
 * <p>Shape: {@code H_out = floor((H + 2*padding - dilation*(kernel-1) - 1) / stride) + 1}
 * (ceil in ceil mode), likewise W.
 */
public final class MaxPool2d extends PoolNd {
  /** Window {@code k x k}, stride {@code k}, no padding. */
  public MaxPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxPool2d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, 1, false);
  }

  public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
    super(PoolGeometry.Mode.MAX, repeat(kernelSize, 2), repeat(stride, 2), repeat(padding, 2), repeat(dilation, 2), ceilMode);
  }
}

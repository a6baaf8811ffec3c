package org.jdnn.nn;

/**
 * 2-d max pooling, as {@code torch.nn.MaxPool2d}. The gradient goes to the first maximum of each
 * window.
 *
 * <p>Shape: {@code H_out = floor((H + 2*padding - dilation*(kernel-1) - 1) / stride) + 1}
 * (ceil in ceil mode, with the last window starting inside the input), likewise W.
 */
public final class MaxPool2d extends MaxPoolNd {
  /** Window {@code k x k}, stride {@code k}, no padding. */
  public MaxPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxPool2d(int kernelSize, int stride, int padding) {
    this(kernelSize, stride, padding, 1, false);
  }

  public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
    this(repeat(kernelSize, 2), repeat(stride, 2), repeat(padding, 2), repeat(dilation, 2), ceilMode);
  }

  /** Per-axis sizes {@code (h, w)}. */
  public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    super(kernelSize, stride, padding, dilation, ceilMode);
  }
}

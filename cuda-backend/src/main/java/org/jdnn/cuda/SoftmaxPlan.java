package org.jdnn.cuda;

import org.jdnn.tensor.Shape;

/**
 * Softmax along {@code axis} as cuDNN sees it: the tensor is {@code (outer, axis, inner)} (the
 * SPI's view), given to cuDNN as the 4-d tensor {@code (N=outer, C=axis, H=inner, W=1)} with
 * {@code CUDNN_SOFTMAX_MODE_CHANNEL}, which normalises over C for every (N, H, W).
 */
public record SoftmaxPlan(int outer, int len, int inner) {
  /** cudnnSoftmaxMode_t CUDNN_SOFTMAX_MODE_CHANNEL. */
  static final int MODE_CHANNEL = 1;
  /** cudnnSoftmaxAlgorithm_t: ACCURATE subtracts the maximum first; LOG gives log-softmax. */
  static final int ALGO_ACCURATE = 1;
  static final int ALGO_LOG = 2;

  public static SoftmaxPlan of(Shape s, int axis) {
    long outer = s.numel(0, axis);
    long inner = s.numel(axis + 1, s.rank());
    if (outer > Integer.MAX_VALUE || inner > Integer.MAX_VALUE) {
      throw new UnsupportedOperationException("cuda softmax: the tensor " + s + " seen as (outer, axis, inner) = ("
          + outer + ", " + s.dim(axis) + ", " + inner + ") has a side over 2^31-1, more than a cuDNN tensor holds");
    }
    return new SoftmaxPlan((int) outer, s.dim(axis), (int) inner);
  }

  public int[] dims() {
    return new int[] {outer, len, inner, 1};
  }

  public static int algorithm(boolean log) {
    return log ? ALGO_LOG : ALGO_ACCURATE;
  }
}

package org.jdnn.cpu;

import org.jdnn.tensor.Shape;

/**
 * F32 kernels of the data-movement primitives on plain arrays: contiguous runs move with
 * {@link System#arraycopy}, so a crop or a concatenation of feature maps costs a memory copy.
 */
final class CpuMovement {
  private CpuMovement() {}

  /**
   * Copies between the window {@code [start, start + len)} along an axis of a tensor of shape
   * {@code big} and a tensor holding just that window: {@code outer} runs of {@code len * inner}
   * contiguous elements.
   */
  static void window(float[] big, int bigOff, Shape bigShape, int axis, int start, int len, float[] small,
      int smallOff, boolean toSmall) {
    int outer = (int) bigShape.numel(0, axis);
    int inner = (int) bigShape.numel(axis + 1, bigShape.rank());
    int bigRow = bigShape.dim(axis) * inner;
    int run = len * inner;
    for (int o = 0; o < outer; o++) {
      int b = bigOff + o * bigRow + start * inner;
      int s = smallOff + o * run;
      if (toSmall) System.arraycopy(big, b, small, s, run);
      else System.arraycopy(small, s, big, b, run);
    }
  }

  /**
   * {@code y = x.permute(axes)}. The innermost output axis is walked with the input stride of its
   * source axis; when that axis is also x's last, rows are contiguous copies.
   */
  static void permute(float[] x, int xOff, Shape xs, int[] axes, float[] y, int yOff) {
    int rank = xs.rank();
    long[] xStrides = xs.strides();
    int[] ydims = new int[rank];
    long[] srcStride = new long[rank];
    for (int i = 0; i < rank; i++) {
      ydims[i] = xs.dim(axes[i]);
      srcStride[i] = xStrides[axes[i]];
    }
    int last = ydims[rank - 1];
    int innerStride = (int) srcStride[rank - 1];
    int rows = (int) (xs.numel() / Math.max(1, last));
    int[] c = new int[rank];
    int dst = yOff;
    for (int r = 0; r < rows; r++) {
      long src = xOff;
      for (int a = 0; a < rank - 1; a++) src += c[a] * srcStride[a];
      if (innerStride == 1) {
        System.arraycopy(x, (int) src, y, dst, last);
      } else {
        for (int j = 0, s = (int) src; j < last; j++, s += innerStride) y[dst + j] = x[s];
      }
      dst += last;
      for (int a = rank - 2; a >= 0; a--) { // odometer over the outer output axes
        if (++c[a] < ydims[a]) break;
        c[a] = 0;
      }
    }
  }
}

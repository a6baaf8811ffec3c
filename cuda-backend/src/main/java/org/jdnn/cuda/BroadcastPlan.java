package org.jdnn.cuda;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.tensor.Shape;

/**
 * A broadcasting binary op as the {@code binary_*} kernel's {@code Bcast} argument: the output's
 * shape with axes of size 1 dropped and neighbouring axes merged wherever both operands walk them
 * contiguously (or both are broadcast along them), and each operand's element stride per axis (0
 * where it is broadcast). Merging keeps the kernel's index arithmetic short and bounds the rank.
 */
public record BroadcastPlan(long[] shape, long[] strideA, long[] strideB) {
  /** The kernels' {@code MAXR}. */
  public static final int MAX_RANK = 8;

  public static BroadcastPlan of(Shape out, Shape a, Shape b) {
    int rank = out.rank();
    long[] sa = strides(out, a);
    long[] sb = strides(out, b);
    List<long[]> axes = new ArrayList<>(); // {size, strideA, strideB}
    for (int i = 0; i < rank; i++) {
      if (out.dim(i) == 1) continue;
      long[] ax = {out.dim(i), sa[i], sb[i]};
      if (!axes.isEmpty()) {
        long[] prev = axes.get(axes.size() - 1);
        // prev (outer) and ax (inner) merge when prev's stride = ax's stride * ax's size, for both.
        if (prev[1] == ax[1] * ax[0] && prev[2] == ax[2] * ax[0]) {
          prev[0] *= ax[0];
          prev[1] = ax[1];
          prev[2] = ax[2];
          continue;
        }
      }
      axes.add(ax);
    }
    if (axes.isEmpty()) axes.add(new long[] {1, 0, 0});
    if (axes.size() > MAX_RANK) {
      throw new UnsupportedOperationException("cuda binary: broadcasting " + a + " with " + b + " to " + out
          + " needs " + axes.size() + " axes after merging; the kernel handles at most " + MAX_RANK);
    }
    long[] shape = new long[axes.size()];
    long[] ra = new long[axes.size()];
    long[] rb = new long[axes.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = axes.get(i)[0];
      ra[i] = axes.get(i)[1];
      rb[i] = axes.get(i)[2];
    }
    return new BroadcastPlan(shape, ra, rb);
  }

  /** {@code s}'s element strides aligned to {@code out}'s axes (missing leading axes and size-1 axes: 0). */
  static long[] strides(Shape out, Shape s) {
    int lead = out.rank() - s.rank();
    long[] st = new long[out.rank()];
    long acc = 1;
    for (int i = out.rank() - 1; i >= 0; i--) {
      if (i < lead) continue;
      int size = s.dim(i - lead);
      st[i] = size == 1 ? 0 : acc;
      acc *= size;
    }
    return st;
  }

  /** The kernel's {@code Bcast} struct: rank, then shape, strideA and strideB padded to MAX_RANK. */
  public long[] kernelStruct() {
    long[] p = new long[1 + 3 * MAX_RANK];
    p[0] = shape.length;
    System.arraycopy(shape, 0, p, 1, shape.length);
    System.arraycopy(strideA, 0, p, 1 + MAX_RANK, shape.length);
    System.arraycopy(strideB, 0, p, 1 + 2 * MAX_RANK, shape.length);
    return p;
  }

  /** The operands' element offsets for output element {@code i}, as the kernel computes them. */
  long[] offsets(long i) {
    long rem = i;
    long ia = 0;
    long ib = 0;
    for (int d = shape.length - 1; d >= 0; d--) {
      long c = rem % shape[d];
      rem /= shape[d];
      ia += c * strideA[d];
      ib += c * strideB[d];
    }
    return new long[] {ia, ib};
  }
}

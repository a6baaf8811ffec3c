package org.jdnn.cuda;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.tensor.Shape;

/**
 * A broadcasting op as the kernels' {@code Bcast} (two operands: {@code binary_*}) or
 * {@code Bcast3} (three: {@code where_*}) argument: the output's shape with axes of size 1 dropped
 * and neighbouring axes merged wherever every operand walks them contiguously (or is broadcast
 * along both), and each operand's element stride per axis (0 where it is broadcast). Merging keeps
 * the kernel's index arithmetic short and bounds the rank.
 *
 * @param shape the merged output axes
 * @param strides per operand, its element stride along each merged axis
 */
public record BroadcastPlan(long[] shape, long[][] strides) {
  /** The kernels' {@code MAXR}. */
  public static final int MAX_RANK = 8;

  /** The plan of {@code out = op(a, b)}. */
  public static BroadcastPlan of(Shape out, Shape a, Shape b) {
    return of("binary", out, a, b);
  }

  /** The plan of an op named {@code op} whose operands, each broadcast to {@code out}, are {@code operands}. */
  public static BroadcastPlan of(String op, Shape out, Shape... operands) {
    int rank = out.rank();
    int k = operands.length;
    long[][] st = new long[k][];
    for (int j = 0; j < k; j++) st[j] = strides(out, operands[j]);
    List<long[]> axes = new ArrayList<>(); // {size, stride of operand 0, ..., stride of operand k-1}
    for (int i = 0; i < rank; i++) {
      if (out.dim(i) == 1) continue;
      long[] ax = new long[1 + k];
      ax[0] = out.dim(i);
      for (int j = 0; j < k; j++) ax[1 + j] = st[j][i];
      if (!axes.isEmpty()) {
        long[] prev = axes.get(axes.size() - 1);
        // prev (outer) and ax (inner) merge when prev's stride = ax's stride * ax's size, for every operand.
        boolean merge = true;
        for (int j = 1; j <= k; j++) merge &= prev[j] == ax[j] * ax[0];
        if (merge) {
          prev[0] *= ax[0];
          System.arraycopy(ax, 1, prev, 1, k);
          continue;
        }
      }
      axes.add(ax);
    }
    if (axes.isEmpty()) { // every axis of size 1: one element
      long[] one = new long[1 + k];
      one[0] = 1;
      axes.add(one);
    }
    if (axes.size() > MAX_RANK) {
      StringBuilder with = new StringBuilder();
      for (Shape s : operands) with.append(with.length() == 0 ? "" : " with ").append(s);
      throw new UnsupportedOperationException("cuda " + op + ": broadcasting " + with + " to " + out + " needs "
          + axes.size() + " axes after merging; the kernel handles at most " + MAX_RANK);
    }
    long[] shape = new long[axes.size()];
    long[][] strides = new long[k][axes.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = axes.get(i)[0];
      for (int j = 0; j < k; j++) strides[j][i] = axes.get(i)[1 + j];
    }
    return new BroadcastPlan(shape, strides);
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

  public long[] strideA() {
    return strides[0];
  }

  public long[] strideB() {
    return strides[1];
  }

  /**
   * The kernel's struct: rank, then the shape and each operand's strides, each padded to
   * MAX_RANK ({@code Bcast}: 25 longs for two operands; {@code Bcast3}: 33 for three).
   */
  public long[] kernelStruct() {
    long[] p = new long[1 + (1 + strides.length) * MAX_RANK];
    p[0] = shape.length;
    System.arraycopy(shape, 0, p, 1, shape.length);
    for (int j = 0; j < strides.length; j++) System.arraycopy(strides[j], 0, p, 1 + (1 + j) * MAX_RANK, shape.length);
    return p;
  }

  /** The operands' element offsets for output element {@code i}, as the kernel computes them. */
  long[] offsets(long i) {
    long rem = i;
    long[] off = new long[strides.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      long c = rem % shape[d];
      rem /= shape[d];
      for (int j = 0; j < off.length; j++) off[j] += c * strides[j][d];
    }
    return off;
  }
}

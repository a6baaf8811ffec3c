package org.jdnn.cuda;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.tensor.Shape;

/**
 * {@code y = x.permute(axes)} as the {@code permute_*} kernels' {@code Perm} argument: the output's
 * shape with axes of size 1 dropped and neighbouring output axes merged where they are
 * neighbours in the input too, and per output axis the input's element stride. Each output element
 * gathers one input element.
 *
 * @param shape the merged output axes
 * @param stride the input's element stride along each of them
 */
public record PermutePlan(long[] shape, long[] stride) {
  public static final int MAX_RANK = BroadcastPlan.MAX_RANK;

  /** Checks that {@code axes} is a permutation of x's axes and plans it. */
  public static PermutePlan of(Shape x, int[] axes) {
    int rank = x.rank();
    if (axes == null || axes.length != rank) {
      throw new IllegalArgumentException("permute: axes must list each of the " + rank + " axes of " + x
          + " once; received " + java.util.Arrays.toString(axes));
    }
    boolean[] seen = new boolean[rank];
    for (int a : axes) {
      if (a < 0 || a >= rank || seen[a]) {
        throw new IllegalArgumentException("permute: axes must be a permutation of 0.." + (rank - 1) + " for " + x
            + "; received " + java.util.Arrays.toString(axes));
      }
      seen[a] = true;
    }
    long[] xStride = new long[rank];
    long acc = 1;
    for (int i = rank - 1; i >= 0; i--) {
      xStride[i] = acc;
      acc *= x.dim(i);
    }
    List<long[]> out = new ArrayList<>(); // {size, input stride}
    for (int a : axes) {
      if (x.dim(a) == 1) continue;
      long[] ax = {x.dim(a), xStride[a]};
      if (!out.isEmpty()) {
        long[] prev = out.get(out.size() - 1);
        if (prev[1] == ax[1] * ax[0]) { // prev is the next-outer input axis of ax: one run
          prev[0] *= ax[0];
          prev[1] = ax[1];
          continue;
        }
      }
      out.add(ax);
    }
    if (out.isEmpty()) out.add(new long[] {1, 0});
    if (out.size() > MAX_RANK) {
      throw new UnsupportedOperationException("cuda permute: " + x + " by " + java.util.Arrays.toString(axes)
          + " needs " + out.size() + " axes after merging; the kernel handles at most " + MAX_RANK);
    }
    long[] shape = new long[out.size()];
    long[] stride = new long[out.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = out.get(i)[0];
      stride[i] = out.get(i)[1];
    }
    return new PermutePlan(shape, stride);
  }

  /** The output shape {@code x.shape[axes[i]]}. */
  public static Shape outShape(Shape x, int[] axes) {
    int[] d = new int[axes.length];
    for (int i = 0; i < d.length; i++) d[i] = x.dim(axes[i]);
    return Shape.of(d);
  }

  /** The kernel's {@code Perm}: rank, then shape and stride padded to MAX_RANK (17 longs). */
  public long[] kernelStruct() {
    long[] p = new long[1 + 2 * MAX_RANK];
    p[0] = shape.length;
    System.arraycopy(shape, 0, p, 1, shape.length);
    System.arraycopy(stride, 0, p, 1 + MAX_RANK, shape.length);
    return p;
  }

  /** The input element output element {@code i} copies, as the kernel computes it. */
  long source(long i) {
    long rem = i;
    long src = 0;
    for (int d = shape.length - 1; d >= 0; d--) {
      src += (rem % shape[d]) * stride[d];
      rem /= shape[d];
    }
    return src;
  }
}

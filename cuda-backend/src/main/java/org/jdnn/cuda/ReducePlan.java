package org.jdnn.cuda;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.tensor.Shape;

/**
 * A reduction over {@code axes} as the {@code reduce_*} kernel's {@code Red} argument: the kept
 * axes (one block per output element) and the reduced axes (the block's loop), each with sizes and
 * input strides. Axes of size 1 are dropped and neighbouring axes of the same kind merged (the
 * input is contiguous, so that is always exact).
 */
public record ReducePlan(long[] kept, long[] keptStride, long[] red, long[] redStride, long redCount,
    long outCount) {
  public static final int MAX_RANK = BroadcastPlan.MAX_RANK;

  public static ReducePlan of(Shape x, int[] axes) {
    boolean[] reduced = new boolean[x.rank()];
    for (int a : axes) reduced[a] = true;
    long[] stride = new long[x.rank()];
    long acc = 1;
    for (int i = x.rank() - 1; i >= 0; i--) {
      stride[i] = acc;
      acc *= x.dim(i);
    }
    List<long[]> kept = new ArrayList<>();
    List<long[]> red = new ArrayList<>();
    Boolean lastKind = null;
    for (int i = 0; i < x.rank(); i++) {
      if (x.dim(i) == 1) continue;
      List<long[]> list = reduced[i] ? red : kept;
      if (lastKind != null && lastKind == reduced[i]) {
        long[] prev = list.get(list.size() - 1);
        prev[0] *= x.dim(i);
        prev[1] = stride[i];
      } else {
        list.add(new long[] {x.dim(i), stride[i]});
      }
      lastKind = reduced[i];
    }
    if (kept.size() > MAX_RANK || red.size() > MAX_RANK) {
      throw new UnsupportedOperationException("cuda reduce: " + x + " over axes " + java.util.Arrays.toString(axes)
          + " alternates kept and reduced axes more than " + MAX_RANK + " times");
    }
    long redCount = 1;
    for (long[] r : red) redCount *= r[0];
    long outCount = 1;
    for (long[] k : kept) outCount *= k[0];
    return new ReducePlan(col(kept, 0), col(kept, 1), col(red, 0), col(red, 1), redCount, outCount);
  }

  private static long[] col(List<long[]> l, int c) {
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = l.get(i)[c];
    return out;
  }

  /** The kernel's {@code Red} struct: keptRank, kept, keptStride, redRank, red, redStride, redCount, outCount. */
  public long[] kernelStruct() {
    long[] p = new long[4 + 4 * MAX_RANK];
    p[0] = kept.length;
    System.arraycopy(kept, 0, p, 1, kept.length);
    System.arraycopy(keptStride, 0, p, 1 + MAX_RANK, kept.length);
    p[1 + 2 * MAX_RANK] = red.length;
    System.arraycopy(red, 0, p, 2 + 2 * MAX_RANK, red.length);
    System.arraycopy(redStride, 0, p, 2 + 3 * MAX_RANK, red.length);
    p[2 + 4 * MAX_RANK] = redCount;
    p[3 + 4 * MAX_RANK] = outCount;
    return p;
  }

  /** Input offset of the {@code r}-th reduced element of output {@code o}, as the kernel computes it. */
  long offset(long o, long r) {
    long off = 0;
    long rem = o;
    for (int d = kept.length - 1; d >= 0; d--) {
      off += (rem % kept[d]) * keptStride[d];
      rem /= kept[d];
    }
    long rr = r;
    for (int d = red.length - 1; d >= 0; d--) {
      off += (rr % red[d]) * redStride[d];
      rr /= red[d];
    }
    return off;
  }
}

package org.jdnn.cuda;

import org.jdnn.spi.PadMode;
import org.jdnn.tensor.Shape;

/**
 * A pad of the last {@code k} axes as the {@code pad_*} and {@code pad_backward_*} kernels'
 * {@code Pad} argument: the tensor seen as {@code (outer, in[0], ..., in[k-1])}, the padded sizes
 * and the pads. {@link #of} checks what the kernels rely on: the pads are non-negative, reflect
 * pads are smaller than their axis (one mirror), circular pads at most their axis (one wrap), and
 * replicate and circular axes are not empty; so each input coordinate's copies are the ones
 * {@code pad_sources} in the kernels lists.
 *
 * @param mode the fill
 * @param outer the product of the axes in front of the padded ones
 * @param in, out the padded axes' sizes before and after padding
 * @param before, after the pads
 */
public record PadPlan(PadMode mode, long outer, long[] in, long[] out, long[] before, long[] after) {
  public static final int MAX_AXES = BroadcastPlan.MAX_RANK;

  public static PadPlan of(String op, PadMode mode, int[] before, int[] after, Shape x) {
    if (mode == null) throw new IllegalArgumentException(op + ": mode must not be null");
    if (before == null || after == null || before.length != after.length || before.length > x.rank()) {
      throw new IllegalArgumentException(op + ": before and after must name the same number of axes, at most the "
          + "rank " + x.rank() + " of " + x + "; received " + java.util.Arrays.toString(before) + " and "
          + java.util.Arrays.toString(after));
    }
    int k = before.length;
    if (k > MAX_AXES) {
      throw new UnsupportedOperationException("cuda " + op + ": padding " + k + " axes; the kernel pads at most "
          + MAX_AXES);
    }
    int lead = x.rank() - k;
    long[] in = new long[k];
    long[] out = new long[k];
    long[] b = new long[k];
    long[] e = new long[k];
    for (int i = 0; i < k; i++) {
      int size = x.dim(lead + i);
      if (before[i] < 0 || after[i] < 0) {
        throw new IllegalArgumentException(op + ": pads must be >= 0; received before " + java.util.Arrays.toString(before)
            + ", after " + java.util.Arrays.toString(after));
      }
      String axis = "axis " + (lead + i) + " of " + x + " (size " + size + ")";
      if (mode == PadMode.REFLECT && (before[i] >= size || after[i] >= size)) {
        throw new IllegalArgumentException(op + ": reflect pads must be smaller than the axis; " + axis + " has pads "
            + before[i] + " and " + after[i]);
      }
      if (mode == PadMode.CIRCULAR && (before[i] > size || after[i] > size)) {
        throw new IllegalArgumentException(op + ": circular pads must not exceed the axis; " + axis + " has pads "
            + before[i] + " and " + after[i]);
      }
      if ((mode == PadMode.CIRCULAR || mode == PadMode.REPLICATE) && size == 0) {
        throw new IllegalArgumentException(op + ": " + mode.name().toLowerCase() + " padding of an empty axis: " + axis);
      }
      in[i] = size;
      out[i] = (long) size + before[i] + after[i];
      b[i] = before[i];
      e[i] = after[i];
    }
    return new PadPlan(mode, x.numel(0, lead), in, out, b, e);
  }

  /** The padded shape of {@code x}. */
  public Shape outShape(Shape x) {
    int[] d = x.toArray();
    for (int i = 0; i < in.length; i++) d[d.length - in.length + i] = Math.toIntExact(out[i]);
    return Shape.of(d);
  }

  /** The kernels' {@code Pad}: k, outer, then in, out, before, after padded to MAX_AXES (34 longs). */
  public long[] kernelStruct() {
    long[] p = new long[2 + 4 * MAX_AXES];
    p[0] = in.length;
    p[1] = outer;
    System.arraycopy(in, 0, p, 2, in.length);
    System.arraycopy(out, 0, p, 2 + MAX_AXES, in.length);
    System.arraycopy(before, 0, p, 2 + 2 * MAX_AXES, in.length);
    System.arraycopy(after, 0, p, 2 + 3 * MAX_AXES, in.length);
    return p;
  }
}

package org.jdnn.cuda;

import org.jdnn.tensor.Shape;

/**
 * An input {@code (N, C, *in)} and an output {@code (N, C, *out)} with 1 to 3 spatial axes, as the
 * adaptive-pooling and upsampling kernels' {@code Spatial} argument: {@code N * C} planes and the
 * spatial sizes padded to 3 axes on the left with 1, the way {@code NaiveBackend} sees them.
 */
public record SpatialPlan(long planes, long[] in, long[] out) {
  /**
   * Checks that {@code x} and {@code y} are {@code (N, C, *)} with the same N, C and number of
   * spatial axes (1 to 3), and that no output reads from an empty input axis.
   */
  public static SpatialPlan of(String op, Shape x, String xName, Shape y, String yName) {
    if (x.rank() < 3 || x.rank() > 5 || y.rank() != x.rank() || y.dim(0) != x.dim(0) || y.dim(1) != x.dim(1)) {
      throw new IllegalArgumentException(op + ": " + xName + " and " + yName + " must be (N, C, *) with the same N, C "
          + "and 1 to 3 spatial axes; received " + x + " and " + y);
    }
    int sr = x.rank() - 2;
    long[] in = {1, 1, 1};
    long[] out = {1, 1, 1};
    for (int i = 0; i < sr; i++) {
      in[3 - sr + i] = x.dim(2 + i);
      out[3 - sr + i] = y.dim(2 + i);
    }
    if (y.numel() > 0) {
      for (int i = 0; i < 3; i++) {
        if (in[i] == 0) {
          throw new IllegalArgumentException(op + ": " + xName + " " + x + " has an empty spatial axis, from which "
              + yName + " " + y + " cannot be computed");
        }
      }
    }
    return new SpatialPlan((long) x.dim(0) * x.dim(1), in, out);
  }

  public long inVolume() {
    return in[0] * in[1] * in[2];
  }

  public long outVolume() {
    return out[0] * out[1] * out[2];
  }

  /** The kernels' {@code Spatial}: planes, in[3], out[3] (7 longs). */
  public long[] kernelStruct() {
    return new long[] {planes, in[0], in[1], in[2], out[0], out[1], out[2]};
  }
}

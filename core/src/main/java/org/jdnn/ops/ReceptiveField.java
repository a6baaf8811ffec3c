package org.jdnn.ops;

/**
 * The receptive field and jump (effective stride) of a feature map on the network's input, per
 * spatial axis: each output element depends on {@code rf[i]} input pixels along axis {@code i},
 * and neighbours are {@code jump[i]} input pixels apart. {@link #ALL} (rf null) means every input
 * pixel, as after a flatten or a linear layer.
 */
public record ReceptiveField(int[] rf, double[] jump) {
  public static final ReceptiveField ALL = new ReceptiveField(null, null);

  /** The input image: one pixel, jump 1. */
  public static ReceptiveField input(int spatialRank) {
    int[] rf = new int[spatialRank];
    double[] jump = new double[spatialRank];
    java.util.Arrays.fill(rf, 1);
    java.util.Arrays.fill(jump, 1);
    return new ReceptiveField(rf, jump);
  }

  public boolean isAll() {
    return rf == null;
  }

  /**
   * After a sliding window of {@code span} input elements (kernel with dilation) moved by
   * {@code stride}: {@code rf + (span - 1) * jump}, {@code jump * stride}.
   */
  public ReceptiveField window(int[] span, int[] stride) {
    if (isAll() || span.length != rf.length) return this;
    int[] r = new int[rf.length];
    double[] j = new double[rf.length];
    for (int i = 0; i < rf.length; i++) {
      r[i] = (int) Math.round(rf[i] + (span[i] - 1) * jump[i]);
      j[i] = jump[i] * stride[i];
    }
    return new ReceptiveField(r, j);
  }

  /**
   * After a transposed window: each output reads at most {@code ceil(span / stride)} inputs, and
   * outputs are {@code jump / stride} apart.
   */
  public ReceptiveField transposedWindow(int[] span, int[] stride) {
    if (isAll() || span.length != rf.length) return this;
    int[] r = new int[rf.length];
    double[] j = new double[rf.length];
    for (int i = 0; i < rf.length; i++) {
      int taps = (span[i] + stride[i] - 1) / stride[i];
      r[i] = (int) Math.round(rf[i] + (taps - 1) * jump[i]);
      j[i] = jump[i] / stride[i];
    }
    return new ReceptiveField(r, j);
  }

  /**
   * After resampling axis sizes {@code in} to {@code out}, each output reading {@code taps[i]}
   * neighbouring inputs: adaptive pooling and upsampling.
   */
  public ReceptiveField resample(int[] in, int[] out, int[] taps) {
    if (isAll() || in.length != rf.length) return this;
    int[] r = new int[rf.length];
    double[] j = new double[rf.length];
    for (int i = 0; i < rf.length; i++) {
      r[i] = (int) Math.round(rf[i] + (taps[i] - 1) * jump[i]);
      j[i] = jump[i] * in[i] / out[i];
    }
    return new ReceptiveField(r, j);
  }

  /** The farther-seeing of two (a sum or concatenation sees what its widest input sees). */
  public static ReceptiveField widest(ReceptiveField a, ReceptiveField b) {
    if (a == null) return b;
    if (b == null) return a;
    if (a.isAll()) return a;
    if (b.isAll()) return b;
    return b.rf.length == a.rf.length && b.rf[0] > a.rf[0] ? b : a;
  }
}

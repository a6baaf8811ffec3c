package org.jdnn.ops;

import org.jdnn.tensor.Shape;

/**
 * What an op tells a tracer (the model summary) beyond its inputs and output: its cost in
 * multiply-accumulates and how it changes the receptive field. Point-wise ops need neither.
 */
public interface TracedOp {
  /** Multiply-accumulates of the forward computation. */
  default long macs() {
    return 0;
  }

  /** The output's receptive field given the first input's; the default keeps it. */
  default ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
    return in;
  }

  /** Spatial sizes of an {@code (N, C, *spatial)} shape. */
  static int[] spatial(Shape s) {
    return java.util.Arrays.copyOfRange(s.toArray(), 2, s.rank());
  }

  /** {@code dilation * (kernel - 1) + 1} per axis. */
  static int[] span(int[] kernel, int[] dilation) {
    int[] s = new int[kernel.length];
    for (int i = 0; i < s.length; i++) s[i] = dilation[i] * (kernel[i] - 1) + 1;
    return s;
  }
}

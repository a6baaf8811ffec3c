package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.ReduceOp;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * N-d convolution (cross-correlation, as in every deep-learning library) with bias, through the
 * backend's forward, backward-data and backward-filter primitives.
 */
public final class Convolution {
  private Convolution() {}

  /**
   * {@code y = conv(x, w) + b}.
   *
   * @param x input {@code (N, C_in, *in)}
   * @param w weight {@code (C_out, C_in/groups, *kernel)}
   * @param b bias {@code (C_out)} or null
   */
  public static Tensor conv(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
    ConvGeometry g = ConvGeometry.of(x.shape(), w.shape(), stride, padding, dilation, groups);
    String name = "conv" + g.spatialRank() + "d";
    Backend be = Ops.backendOf(name, x, w, b);
    Ops.floating(name, "input", x);
    Ops.sameDType(name, x, w);
    if (b != null) {
      Ops.sameDType(name, x, b);
      Check.shape(b.rank() == 1 && b.dim(0) == g.outChannels,
          "%s: bias must have shape [%s] (out_channels); received %s", name, g.outChannels, b.shape());
    }
    Tensor y = Ops.empty(g.outputShape(), x.dtype(), be);
    be.convForward(g, x, w, y);
    if (b != null) {
      try (Tensor bv = b.view(perChannel(g), 0)) {
        be.binary(BinaryOp.ADD, y, bv, y);
      }
    }
    return new ConvFn(g, x, w, b).attach(y);
  }

  /**
   * Convolution with per-side padding and a padding mode, as PyTorch's {@code padding_mode}
   * ({@code zeros}, {@code reflect}, {@code replicate}, {@code circular}) and its asymmetric
   * {@code padding='same'}: anything but symmetric zero padding is an explicit {@link Movement#pad}
   * followed by an unpadded convolution, exactly as PyTorch computes it.
   *
   * @param padBefore, padAfter padding at the start and end of each spatial axis
   */
  public static Tensor conv(Tensor x, Tensor w, Tensor b, int[] stride, int[] padBefore, int[] padAfter, PadMode mode,
      int[] dilation, int groups) {
    Check.shape(padBefore.length == padAfter.length, "conv: padding needs as many values before as after; received %s and %s",
        padBefore, padAfter);
    if (mode == PadMode.CONSTANT && java.util.Arrays.equals(padBefore, padAfter)) {
      return conv(x, w, b, stride, padBefore, dilation, groups);
    }
    Check.shape(x.rank() == padBefore.length + 2, "conv%sd: input must have rank %s; received shape %s",
        padBefore.length, padBefore.length + 2, x.shape());
    int[] pairs = new int[2 * padBefore.length];
    for (int i = 0; i < padBefore.length; i++) { // torch order: last axis first
      pairs[2 * i] = padBefore[padBefore.length - 1 - i];
      pairs[2 * i + 1] = padAfter[padBefore.length - 1 - i];
    }
    return conv(Movement.pad(x, pairs, mode, 0), w, b, stride, new int[padBefore.length], dilation, groups);
  }

  /**
   * Transposed convolution ({@code torch.nn.functional.conv_transposeNd}), the gradient of a
   * convolution with respect to its input used as a forward op: input {@code (N, C_in, *in)},
   * weight {@code (C_in, C_out/groups, *kernel)}, output {@code (N, C_out, *out)} with
   * {@code out = (in - 1)*stride - 2*padding + dilation*(kernel - 1) + outputPadding + 1}.
   */
  public static Tensor convTranspose(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding,
      int[] dilation, int groups) {
    int sr = w.rank() - 2;
    String name = "conv_transpose" + sr + "d";
    Check.shape(sr >= 1 && sr <= 3 && x.rank() == sr + 2,
        "%s: input must have rank %s (N, C_in, *spatial) for a weight of shape %s; received %s", name, sr + 2, w.shape(), x.shape());
    Check.shape(stride.length == sr && padding.length == sr && outputPadding.length == sr && dilation.length == sr,
        "%s: stride, padding, output_padding and dilation need %s values each", name, sr);
    Check.shape(groups >= 1 && x.dim(1) == w.dim(0) && w.dim(0) % groups == 0,
        "%s: input channels must equal the weight's first axis (%s), divisible by groups (%s); received input of shape %s",
        name, w.dim(0), groups, x.shape());
    int[] out = new int[sr + 2];
    out[0] = x.dim(0);
    out[1] = w.dim(1) * groups;
    for (int i = 0; i < sr; i++) {
      Check.shape(stride[i] >= 1 && dilation[i] >= 1 && padding[i] >= 0,
          "%s: stride and dilation must be >= 1 and padding >= 0; received %s, %s, %s", name, stride, dilation, padding);
      Check.shape(outputPadding[i] >= 0 && (outputPadding[i] < stride[i] || outputPadding[i] < dilation[i]),
          "%s: output_padding must be smaller than either stride or dilation; received output_padding %s, stride %s, dilation %s",
          name, outputPadding, stride, dilation);
      out[2 + i] = (x.dim(2 + i) - 1) * stride[i] - 2 * padding[i] + dilation[i] * (w.dim(2 + i) - 1) + outputPadding[i] + 1;
      Check.shape(out[2 + i] > 0, "%s: output size %s is not positive for input %s, padding %s", name, out[2 + i],
          x.shape(), padding);
    }
    // The convolution whose input gradient this is: it maps the output back to x.
    ConvGeometry g = ConvGeometry.of(Shape.of(out), w.shape(), stride, padding, dilation, groups);
    Check.state(g.outputShape().equals(x.shape()), "%s: internal geometry %s does not map back to the input %s", name, g, x.shape());
    Backend be = Ops.backendOf(name, x, w, b);
    Ops.floating(name, "input", x);
    Ops.sameDType(name, x, w);
    if (b != null) {
      Check.shape(b.rank() == 1 && b.dim(0) == out[1], "%s: bias must have shape [%s] (out_channels); received %s",
          name, out[1], b.shape());
    }
    Tensor y = Ops.empty(Shape.of(out), x.dtype(), be);
    be.convBackwardData(g, w, x, y);
    if (b != null) {
      try (Tensor bv = b.view(perChannel(g.spatialRank(), out[1]), 0)) {
        be.binary(BinaryOp.ADD, y, bv, y);
      }
    }
    return new ConvTransposeFn(g, x, w, b).attach(y);
  }

  /** {@code (1, C_out, 1, ...)}: the bias broadcast over batch and space. */
  private static Shape perChannel(ConvGeometry g) {
    return perChannel(g.spatialRank(), g.outChannels);
  }

  private static Shape perChannel(int spatialRank, int channels) {
    int[] d = new int[spatialRank + 2];
    java.util.Arrays.fill(d, 1);
    d[1] = channels;
    return Shape.of(d);
  }

  /** Sum of {@code dy} over batch and space, as the bias gradient {@code (C)}. */
  private static Tensor biasGradient(Tensor dy) {
    int[] axes = new int[dy.rank() - 1];
    for (int i = 1; i < axes.length; i++) axes[i] = i + 1; // batch and every spatial axis
    Tensor sum = Ops.empty(perChannel(dy.rank() - 2, dy.dim(1)), dy.dtype(), dy.backend());
    dy.backend().reduce(ReduceOp.SUM, dy, axes, sum);
    return sum.reshape(dy.dim(1));
  }

  private static final class ConvTransposeFn extends Function implements TracedOp {
    private final ConvGeometry g;
    private final Tensor x;
    private final Tensor w;

    ConvTransposeFn(ConvGeometry g, Tensor x, Tensor w, Tensor b) {
      super(x, w, b);
      this.g = g;
      this.x = x;
      this.w = w;
    }

    @Override
    public long macs() {
      return g.macs(); // the same products as the convolution it transposes
    }

    @Override
    public ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
      return in.transposedWindow(TracedOp.span(g.kernel, g.dilation), g.stride);
    }

    // y = B(w, x) with B the conv's backward-data: dx is the conv's forward of dy, dw the conv's
    // backward-filter with dy in the role of the conv input and x in the role of its output gradient.
    @Override
    protected Tensor[] backward(Tensor dy) {
      Backend be = dy.backend();
      Tensor dx = null;
      Tensor dw = null;
      if (needsGrad(0)) {
        dx = Ops.empty(x.shape(), x.dtype(), be);
        be.convForward(g, dy, w, dx);
      }
      if (needsGrad(1)) {
        dw = Ops.empty(w.shape(), w.dtype(), be);
        be.convBackwardFilter(g, dy, x, dw);
      }
      return new Tensor[] {dx, dw, needsGrad(2) ? biasGradient(dy) : null};
    }
  }

  private static final class ConvFn extends Function implements TracedOp {
    private final ConvGeometry g;
    private final Tensor x;
    private final Tensor w;

    ConvFn(ConvGeometry g, Tensor x, Tensor w, Tensor b) {
      super(x, w, b);
      this.g = g;
      this.x = x;
      this.w = w;
    }

    @Override
    public long macs() {
      return g.macs();
    }

    @Override
    public ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
      return in.window(TracedOp.span(g.kernel, g.dilation), g.stride);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Backend be = dy.backend();
      Tensor dx = null;
      Tensor dw = null;
      Tensor db = null;
      if (needsGrad(0)) {
        dx = Ops.empty(x.shape(), x.dtype(), be);
        be.convBackwardData(g, w, dy, dx);
      }
      if (needsGrad(1)) {
        dw = Ops.empty(w.shape(), w.dtype(), be);
        be.convBackwardFilter(g, x, dy, dw);
      }
      if (needsGrad(2)) db = biasGradient(dy);
      return new Tensor[] {dx, dw, db};
    }
  }
}

package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
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

  /** {@code (1, C_out, 1, ...)}: the bias broadcast over batch and space. */
  private static Shape perChannel(ConvGeometry g) {
    int[] d = new int[g.spatialRank() + 2];
    java.util.Arrays.fill(d, 1);
    d[1] = g.outChannels;
    return Shape.of(d);
  }

  private static final class ConvFn extends Function {
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
      if (needsGrad(2)) {
        int[] axes = new int[g.spatialRank() + 1];
        for (int i = 1; i < axes.length; i++) axes[i] = i + 1; // batch and every spatial axis
        Tensor sum = Ops.empty(perChannel(g), dy.dtype(), be);
        be.reduce(ReduceOp.SUM, dy, axes, sum);
        db = sum.reshape(g.outChannels);
      }
      return new Tensor[] {dx, dw, db};
    }
  }
}

package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.Tensor;

/** Max and average pooling over 1 to 3 spatial axes. */
public final class Pooling {
  private Pooling() {}

  public static Tensor pool(PoolGeometry.Mode mode, Tensor x, int[] kernel, int[] stride, int[] padding,
      int[] dilation, boolean ceilMode) {
    PoolGeometry g = PoolGeometry.of(mode, x.shape(), kernel, stride, padding, dilation, ceilMode);
    Ops.floating(mode == PoolGeometry.Mode.MAX ? "max_pool" : "avg_pool", "input", x);
    Tensor y = Ops.empty(g.outputShape(), x.dtype(), x.backend());
    x.backend().pool(g, x, y);
    return new PoolFn(g, x, y).attach(y);
  }

  private static final class PoolFn extends Function {
    private final PoolGeometry g;
    private final Tensor x; // max pooling finds each window's argmax again in x
    private final Tensor y;

    PoolFn(PoolGeometry g, Tensor x, Tensor y) {
      super(x);
      this.g = g;
      this.x = x;
      this.y = y;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(x.shape(), x.dtype(), x.backend());
      x.backend().poolBackward(g, x, y, dy, dx);
      return new Tensor[] {dx};
    }
  }
}

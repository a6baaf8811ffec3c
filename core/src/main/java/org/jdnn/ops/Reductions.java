package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ReduceOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Sums, means and maxima over axes, and argmax. */
public final class Reductions {
  private Reductions() {}

  public static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
    String name = op.name().toLowerCase();
    int[] ax = Ops.axes(name, x.shape(), axes);
    int[] kept = x.shape().toArray();
    for (int a : ax) kept[a] = 1;
    Shape keptShape = Shape.of(kept);
    Tensor y = Ops.empty(keptShape, x.dtype(), x.backend());
    x.backend().reduce(op, x, ax, y);
    Tensor out = new ReduceFn(op, x, y, ax).attach(y);
    return keepDims ? out : out.reshape(squeezed(kept, ax));
  }

  /** Index (I64) of the first maximum along {@code axis}, that axis removed. Not differentiable. */
  public static Tensor argmax(Tensor x, int axis) {
    int a = x.shape().axis(axis);
    Check.shape(x.dim(a) > 0, "argmax: axis %s is empty in shape %s", axis, x.shape());
    int[] kept = x.shape().toArray();
    Tensor y = Ops.empty(Shape.of(squeezed(kept, new int[] {a})), DType.I64, x.backend());
    x.backend().argmax(x, a, y);
    return y;
  }

  private static int[] squeezed(int[] dims, int[] axes) {
    int[] out = new int[dims.length - axes.length];
    int k = 0;
    outer:
    for (int i = 0; i < dims.length; i++) {
      for (int a : axes) if (a == i) continue outer;
      out[k++] = dims[i];
    }
    return out;
  }

  /**
   * Variance over {@code axes}: {@code mean((x - mean)^2)}, times {@code n / (n - 1)} when
   * {@code unbiased} (PyTorch's default correction).
   */
  public static Tensor var(Tensor x, int[] axes, boolean unbiased, boolean keepDims) {
    int[] ax = Ops.axes("var", x.shape(), axes);
    long n = 1;
    for (int a : ax) n *= x.dim(a);
    Check.shape(!unbiased || n > 1, "var: the unbiased variance needs more than one element per group; received shape %s, axes %s",
        x.shape(), axes);
    Tensor centered = x.sub(reduce(ReduceOp.MEAN, x, ax, true));
    Tensor v = reduce(ReduceOp.MEAN, centered.square(), ax, keepDims);
    return unbiased ? v.mul((double) n / (n - 1)) : v;
  }

  private static final class ReduceFn extends Function {
    private final ReduceOp op;
    private final Tensor x; // max routes the gradient to the elements equal to the maximum
    private final Tensor y;
    private final int[] axes;
    private final Shape inShape;
    private final Shape keptShape;

    ReduceFn(ReduceOp op, Tensor x, Tensor y, int[] axes) {
      super(x);
      this.op = op;
      this.x = op == ReduceOp.MAX ? x : null;
      this.y = op == ReduceOp.MAX ? y : null;
      this.axes = axes;
      this.inShape = x.shape();
      this.keptShape = y.shape();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor gk = g.reshape(keptShape.toArray());
      if (op == ReduceOp.MAX) {
        // As torch.amax: ties share the gradient evenly.
        Tensor mask = Elementwise.binary(BinaryOp.EQ, x, y);
        Tensor count = reduce(ReduceOp.SUM, mask, axes, true);
        return new Tensor[] {mask.mul(gk.div(count))};
      }
      Tensor dx = Tensor.zeros(inShape, g.dtype(), g.backend());
      g.backend().binary(BinaryOp.ADD, dx, gk, dx); // broadcast the gradient over the reduced axes
      if (op == ReduceOp.MEAN) {
        dx.mulInPlace((double) keptShape.numel() / inShape.numel());
      }
      return new Tensor[] {dx};
    }
  }
}

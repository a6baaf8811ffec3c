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
    Check.arg(op != ReduceOp.MAX || !x.requiresGrad() || !org.jdnn.autograd.GradMode.isEnabled(),
        "max over axes has no gradient yet; compute it under NoGrad");
    Tensor out = new ReduceFn(op, x, keptShape).attach(y);
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

  private static final class ReduceFn extends Function {
    private final ReduceOp op;
    private final Shape inShape;
    private final Shape keptShape;

    ReduceFn(ReduceOp op, Tensor x, Shape keptShape) {
      super(x);
      this.op = op;
      this.inShape = x.shape();
      this.keptShape = keptShape;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx = Tensor.zeros(inShape, g.dtype(), g.backend());
      try (Tensor gk = g.reshape(keptShape.toArray())) {
        g.backend().binary(BinaryOp.ADD, dx, gk, dx); // broadcast the gradient over the reduced axes
      }
      if (op == ReduceOp.MEAN) {
        dx.mulInPlace((double) keptShape.numel() / inShape.numel());
      }
      return new Tensor[] {dx};
    }
  }
}

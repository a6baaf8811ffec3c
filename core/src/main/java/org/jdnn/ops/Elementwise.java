package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.UnaryOp;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Element-wise arithmetic with NumPy broadcasting, each op's gradient beside it. */
public final class Elementwise {
  private Elementwise() {}

  /** {@code a op b} under broadcasting. MAX, MIN and POW between tensors are not differentiable. */
  public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
    String name = op.name().toLowerCase();
    Backend be = Ops.backendOf(name, a, b);
    Ops.sameDType(name, a, b);
    Shape out = Shape.broadcast(a.shape(), b.shape());
    Tensor y = Ops.empty(out, a.dtype(), be);
    be.binary(op, a, b, y);
    if (op.isComparison()) return y; // a 0/1 mask: no gradient, as PyTorch's boolean results
    return new BinaryFn(op, a, b).attach(y);
  }

  /** {@code a op s} for a scalar {@code s}. */
  public static Tensor scalar(BinaryOp op, Tensor a, double s) {
    Tensor y = Ops.empty(a.shape(), a.dtype(), a.backend());
    a.backend().binaryScalar(op, a, s, y);
    if (op.isComparison()) return y;
    return new ScalarFn(op, a, s).attach(y);
  }

  public static Tensor unary(UnaryOp op, Tensor x) {
    Ops.floating(op.name().toLowerCase(), "input", x);
    Tensor y = Ops.empty(x.shape(), x.dtype(), x.backend());
    x.backend().unary(op, x, y);
    return new UnaryFn(op, x, y).attach(y);
  }

  /**
   * {@code x} limited to {@code [min, max]} (either may be NaN for no bound), as {@code torch.clamp}:
   * the gradient passes where {@code min <= x <= max}.
   */
  public static Tensor clamp(Tensor x, double min, double max) {
    Check.arg(Double.isNaN(min) || Double.isNaN(max) || min <= max, "clamp: min (%s) must not exceed max (%s)", min, max);
    Ops.floating("clamp", "input", x);
    Tensor y = Ops.empty(x.shape(), x.dtype(), x.backend());
    x.backend().copy(x, y);
    if (!Double.isNaN(min)) x.backend().binaryScalar(BinaryOp.MAX, y, min, y);
    if (!Double.isNaN(max)) x.backend().binaryScalar(BinaryOp.MIN, y, max, y);
    return new ClampFn(x, min, max).attach(y);
  }

  private static final class ClampFn extends Function {
    private final Tensor x;
    private final double min;
    private final double max;

    ClampFn(Tensor x, double min, double max) {
      super(x);
      this.x = x;
      this.min = min;
      this.max = max;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor pass = g;
      if (!Double.isNaN(min)) pass = pass.mul(scalar(BinaryOp.GE, x, min));
      if (!Double.isNaN(max)) pass = pass.mul(scalar(BinaryOp.LE, x, max));
      return new Tensor[] {pass};
    }
  }

  private static final class BinaryFn extends Function {
    private final BinaryOp op;
    private final Tensor a;
    private final Tensor b;

    BinaryFn(BinaryOp op, Tensor a, Tensor b) {
      super(a, b);
      this.op = op;
      this.a = a;
      this.b = b;
      Check.arg(op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV
              || !(a.requiresGrad() || b.requiresGrad()),
          "%s between two tensors has no gradient; compute it under NoGrad", op);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor da = null;
      Tensor db = null;
      switch (op) {
        case ADD:
          if (needsGrad(0)) da = g;
          if (needsGrad(1)) db = g;
          break;
        case SUB:
          if (needsGrad(0)) da = g;
          if (needsGrad(1)) db = g.neg();
          break;
        case MUL:
          if (needsGrad(0)) da = g.mul(b);
          if (needsGrad(1)) db = g.mul(a);
          break;
        case DIV:
          if (needsGrad(0)) da = g.div(b);
          if (needsGrad(1)) db = g.mul(a).div(b.square()).neg();
          break;
        default:
          throw new AssertionError(op);
      }
      return new Tensor[] {
        da == null ? null : Ops.sumTo(da, a.shape()), db == null ? null : Ops.sumTo(db, b.shape())
      };
    }
  }

  private static final class ScalarFn extends Function {
    private final BinaryOp op;
    private final Tensor a;
    private final double s;

    ScalarFn(BinaryOp op, Tensor a, double s) {
      super(a);
      this.op = op;
      this.a = a;
      this.s = s;
      Check.arg(op != BinaryOp.MAX && op != BinaryOp.MIN || !a.requiresGrad(),
          "%s with a scalar has no gradient yet; compute it under NoGrad", op);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      switch (op) {
        case ADD:
        case SUB:
          return new Tensor[] {g};
        case MUL:
          return new Tensor[] {g.mul(s)};
        case DIV:
          return new Tensor[] {g.div(s)};
        case POW:
          return new Tensor[] {g.mul(a.pow(s - 1)).mul(s)};
        default:
          throw new AssertionError(op);
      }
    }
  }

  private static final class UnaryFn extends Function {
    private final UnaryOp op;
    private final Tensor x;
    private final Tensor y;

    UnaryFn(UnaryOp op, Tensor x, Tensor y) {
      super(x);
      this.op = op;
      this.x = x;
      this.y = y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx;
      switch (op) {
        case NEG: dx = g.neg(); break;
        case EXP: dx = g.mul(y); break;
        case LOG: dx = g.div(x); break;
        case SQRT: dx = g.div(y.mul(2)); break;
        case ABS: dx = g.mul(unaryNoGrad(UnaryOp.SIGN, x)); break;
        case SIGN: dx = g.mul(0); break;
        case SQUARE: dx = g.mul(x).mul(2); break;
        case RECIPROCAL: dx = g.mul(y.square()).neg(); break;
        default: throw new AssertionError(op);
      }
      return new Tensor[] {dx};
    }
  }

  private static Tensor unaryNoGrad(UnaryOp op, Tensor x) {
    Tensor y = Ops.empty(x.shape(), x.dtype(), x.backend());
    x.backend().unary(op, x, y);
    return y;
  }
}

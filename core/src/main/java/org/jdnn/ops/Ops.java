package org.jdnn.ops;

import org.jdnn.spi.Backend;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Checks shared by the op classes: every operand on one backend, dtypes that fit the op. */
final class Ops {
  private Ops() {}

  /** The backend of the non-null operands; throws naming the op if they live on different ones. */
  static Backend backendOf(String op, Tensor... operands) {
    Backend b = null;
    for (Tensor t : operands) {
      if (t == null) continue;
      if (b == null) b = t.backend();
      else Check.arg(t.backend() == b,
          "%s: operands are on different devices or backends (%s and %s); move them with to(...)",
          op, b.description(), t.backend().description());
    }
    return b;
  }

  static void floating(String op, String arg, Tensor t) {
    Check.arg(t.dtype().isFloating(), "%s: %s must be floating point (F32 or F64); received %s", op, arg, t.dtype());
  }

  static void sameDType(String op, Tensor a, Tensor b) {
    Check.arg(a.dtype() == b.dtype(), "%s: operand dtypes differ (%s and %s); convert with to(DType)",
        op, a.dtype(), b.dtype());
  }

  static Tensor empty(Shape shape, DType dtype, Backend backend) {
    return Tensor.empty(shape, dtype, backend);
  }

  /** Normalised, sorted, distinct axes; each within the tensor's rank. */
  static int[] axes(String op, Shape shape, int[] axes) {
    boolean[] seen = new boolean[shape.rank()];
    for (int a : axes) {
      int n = shape.axis(a);
      Check.shape(!seen[n], "%s: axis %s listed twice in %s", op, a, axes);
      seen[n] = true;
    }
    int[] out = new int[axes.length];
    int k = 0;
    for (int i = 0; i < seen.length; i++) if (seen[i]) out[k++] = i;
    return out;
  }

  /**
   * Sums a broadcast gradient back to the operand's shape: over leading axes the operand lacks and
   * over axes where it had size 1.
   */
  static Tensor sumTo(Tensor g, Shape target) {
    if (g.shape().equals(target)) return g;
    Shape gs = g.shape();
    int lead = gs.rank() - target.rank();
    int[] axes = new int[gs.rank()];
    int k = 0;
    for (int i = 0; i < gs.rank(); i++) {
      if (i < lead || (target.dim(i - lead) == 1 && gs.dim(i) != 1)) axes[k++] = i;
    }
    int[] keep = gs.toArray();
    for (int i = 0; i < k; i++) keep[axes[i]] = 1;
    Tensor out = empty(Shape.of(keep), g.dtype(), g.backend());
    g.backend().reduce(org.jdnn.spi.ReduceOp.SUM, g, java.util.Arrays.copyOf(axes, k), out);
    return out.reshape(target.toArray());
  }
}

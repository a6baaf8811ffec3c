package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.Backend;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * {@code op(a) @ op(b)} through the backend's GEMM: rank-2 operands, or rank 3 for a batch over the
 * leading axis (one operand may be rank 2 and shared by every batch entry).
 */
public final class MatMul {
  private MatMul() {}

  /** Output shape of {@code op(a) @ op(b)}; throws naming both shapes when they do not fit. */
  public static Shape outputShape(Shape a, boolean ta, Shape b, boolean tb) {
    Check.shape((a.rank() == 2 || a.rank() == 3) && (b.rank() == 2 || b.rank() == 3),
        "matmul: operands must have rank 2 or 3; received %s and %s", a, b);
    int m = a.dim(ta ? -1 : -2);
    int ka = a.dim(ta ? -2 : -1);
    int kb = b.dim(tb ? -1 : -2);
    int n = b.dim(tb ? -2 : -1);
    Check.shape(ka == kb, "matmul: inner dimensions differ: %s%s @ %s%s (%s vs %s)",
        a, ta ? "^T" : "", b, tb ? "^T" : "", ka, kb);
    if (a.rank() == 3 && b.rank() == 3) {
      Check.shape(a.dim(0) == b.dim(0), "matmul: batch sizes differ: %s and %s", a, b);
    }
    int batch = a.rank() == 3 ? a.dim(0) : b.rank() == 3 ? b.dim(0) : -1;
    return batch < 0 ? Shape.of(m, n) : Shape.of(batch, m, n);
  }

  public static Tensor matmul(Tensor a, boolean ta, Tensor b, boolean tb) {
    Backend be = Ops.backendOf("matmul", a, b);
    Ops.floating("matmul", "a", a);
    Ops.sameDType("matmul", a, b);
    Tensor c = Ops.empty(outputShape(a.shape(), ta, b.shape(), tb), a.dtype(), be);
    be.gemm(ta, tb, 1, a, b, 0, c);
    return new MatMulFn(a, ta, b, tb).attach(c);
  }

  private static final class MatMulFn extends Function implements TracedOp {
    private final Tensor a;
    private final Tensor b;
    private final boolean ta;
    private final boolean tb;

    MatMulFn(Tensor a, boolean ta, Tensor b, boolean tb) {
      super(a, b);
      this.a = a;
      this.b = b;
      this.ta = ta;
      this.tb = tb;
    }

    /** {@code batch * m * n * k}. */
    @Override
    public long macs() {
      long k = ta ? a.dim(-2) : a.dim(-1);
      Shape out = outputShape(a.shape(), ta, b.shape(), tb);
      return out.numel() * k;
    }

    /** Every output mixes whole rows: after a product the field is the whole input. */
    @Override
    public ReceptiveField receptiveField(ReceptiveField in, Shape inShape, Shape outShape) {
      return ReceptiveField.ALL;
    }

    // For C = op(A) op(B) with gradient G: d op(A) = G op(B)^T and d op(B) = op(A)^T G; a
    // transposed operand takes the transpose of that. A shared rank-2 operand sums over the batch.
    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor da = null;
      Tensor db = null;
      if (needsGrad(0)) {
        da = ta ? matmul(b, tb, g, true) : matmul(g, false, b, !tb);
        if (da.rank() > a.rank()) da = da.sum(new int[] {0}, false);
      }
      if (needsGrad(1)) {
        db = tb ? matmul(g, true, a, ta) : matmul(a, !ta, g, false);
        if (db.rank() > b.rank()) db = db.sum(new int[] {0}, false);
      }
      return new Tensor[] {da, db};
    }
  }
}

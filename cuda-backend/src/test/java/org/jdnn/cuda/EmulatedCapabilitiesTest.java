package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jdnn.conformance.Guarded;
import org.jdnn.conformance.Tolerance;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the conformance suite does not reach of the optional groups on the CUDA backend (emulated
 * GPU, see {@link EmulatedGpu}): every dtype of the copy kernels (the suite's data movement is
 * F32, one I64 case), F64 for the floating kernels (the suite is F32), pads and sizes at the
 * limits the kernels rely on, and the argument errors each primitive raises before any launch.
 * Each result is compared with {@link NaiveBackend}, or with values worked by hand where the
 * reference itself goes through double (I64 beyond 2^53).
 */
class EmulatedCapabilitiesTest {
  static final CudaBackend BE = new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated on the CPU", true);
  static final DType[] ALL = {DType.F32, DType.F64, DType.I32, DType.I64, DType.U8};
  static final DType[] FLOATING = {DType.F32, DType.F64};
  /** F64 sums in another order (threads and a tree, or cuDNN's): a few ulps of the element and of the tensor's scale. */
  static final Tolerance SUMS = Tolerance.scaled(1e-12, "F64 sums in another order");

  private final NaiveBackend ref = new NaiveBackend();
  private Scope scope;

  @BeforeEach
  void open() {
    scope = Scope.open();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  /** Values representable in every dtype (small non-negative integers for U8). */
  static double[] values(int n, DType d, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = d.isFloating() ? r.nextGaussian() : d == DType.U8 ? r.nextInt(256) : r.nextInt(2001) - 1000;
    }
    return v;
  }

  /** The same input on both backends, at unaligned offsets between sentinels. */
  record Pair(Guarded test, Guarded ref) {
    Tensor t() {
      return test.tensor();
    }

    Tensor r() {
      return ref.tensor();
    }
  }

  Pair in(Shape s, DType d, double[] v) {
    return new Pair(Guarded.of(BE, d, s, v), Guarded.of(ref, d, s, v));
  }

  Pair out(Shape s, DType d) {
    return in(s, d, null);
  }

  static void agree(String what, Pair p, Tolerance tol) {
    p.test().assertGuardsIntact(what);
    tol.assertClose(what, p.test().shape(), p.ref().values(), p.test().values());
  }

  // ------------------------------------------------------------------ data movement

  @Test
  void permuteNarrowAndNarrowAssignMoveEveryDtypeExactly() {
    for (DType d : ALL) {
      Shape s = Shape.of(2, 3, 4, 5);
      Pair x = in(s, d, values(120, d, 1));
      for (int[] axes : new int[][] {{2, 0, 3, 1}, {0, 1, 3, 2}, {3, 2, 1, 0}}) {
        Pair y = out(PermutePlan.outShape(s, axes), d);
        BE.permute(x.t(), axes, y.t());
        ref.permute(x.r(), axes, y.r());
        agree("permute " + d + " by " + java.util.Arrays.toString(axes), y, Tolerance.EXACT);
      }
      for (int axis = 0; axis < 4; axis++) {
        Pair w = out(s.with(axis, 1), d);
        BE.narrow(x.t(), axis, s.dim(axis) - 1, w.t());
        ref.narrow(x.r(), axis, s.dim(axis) - 1, w.r());
        agree("narrow " + d + " axis " + axis, w, Tolerance.EXACT);
        Pair big = in(s, d, values(120, d, 2 + axis));
        BE.narrowAssign(w.t(), axis, 0, big.t());
        ref.narrowAssign(w.r(), axis, 0, big.r());
        agree("narrowAssign " + d + " axis " + axis, big, Tolerance.EXACT);
      }
    }
  }

  /** I64 beyond 2^53 and F64 NaN payloads: the kernels move bits, the reference goes through double. */
  @Test
  void copiesAreBitExact() {
    long[] big = {(1L << 53) + 1, Long.MIN_VALUE, Long.MAX_VALUE, -3, (1L << 60) + 7, 42};
    Tensor x = Tensor.fromArray(big, 6, DType.I64, new int[] {2, 3}, BE);
    Tensor y = Tensor.empty(Shape.of(3, 2), DType.I64, BE);
    BE.permute(x, new int[] {1, 0}, y);
    assertArrayEquals(new long[] {big[0], big[3], big[1], big[4], big[2], big[5]}, y.toLongArray());
    Tensor w = Tensor.empty(Shape.of(2, 1), DType.I64, BE);
    BE.narrow(x, 1, 2, w);
    assertArrayEquals(new long[] {big[2], big[5]}, w.toLongArray());
    double payload = Double.longBitsToDouble(0x7ff8_dead_beef_0001L);
    Tensor f = Tensor.fromArray(new double[] {payload, -0.0}, 2, DType.F64, new int[] {2}, BE);
    Tensor g = Tensor.empty(Shape.of(2), DType.F64, BE);
    BE.permute(f, new int[] {0}, g);
    double[] h = g.toDoubleArray();
    assertEquals(0x7ff8_dead_beef_0001L, Double.doubleToRawLongBits(h[0]), "the NaN's payload is kept");
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(h[1]), "-0 stays -0");
  }

  static Stream<Object[]> whereDtypes() {
    List<Object[]> l = new ArrayList<>();
    for (DType c : ALL) for (DType v : ALL) l.add(new Object[] {c, v});
    return l.stream();
  }

  @ParameterizedTest(name = "cond {0}, values {1}")
  @MethodSource("whereDtypes")
  void whereReadsEveryCondDtypeAndMovesEveryValueDtype(DType cd, DType vd) {
    Shape cs = Shape.of(4, 1, 5);
    double[] cv = new double[20];
    Random r = new Random(3);
    for (int i = 0; i < 20; i++) cv[i] = r.nextInt(3) == 0 ? 0 : cd == DType.U8 ? 1 + r.nextInt(255) : r.nextInt(5) - 2;
    if (cd.isFloating()) {
      cv[1] = -0.0; // zero
      cv[2] = Double.NaN; // nonzero, as cond != 0 says
      cv[3] = 1e-300; // nonzero in F64, zero once rounded to F32
    }
    Pair cond = in(cs, cd, cv);
    Pair a = in(Shape.of(3, 5), vd, values(15, vd, 4));
    Pair b = in(Shape.of(4, 3, 1), vd, values(12, vd, 5));
    Pair o = out(Shape.of(4, 3, 5), vd);
    BE.where(cond.t(), a.t(), b.t(), o.t());
    ref.where(cond.r(), a.r(), b.r(), o.r());
    agree("where cond " + cd + " values " + vd, o, Tolerance.EXACT);
  }

  // ------------------------------------------------------------------ padding

  static Stream<Object[]> padCases() {
    List<Object[]> l = new ArrayList<>();
    for (PadMode m : PadMode.values()) {
      l.add(new Object[] {m, Shape.of(2, 3, 4), new int[] {3}, new int[] {3}});
      l.add(new Object[] {m, Shape.of(2, 4, 4), new int[] {1, 3, 0}, new int[] {0, 2, 3}}); // every axis padded
      l.add(new Object[] {m, Shape.of(1, 2, 3, 4, 5), new int[] {1, 1, 3, 4}, new int[] {1, 2, 0, 4}});
      l.add(new Object[] {m, Shape.of(3, 5), new int[] {0, 0}, new int[] {0, 0}}); // nothing to pad
    }
    l.add(new Object[] {PadMode.REPLICATE, Shape.of(2, 1, 1), new int[] {4, 3}, new int[] {2, 5}}); // size 1
    l.add(new Object[] {PadMode.REPLICATE, Shape.of(2, 3), new int[] {7}, new int[] {9}}); // pad far beyond size
    l.add(new Object[] {PadMode.CIRCULAR, Shape.of(2, 2, 3), new int[] {2, 3}, new int[] {2, 3}}); // pad = size
    l.add(new Object[] {PadMode.REFLECT, Shape.of(2, 2, 3), new int[] {1, 2}, new int[] {1, 2}}); // pad = size - 1
    l.add(new Object[] {PadMode.CONSTANT, Shape.of(2, 0, 3), new int[] {2, 1}, new int[] {1, 0}}); // an empty axis
    return l.stream();
  }

  @ParameterizedTest(name = "{0} {1} before {2} after {3}")
  @MethodSource("padCases")
  void padForwardInEveryDtypeAndBackwardInF32AndF64(PadMode m, Shape s, int[] before, int[] after) {
    PadPlan plan = PadPlan.of("pad", m, before, after, s);
    Shape os = plan.outShape(s);
    for (DType d : ALL) {
      Pair x = in(s, d, values((int) s.numel(), d, 6));
      Pair y = out(os, d);
      double value = d == DType.U8 ? 200 : d.isFloating() ? -2.5 : -7;
      BE.pad(m, before, after, value, x.t(), y.t());
      ref.pad(m, before, after, value, x.r(), y.r());
      agree("pad " + m + " " + d, y, Tolerance.EXACT);
    }
    for (DType d : FLOATING) {
      Pair dy = in(os, d, values((int) os.numel(), d, 7));
      Pair dx = out(s, d);
      BE.padBackward(m, before, after, dy.t(), dx.t());
      ref.padBackward(m, before, after, dy.r(), dx.r());
      // Gathered in the reference's order, in double: identical.
      agree("padBackward " + m + " " + d, dx, Tolerance.EXACT);
    }
  }

  // ------------------------------------------------------------------ unpooling

  @Test
  void maxPoolIndicesAndUnpoolInF64() {
    PoolGeometry g = PoolGeometry.of(PoolGeometry.Mode.MAX, Shape.of(2, 3, 7, 6), new int[] {3, 2}, new int[] {2, 1},
        new int[] {1, 1}, new int[] {1, 2}, true);
    Random r = new Random(8);
    double[] v = new double[(int) g.inputShape().numel()];
    for (int i = 0; i < v.length; i++) v[i] = r.nextInt(3); // ties: the first maximum's index
    v[5] = Double.NaN;
    v[40] = Double.NEGATIVE_INFINITY;
    Pair x = in(g.inputShape(), DType.F64, v);
    Pair y = out(g.outputShape(), DType.F64);
    Pair idx = out(g.outputShape(), DType.I64);
    BE.maxPoolWithIndices(g, x.t(), y.t(), idx.t());
    ref.maxPoolWithIndices(g, x.r(), y.r(), idx.r());
    agree("max pool values F64", y, Tolerance.EXACT);
    agree("max pool indices", idx, Tolerance.EXACT);
    Pair up = out(g.inputShape(), DType.F64);
    BE.unpool(y.t(), idx.t(), up.t());
    ref.unpool(y.r(), idx.r(), up.r());
    agree("unpool F64", up, Tolerance.EXACT);
    Pair dy = in(g.inputShape(), DType.F64, values(v.length, DType.F64, 9));
    Pair dx = out(g.outputShape(), DType.F64);
    BE.unpoolBackward(dy.t(), idx.t(), dx.t());
    ref.unpoolBackward(dy.r(), idx.r(), dx.r());
    agree("unpool backward F64", dx, Tolerance.EXACT);
  }

  /** Indices naming one output several times with different values: the last input wins, whatever the thread order. */
  @Test
  void unpoolOfRepeatedIndicesKeepsTheLastValueInEveryDtype() {
    long[] indices = {3, 0, 3, 5, 3, 0, /* plane 2 */ 1, 1, 1, 2, 2, 4};
    for (DType d : ALL) {
      Pair x = in(Shape.of(1, 2, 6), d, values(12, d, 10));
      Pair idx = in(Shape.of(1, 2, 6), DType.I64, java.util.Arrays.stream(indices).asDoubleStream().toArray());
      Pair y = out(Shape.of(1, 2, 6), d);
      BE.unpool(x.t(), idx.t(), y.t());
      ref.unpool(x.r(), idx.r(), y.r());
      agree("unpool with repeated indices " + d, y, Tolerance.EXACT);
      Pair dy = in(Shape.of(1, 2, 6), d, values(12, d, 11));
      Pair dx = out(Shape.of(1, 2, 6), d);
      BE.unpoolBackward(dy.t(), idx.t(), dx.t());
      ref.unpoolBackward(dy.r(), idx.r(), dx.r());
      agree("unpool backward with repeated indices " + d, dx, Tolerance.EXACT);
    }
  }

  // ------------------------------------------------------------------ adaptive pooling

  static Stream<Object[]> adaptiveCases() {
    List<Object[]> l = new ArrayList<>();
    int[][][] sizes = {{{13, 13}, {1, 1}}, {{10, 7}, {3, 4}}, {{5, 5}, {7, 7}}, {{11}, {4}}, {{17}, {17}},
        {{5, 6, 7}, {2, 3, 3}}, {{3, 4, 5}, {5, 4, 3}}, {{7, 9}, {2, 9}}};
    for (boolean max : new boolean[] {false, true}) for (int[][] s : sizes) l.add(new Object[] {max, s[0], s[1]});
    return l.stream();
  }

  @ParameterizedTest(name = "max {0}: {1} -> {2}")
  @MethodSource("adaptiveCases")
  void adaptivePoolingInF64WithTiesAndNaN(boolean max, int[] inSize, int[] outSize) {
    Shape xs = spatial(2, 3, inSize);
    Shape ys = spatial(2, 3, outSize);
    Random r = new Random(12);
    double[] v = new double[(int) xs.numel()];
    for (int i = 0; i < v.length; i++) v[i] = max ? r.nextInt(4) : r.nextGaussian();
    if (max) v[v.length / 2] = Double.NaN;
    Pair x = in(xs, DType.F64, v);
    Pair y = out(ys, DType.F64);
    BE.adaptivePool(max, x.t(), y.t());
    ref.adaptivePool(max, x.r(), y.r());
    agree("adaptive forward F64", y, Tolerance.EXACT);
    Pair dy = in(ys, DType.F64, values((int) ys.numel(), DType.F64, 13));
    Pair dx = out(xs, DType.F64);
    BE.adaptivePoolBackward(max, x.t(), y.t(), dy.t(), dx.t());
    ref.adaptivePoolBackward(max, x.r(), y.r(), dy.r(), dx.r());
    agree("adaptive backward F64 (gathered in the reference's order)", dx, Tolerance.EXACT);
  }

  static Shape spatial(int n, int c, int[] s) {
    int[] d = new int[s.length + 2];
    d[0] = n;
    d[1] = c;
    System.arraycopy(s, 0, d, 2, s.length);
    return Shape.of(d);
  }

  // ------------------------------------------------------------------ upsampling

  static Stream<Object[]> upsampleCases() {
    List<Object[]> l = new ArrayList<>();
    int[][][] sizes = {{{5}, {10}}, {{7}, {3}}, {{4, 5}, {8, 10}}, {{4, 5}, {7, 13}}, {{6, 6}, {4, 3}},
        {{2, 3, 4}, {4, 5, 8}}, {{1, 1}, {3, 3}}, {{5, 4}, {1, 1}}, {{3, 7}, {3, 7}}, {{9}, {32}}, {{3, 3, 3}, {2, 7, 1}}};
    for (int[][] s : sizes) {
      for (org.jdnn.spi.UpsampleMode m : org.jdnn.spi.UpsampleMode.values()) {
        for (boolean align : new boolean[] {false, true}) l.add(new Object[] {m, align, s[0], s[1]});
      }
    }
    return l.stream();
  }

  @ParameterizedTest(name = "{0} align {1}: {2} -> {3}")
  @MethodSource("upsampleCases")
  void upsamplingInF32AndF64(org.jdnn.spi.UpsampleMode m, boolean align, int[] inSize, int[] outSize) {
    Shape xs = spatial(2, 2, inSize);
    Shape ys = spatial(2, 2, outSize);
    for (DType d : FLOATING) {
      Pair x = in(xs, d, values((int) xs.numel(), d, 14));
      Pair y = out(ys, d);
      BE.upsample(m, align, x.t(), y.t());
      ref.upsample(m, align, x.r(), y.r());
      // The same float weights and double sums as the reference: identical.
      agree("upsample " + d, y, Tolerance.EXACT);
      Pair dy = in(ys, d, values((int) ys.numel(), d, 15));
      Pair dx = out(xs, d);
      BE.upsampleBackward(m, align, dy.t(), dx.t());
      ref.upsampleBackward(m, align, dy.r(), dx.r());
      agree("upsample backward " + d, dx, Tolerance.EXACT);
    }
  }

  // ------------------------------------------------------------------ batch norm and LRN, both ways

  /** The default backend (cuDNN where the plans allow, emulated) and the one with jdnn's kernels throughout. */
  static final CudaBackend KERNELS = new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated, jdnn kernels", false, false);

  static Stream<Object[]> batchNormCases() {
    List<Object[]> l = new ArrayList<>();
    int[][] shapes = {{4, 3}, {3, 4, 13}, {2, 3, 5, 7}, {2, 2, 3, 4, 5}, {1, 5, 3, 3}, {37, 2}, {3, 1, 40, 41}};
    for (int[] s : shapes) for (double eps : new double[] {1e-5, 0.1, 0}) l.add(new Object[] {Shape.of(s), eps});
    return l.stream();
  }

  @ParameterizedTest(name = "{0} eps {1}")
  @MethodSource("batchNormCases")
  void batchNormInF64ThroughCudnnAndTheKernels(Shape xs, double eps) {
    Shape cs = Shape.of(xs.dim(1));
    int c = xs.dim(1);
    double[] xv = values((int) xs.numel(), DType.F64, 16);
    for (int i = 0; i < xv.length; i++) xv[i] = 3 + 2 * xv[i];
    for (CudaBackend be : new CudaBackend[] {BE, KERNELS}) {
      Pair x = new Pair(Guarded.of(be, DType.F64, xs, xv), Guarded.of(ref, DType.F64, xs, xv));
      Pair w = pair(be, cs, values(c, DType.F64, 17));
      Pair b = pair(be, cs, values(c, DType.F64, 18));
      Pair y = pair(be, xs, null);
      Pair mean = pair(be, cs, null);
      Pair inv = pair(be, cs, null);
      be.batchNormTraining(x.t(), w.t(), b.t(), eps, y.t(), mean.t(), inv.t());
      ref.batchNormTraining(x.r(), w.r(), b.r(), eps, y.r(), mean.r(), inv.r());
      String on = be.description() + " " + xs + " eps " + eps;
      agree("training y " + on, y, SUMS);
      agree("training mean " + on, mean, SUMS);
      agree("training inverse std " + on, inv, SUMS);
      Pair rm = pair(be, cs, values(c, DType.F64, 19));
      double[] rv = values(c, DType.F64, 20);
      for (int i = 0; i < c; i++) rv[i] = 0.5 + rv[i] * rv[i];
      Pair rvar = pair(be, cs, rv);
      Pair yi = pair(be, xs, null);
      be.batchNormInference(x.t(), w.t(), b.t(), rm.t(), rvar.t(), eps, yi.t());
      ref.batchNormInference(x.r(), w.r(), b.r(), rm.r(), rvar.r(), eps, yi.r());
      agree("inference " + on, yi, SUMS);
      Pair dy = pair(be, xs, values((int) xs.numel(), DType.F64, 21));
      Pair savedMean = pair(be, cs, mean.ref().values());
      Pair savedInv = pair(be, cs, inv.ref().values());
      Pair dx = pair(be, xs, null);
      Pair dw = pair(be, cs, null);
      Pair db = pair(be, cs, null);
      be.batchNormBackward(x.t(), w.t(), dy.t(), savedMean.t(), savedInv.t(), dx.t(), dw.t(), db.t());
      ref.batchNormBackward(x.r(), w.r(), dy.r(), savedMean.r(), savedInv.r(), dx.r(), dw.r(), db.r());
      agree("backward dx " + on, dx, SUMS);
      agree("backward dweight " + on, dw, SUMS);
      agree("backward dbias " + on, db, SUMS);
    }
  }

  static Stream<Object[]> lrnCases() {
    List<Object[]> l = new ArrayList<>();
    for (int size : new int[] {1, 2, 3, 4, 5, 9, 16, 17, 25}) l.add(new Object[] {Shape.of(2, 11, 3, 4), size, 1e-4, 0.75, 2.0});
    l.add(new Object[] {Shape.of(2, 6, 5), 5, 2.0, 0.005, 1.0}); // beta below cuDNN's minimum
    l.add(new Object[] {Shape.of(2, 6, 5), 5, 2.0, 0.75, 1e-6}); // k below cuDNN's minimum
    l.add(new Object[] {Shape.of(3, 4), 3, 1.0, 1.5, 0.5}); // (N, C)
    l.add(new Object[] {Shape.of(1, 6, 2, 3, 4), 3, 1.0, 0.75, 1.0}); // 3-d
    return l.stream();
  }

  @ParameterizedTest(name = "{0} size {1} alpha {2} beta {3} k {4}")
  @MethodSource("lrnCases")
  void lrnInF64ThroughCudnnAndTheKernels(Shape xs, int size, double alpha, double beta, double k) {
    for (CudaBackend be : new CudaBackend[] {BE, KERNELS}) {
      Pair x = pair(be, xs, values((int) xs.numel(), DType.F64, 22));
      Pair y = pair(be, xs, null);
      be.lrn(size, alpha, beta, k, x.t(), y.t());
      ref.lrn(size, alpha, beta, k, x.r(), y.r());
      String on = be.description();
      agree("lrn " + on, y, SUMS);
      Pair fy = pair(be, xs, y.ref().values());
      Pair dy = pair(be, xs, values((int) xs.numel(), DType.F64, 23));
      Pair dx = pair(be, xs, null);
      be.lrnBackward(size, alpha, beta, k, x.t(), fy.t(), dy.t(), dx.t());
      ref.lrnBackward(size, alpha, beta, k, x.r(), fy.r(), dy.r(), dx.r());
      agree("lrn backward " + on, dx, SUMS);
    }
  }

  Pair pair(CudaBackend be, Shape s, double[] v) {
    return new Pair(Guarded.of(be, DType.F64, s, v), Guarded.of(ref, DType.F64, s, v));
  }

  /** BatchNorm counts its batches in an I64 scalar: binaryScalar works on integer tensors as the reference does. */
  @Test
  void binaryScalarOnIntegerTensorsCastsBackAsJava() {
    for (DType d : new DType[] {DType.I32, DType.I64, DType.U8}) {
      for (org.jdnn.spi.BinaryOp op : new org.jdnn.spi.BinaryOp[] {org.jdnn.spi.BinaryOp.ADD, org.jdnn.spi.BinaryOp.MUL,
          org.jdnn.spi.BinaryOp.DIV, org.jdnn.spi.BinaryOp.GT}) {
        Pair x = in(Shape.of(3, 7), d, values(21, d, 24));
        Pair y = out(Shape.of(3, 7), d);
        double s = d == DType.U8 ? 3.5 : -2.5; // U8 wraps past 255 as (byte) (long) does
        BE.binaryScalar(op, x.t(), s, y.t());
        ref.binaryScalar(op, x.r(), s, y.r());
        agree("binaryScalar " + op + " " + d, y, Tolerance.EXACT);
      }
    }
  }

  // ------------------------------------------------------------------ errors before any launch

  @Test
  void wrongArgumentsAreClearErrors() {
    Tensor x = Tensor.zeros(Shape.of(2, 3, 4), DType.F32, BE);
    Tensor i = Tensor.zeros(Shape.of(2, 3, 4), DType.I32, BE);
    assertMessage(IllegalArgumentException.class, "permute: axes must be a permutation of 0..2 for [2, 3, 4]; received [0, 0, 1]",
        () -> BE.permute(x, new int[] {0, 0, 1}, Tensor.zeros(Shape.of(2, 2, 3), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class, "permute: y must have shape [4, 2, 3]; received [2, 3, 4]",
        () -> BE.permute(x, new int[] {2, 0, 1}, x.zerosLike()));
    assertMessage(IllegalArgumentException.class, "permute: y must be F32; received I32",
        () -> BE.permute(x, new int[] {0, 1, 2}, i));
    assertMessage(IllegalArgumentException.class,
        "narrow: the window [3, 5) must lie in axis 1 of x [2, 3, 4]",
        () -> BE.narrow(x, 1, 3, Tensor.zeros(Shape.of(2, 2, 4), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class,
        "narrowAssign: src must have dst's shape [2, 3, 4] but for axis 2; received [2, 2, 2]",
        () -> BE.narrowAssign(Tensor.zeros(Shape.of(2, 2, 2), DType.F32, BE), 2, 0, x));
    assertMessage(IllegalArgumentException.class, "narrow: axis must be in [0, 3) for [2, 3, 4]; received 3",
        () -> BE.narrow(x, 3, 0, x));
    assertMessage(IllegalArgumentException.class, "where: out must have shape [2, 3, 4]; received [3, 4]",
        () -> BE.where(i, x, x, Tensor.zeros(Shape.of(3, 4), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class, "where: b must be F32; received I32", () -> BE.where(i, x, i, x));
    assertMessage(IllegalArgumentException.class,
        "pad: reflect pads must be smaller than the axis; axis 2 of [2, 3, 4] (size 4) has pads 4 and 0",
        () -> BE.pad(PadMode.REFLECT, new int[] {4}, new int[] {0}, 0, x, Tensor.zeros(Shape.of(2, 3, 8), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class,
        "pad: circular pads must not exceed the axis; axis 1 of [2, 3, 4] (size 3) has pads 0 and 4",
        () -> BE.pad(PadMode.CIRCULAR, new int[] {0, 0}, new int[] {4, 0}, 0, x,
            Tensor.zeros(Shape.of(2, 7, 4), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class, "pad: y must have shape [2, 3, 6]; received [2, 3, 4]",
        () -> BE.pad(PadMode.CONSTANT, new int[] {1}, new int[] {1}, 0, x, x));
    assertMessage(UnsupportedOperationException.class, "cuda padBackward: dtype I32 is not supported; F32 and F64 are",
        () -> BE.padBackward(PadMode.CONSTANT, new int[] {0}, new int[] {0}, i, i));
    Tensor idx = Tensor.zeros(Shape.of(2, 3, 4), DType.I64, BE);
    assertMessage(IllegalArgumentException.class, "unpool: indices must be I64; received I32", () -> BE.unpool(x, i, x));
    assertMessage(IllegalArgumentException.class,
        "unpool: x and y must be (N, C, *) with the same N and C and rank; received [2, 3, 4] and [2, 2, 8]",
        () -> BE.unpool(x, idx, Tensor.zeros(Shape.of(2, 2, 8), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class, "unpoolBackward: indices must have shape [2, 3, 2]; received [2, 3, 4]",
        () -> BE.unpoolBackward(x, idx, Tensor.zeros(Shape.of(2, 3, 2), DType.F32, BE)));
    PoolGeometry avg = PoolGeometry.of(PoolGeometry.Mode.AVG_INCLUDE_PAD, Shape.of(2, 3, 4), new int[] {2},
        new int[] {2}, new int[] {0}, new int[] {1}, false);
    assertMessage(IllegalArgumentException.class,
        "maxPoolWithIndices: the geometry must be MAX pooling; received AVG_INCLUDE_PAD",
        () -> BE.maxPoolWithIndices(avg, x, Tensor.zeros(Shape.of(2, 3, 2), DType.F32, BE),
            Tensor.zeros(Shape.of(2, 3, 2), DType.I64, BE)));
    assertMessage(IllegalArgumentException.class,
        "adaptivePool: x and y must be (N, C, *) with the same N, C and 1 to 3 spatial axes; received [2, 3, 4] and [2, 4, 2]",
        () -> BE.adaptivePool(true, x, Tensor.zeros(Shape.of(2, 4, 2), DType.F32, BE)));
    assertMessage(IllegalArgumentException.class, "adaptivePoolBackward: dy must have shape [2, 3, 2]; received [2, 3, 4]",
        () -> BE.adaptivePoolBackward(false, x, Tensor.zeros(Shape.of(2, 3, 2), DType.F32, BE), x, x));
    assertMessage(IllegalArgumentException.class,
        "upsample: x [2, 3, 0] has an empty spatial axis, from which y [2, 3, 4] cannot be computed",
        () -> BE.upsample(org.jdnn.spi.UpsampleMode.LINEAR, false, Tensor.zeros(Shape.of(2, 3, 0), DType.F32, BE), x));
    assertMessage(UnsupportedOperationException.class, "cuda upsample: dtype I64 is not supported; F32 and F64 are",
        () -> BE.upsample(org.jdnn.spi.UpsampleMode.NEAREST, false, idx, idx));
    Tensor c3 = Tensor.zeros(Shape.of(3), DType.F32, BE);
    assertMessage(IllegalArgumentException.class, "batchNormTraining: bias must have shape [3]; received [2, 3, 4]",
        () -> BE.batchNormTraining(x, c3, x, 1e-5, x, c3, c3));
    assertMessage(IllegalArgumentException.class, "batchNormTraining: eps must be finite and >= 0; received -1.0",
        () -> BE.batchNormTraining(x, c3, c3, -1, x, c3, c3));
    assertMessage(IllegalArgumentException.class, "batchNormInference: runningVar must be F32; received F64",
        () -> BE.batchNormInference(x, c3, c3, c3, Tensor.zeros(Shape.of(3), DType.F64, BE), 1e-5, x));
    assertMessage(IllegalArgumentException.class, "batchNormBackward: dx must have shape [2, 3, 4]; received [3]",
        () -> BE.batchNormBackward(x, c3, x, c3, c3, c3, c3, c3));
    assertMessage(UnsupportedOperationException.class, "cuda batchNormTraining: dtype I32 is not supported; F32 and F64 are",
        () -> BE.batchNormTraining(i, c3, c3, 1e-5, i, c3, c3));
    assertMessage(IllegalArgumentException.class, "lrn: size must be >= 1; received 0", () -> BE.lrn(0, 1, 1, 1, x, x));
    assertMessage(IllegalArgumentException.class, "lrnBackward: dy must have shape [2, 3, 4]; received [3]",
        () -> BE.lrnBackward(3, 1, 1, 1, x, x, c3, x));
  }

  static <E extends Throwable> void assertMessage(Class<E> type, String message, org.junit.jupiter.api.function.Executable call) {
    E e = assertThrows(type, call);
    assertEquals(message, e.getMessage());
  }
}

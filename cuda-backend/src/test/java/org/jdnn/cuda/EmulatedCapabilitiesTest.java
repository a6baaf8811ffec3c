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
  }

  static <E extends Throwable> void assertMessage(Class<E> type, String message, org.junit.jupiter.api.function.Executable call) {
    E e = assertThrows(type, call);
    assertEquals(message, e.getMessage());
  }
}

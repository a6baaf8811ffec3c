package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.PoolGeometry.Mode;
import org.jdnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure-Java planning the CUDA backend hands to cuBLAS, cuDNN and its kernels, checked on the CPU. */
class PlansTest {

  // ------------------------------------------------------------------ GEMM: row-major to cuBLAS

  record GemmCase(boolean ta, boolean tb, int batchA, int batchB, int m, int n, int k) {
    int[] a() {
      return dims(batchA, ta ? k : m, ta ? m : k);
    }

    int[] b() {
      return dims(batchB, tb ? n : k, tb ? k : n);
    }

    int[] c() {
      return dims(Math.max(batchA, batchB), m, n);
    }

    static int[] dims(int batch, int r, int c) {
      return batch == 0 ? new int[] {r, c} : new int[] {batch, r, c};
    }
  }

  static Stream<GemmCase> gemmCases() {
    List<GemmCase> cases = new ArrayList<>();
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        cases.add(new GemmCase(ta, tb, 0, 0, 1, 1, 1));
        cases.add(new GemmCase(ta, tb, 0, 0, 7, 13, 5));
        cases.add(new GemmCase(ta, tb, 0, 0, 13, 1, 7));
        cases.add(new GemmCase(ta, tb, 3, 3, 7, 5, 4));
        cases.add(new GemmCase(ta, tb, 0, 4, 7, 5, 3)); // shared a
        cases.add(new GemmCase(ta, tb, 4, 0, 5, 7, 6)); // shared b
      }
    }
    return cases.stream();
  }

  /** The plan, executed column-major the way cuBLAS defines its arguments, equals row-major loops. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("gemmCases")
  void gemmPlanIsTheRowMajorProduct(GemmCase c) {
    Random r = new Random(7);
    double[] a = r.doubles(numel(c.a())).toArray();
    double[] b = r.doubles(numel(c.b())).toArray();
    double[] init = r.doubles(numel(c.c())).toArray();
    double alpha = 1.5;
    double beta = 0.5;
    double[] expected = init.clone();
    int batch = c.c().length == 3 ? c.c()[0] : 1;
    int aStride = c.a().length == 3 ? c.m() * c.k() : 0;
    int bStride = c.b().length == 3 ? c.k() * c.n() : 0;
    for (int p = 0; p < batch; p++) {
      for (int i = 0; i < c.m(); i++) {
        for (int j = 0; j < c.n(); j++) {
          double acc = 0;
          for (int q = 0; q < c.k(); q++) {
            double av = a[p * aStride + (c.ta() ? q * c.m() + i : i * c.k() + q)];
            double bv = b[p * bStride + (c.tb() ? j * c.k() + q : q * c.n() + j)];
            acc += av * bv;
          }
          int ci = p * c.m() * c.n() + i * c.n() + j;
          expected[ci] = alpha * acc + beta * expected[ci];
        }
      }
    }
    GemmPlan plan = GemmPlan.of(c.ta(), c.tb(), c.a(), c.b(), c.c());
    double[] got = init.clone();
    GemmPlan.referenceColumnMajor(plan, alpha, b, a, beta, got);
    assertArrayEquals(expected, got, 1e-12, c + " as " + plan);
    assertEquals(batch, plan.batch());
    assertEquals(c.n(), plan.ldResult(), "ldc is n");
  }

  @Test
  void gemmPlanOfASharedOperandHasStrideZero() {
    GemmPlan p = GemmPlan.of(false, false, new int[] {7, 3}, new int[] {4, 3, 5}, new int[] {4, 7, 5});
    assertEquals(0, p.strideSecond(), "a is rank 2, shared by every batch entry");
    assertEquals(15, p.strideFirst());
    assertEquals(35, p.strideResult());
    assertEquals(5, p.rows(), "cuBLAS m is the row-major n");
    assertEquals(7, p.cols(), "cuBLAS n is the row-major m");
  }

  private static int numel(int[] d) {
    int n = 1;
    for (int v : d) n *= v;
    return n;
  }

  // ------------------------------------------------------------------ convolution descriptors

  @Test
  void conv1dBecomesConv2dWithALeadingAxisOfOne() {
    ConvGeometry g = ConvGeometry.of(Shape.of(2, 4, 13), Shape.of(6, 2, 3), new int[] {2}, new int[] {1},
        new int[] {3}, 2);
    ConvPlan p = ConvPlan.of(g);
    assertArrayEquals(new int[] {2, 4, 1, 13}, p.xDims());
    assertArrayEquals(new int[] {6, 2, 1, 3}, p.wDims());
    assertArrayEquals(new int[] {2, 6, 1, g.outSize[0]}, p.yDims());
    assertArrayEquals(new int[] {0, 1}, p.pad());
    assertArrayEquals(new int[] {1, 2}, p.stride());
    assertArrayEquals(new int[] {1, 3}, p.dilation());
    assertEquals(2, p.groups());
    assertEquals(2, p.convDims());
  }

  @Test
  void conv2dAnd3dMapAxisForAxis() {
    ConvGeometry g2 = ConvGeometry.of(Shape.of(3, 6, 13, 7), Shape.of(9, 2, 3, 2), new int[] {2, 1},
        new int[] {1, 0}, new int[] {1, 2}, 3);
    ConvPlan p2 = ConvPlan.of(g2);
    assertArrayEquals(new int[] {3, 6, 13, 7}, p2.xDims());
    assertArrayEquals(new int[] {9, 2, 3, 2}, p2.wDims());
    assertArrayEquals(g2.outputShape().toArray(), p2.yDims());
    assertArrayEquals(new int[] {1, 0}, p2.pad());
    assertArrayEquals(new int[] {2, 1}, p2.stride());
    assertArrayEquals(new int[] {1, 2}, p2.dilation());
    ConvGeometry g3 = ConvGeometry.of(Shape.of(1, 3, 5, 6, 7), Shape.of(4, 3, 3, 3, 3), new int[] {1, 2, 2},
        new int[] {1, 1, 1}, new int[] {1, 1, 1}, 1);
    ConvPlan p3 = ConvPlan.of(g3);
    assertEquals(3, p3.convDims());
    assertArrayEquals(g3.outputShape().toArray(), p3.yDims());
    assertArrayEquals(new int[] {630, 210, 42, 7, 1}, ConvPlan.packedStrides(p3.xDims()), "packed NCDHW strides");
  }

  @Test
  void convCacheKeysSeparateShapesDtypesAndMath() {
    ConvGeometry a = ConvGeometry.of(Shape.of(2, 3, 7, 7), Shape.of(4, 3, 3, 3), new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 1}, 1);
    ConvGeometry b = ConvGeometry.of(Shape.of(2, 3, 7, 7), Shape.of(4, 3, 3, 3), new int[] {1, 1}, new int[] {1, 1},
        new int[] {1, 1}, 1);
    ConvPlan pa = ConvPlan.of(a);
    assertEquals(pa.key("F32", true), ConvPlan.of(a).key("F32", true), "the same shape gives the same key");
    assertFalse(pa.key("F32", true).equals(ConvPlan.of(b).key("F32", true)), "padding is part of the key");
    assertFalse(pa.key("F32", true).equals(pa.key("F32", false)), "TF32 on and off choose separately");
    assertFalse(pa.key("F32", false).equals(pa.key("F64", false)), "dtype is part of the key");
  }

  // ------------------------------------------------------------------ pooling: cuDNN or own kernel

  @Test
  void poolingUsesCudnnOnlyWhereItsSemanticsAreTheReferences() {
    PoolGeometry plain = PoolGeometry.of(Mode.MAX, Shape.of(2, 3, 13, 13), new int[] {3, 3}, new int[] {2, 2},
        new int[] {1, 1}, new int[] {1, 1}, false);
    PoolPlan p = PoolPlan.of(plain);
    assertTrue(p.cudnnForward());
    assertFalse(p.cudnnBackward(), "max backward routes to the first maximum: own kernel");
    assertNull(p.why());
    assertArrayEquals(new int[] {2, 3, 13, 13}, p.xDims());
    assertArrayEquals(new int[] {2, 3, 7, 7}, p.yDims());
    assertEquals(PoolPlan.CUDNN_POOLING_MAX, p.cudnnMode());

    PoolPlan avg = PoolPlan.of(PoolGeometry.of(Mode.AVG_EXCLUDE_PAD, Shape.of(2, 3, 8, 8), new int[] {2, 2},
        new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false));
    assertTrue(avg.cudnnForward() && avg.cudnnBackward());
    assertEquals(PoolPlan.CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING, avg.cudnnMode());

    PoolPlan dilated = PoolPlan.of(PoolGeometry.of(Mode.MAX, Shape.of(2, 3, 13, 13), new int[] {3, 3},
        new int[] {1, 1}, new int[] {1, 1}, new int[] {2, 2}, false));
    assertFalse(dilated.cudnnForward());
    assertTrue(dilated.why().contains("dilation"), dilated.why());

    // 6 + 2 - 3 = 5, ceil(5/2) + 1 = 4 windows, floor gives 3: the last hangs past the padded input.
    PoolPlan ceil = PoolPlan.of(PoolGeometry.of(Mode.AVG_INCLUDE_PAD, Shape.of(2, 2, 6, 6), new int[] {3, 3},
        new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true));
    assertFalse(ceil.cudnnForward() || ceil.cudnnBackward());
    assertTrue(ceil.why().contains("ceil"), ceil.why());

    // ceil mode that adds no window is the floor case, and cuDNN does it.
    PoolPlan ceilSame = PoolPlan.of(PoolGeometry.of(Mode.AVG_INCLUDE_PAD, Shape.of(1, 1, 7, 7), new int[] {3, 3},
        new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, true));
    assertTrue(ceilSame.cudnnForward());
  }

  @Test
  void poolKernelParamsPadToThreeAxes() {
    PoolGeometry g = PoolGeometry.of(Mode.AVG_EXCLUDE_PAD, Shape.of(2, 3, 13), new int[] {3}, new int[] {2},
        new int[] {1}, new int[] {1}, true);
    int[] k = PoolPlan.of(g).kernelParams();
    assertEquals(20, k.length, "the Pool struct: mode, nc, then 6 x 3 ints");
    assertArrayEquals(new int[] {2, 6, 1, 1, 13, 1, 1, g.outSize[0], 1, 1, 3, 1, 1, 2, 0, 0, 1, 1, 1, 1}, k);
    PoolPlan p1 = PoolPlan.of(g);
    assertArrayEquals(new int[] {2, 3, 1, 13}, p1.xDims(), "1-d pooling is 2-d for cuDNN");
    assertArrayEquals(new int[] {1, 3}, p1.window());
  }

  // ------------------------------------------------------------------ softmax view

  @Test
  void softmaxSeesOuterAxisInnerAsNchwChannels() {
    SoftmaxPlan p = SoftmaxPlan.of(Shape.of(2, 3, 5, 7), 1);
    assertArrayEquals(new int[] {2, 3, 35, 1}, p.dims());
    assertArrayEquals(new int[] {1, 13, 1, 1}, SoftmaxPlan.of(Shape.of(13), 0).dims());
    assertArrayEquals(new int[] {7, 13, 1, 1}, SoftmaxPlan.of(Shape.of(7, 13), 1).dims());
    assertArrayEquals(new int[] {1, 7, 13, 1}, SoftmaxPlan.of(Shape.of(7, 13), 0).dims());
    assertEquals(SoftmaxPlan.ALGO_LOG, SoftmaxPlan.algorithm(true));
    assertEquals(SoftmaxPlan.ALGO_ACCURATE, SoftmaxPlan.algorithm(false));
  }

  // ------------------------------------------------------------------ broadcasting and reductions

  static Stream<Shape[]> broadcastCases() {
    return Stream.of(
        new Shape[] {Shape.of(3, 5, 7), Shape.of(3, 5, 7)},
        new Shape[] {Shape.of(3, 5, 7), Shape.of(1)},
        new Shape[] {Shape.of(13), Shape.scalar()},
        new Shape[] {Shape.of(2, 3, 5, 7), Shape.of(1, 3, 1, 1)},
        new Shape[] {Shape.of(2, 3, 5, 7), Shape.of(3, 1, 1)},
        new Shape[] {Shape.of(13, 7), Shape.of(7)},
        new Shape[] {Shape.of(13, 7), Shape.of(13, 1)},
        new Shape[] {Shape.of(3, 1, 5), Shape.of(4, 1)},
        new Shape[] {Shape.of(1, 3, 1, 1), Shape.of(2, 3, 5, 7)},
        new Shape[] {Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 1)},
        new Shape[] {Shape.of(2, 1, 3, 1, 4, 1, 5, 1), Shape.of(1, 2, 1, 3, 1, 4, 1, 5)}); // 8 axes: the most
  }

  /** The kernel's index arithmetic on the plan reaches the same elements as NumPy broadcasting. */
  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("broadcastCases")
  void broadcastPlanAddressesTheRightElements(Shape a, Shape b) {
    Shape out = Shape.broadcast(a, b);
    BroadcastPlan p = BroadcastPlan.of(out, a, b);
    assertTrue(p.shape().length <= BroadcastPlan.MAX_RANK);
    for (long i = 0; i < out.numel(); i++) {
      long[] got = p.offsets(i);
      assertEquals(broadcastIndex(i, out, a), got[0], "a offset of element " + i);
      assertEquals(broadcastIndex(i, out, b), got[1], "b offset of element " + i);
    }
    assertEquals(25, p.kernelStruct().length, "the Bcast struct: rank, then 3 x 8 longs");
  }

  @Test
  void broadcastMergesContiguousAxes() {
    BroadcastPlan same = BroadcastPlan.of(Shape.of(3, 5, 7), Shape.of(3, 5, 7), Shape.of(3, 5, 7));
    assertArrayEquals(new long[] {105}, same.shape(), "one flat axis");
    BroadcastPlan channel = BroadcastPlan.of(Shape.of(2, 3, 5, 7), Shape.of(2, 3, 5, 7), Shape.of(1, 3, 1, 1));
    assertArrayEquals(new long[] {2, 3, 35}, channel.shape());
    assertArrayEquals(new long[] {0, 1, 0}, channel.strideB());
  }

  /** NaiveBackend's rule, restated: axes of size 1 (or missing on the left) contribute nothing. */
  static long broadcastIndex(long flat, Shape out, Shape s) {
    long index = 0;
    long stride = 1;
    int lead = out.rank() - s.rank();
    for (int ax = out.rank() - 1; ax >= 0; ax--) {
      long coord = flat % out.dim(ax);
      flat /= out.dim(ax);
      if (ax < lead) continue;
      int size = s.dim(ax - lead);
      if (size != 1) index += coord * stride;
      stride *= size;
    }
    return index;
  }

  static Stream<Object[]> reduceCases() {
    return Stream.of(
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {0, 1, 2, 3}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {0}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {1}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {3}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {0, 2, 3}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {1, 2}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {0, 2}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {}},
        new Object[] {Shape.of(1, 7, 1), new int[] {0, 2}},
        new Object[] {Shape.of(3, 1, 4, 1, 5), new int[] {0, 3, 4}});
  }

  /** Every output element gets exactly its inputs, each once, in the reference's grouping. */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("reduceCases")
  void reducePlanVisitsEachInputOnceForItsOutput(Shape x, int[] axes) {
    ReducePlan p = ReducePlan.of(x, axes);
    int[] od = x.toArray();
    for (int a : axes) od[a] = 1;
    Shape out = Shape.of(od);
    assertEquals(out.numel(), p.outCount());
    assertEquals(x.numel() / out.numel(), p.redCount());
    int[] owner = new int[(int) x.numel()];
    java.util.Arrays.fill(owner, -1);
    for (long o = 0; o < p.outCount(); o++) {
      for (long r = 0; r < p.redCount(); r++) {
        int off = (int) p.offset(o, r);
        assertEquals(-1, owner[off], "input " + off + " visited twice");
        owner[off] = (int) o;
      }
    }
    for (int i = 0; i < owner.length; i++) {
      assertEquals(broadcastIndex(i, x, out), owner[i], "input " + i + " reduced into the wrong output");
    }
    assertEquals(36, p.kernelStruct().length, "the Red struct");
  }

  @Test
  void tooManyAxesAreAClearUnsupportedOperation() {
    int[] d = new int[18];
    int[] e = new int[18];
    for (int i = 0; i < 18; i++) {
      d[i] = 2;
      e[i] = i % 2 == 0 ? 2 : 1;
    }
    UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
        () -> BroadcastPlan.of(Shape.of(d), Shape.of(d), Shape.of(e)));
    assertTrue(ex.getMessage().contains("at most 8"), ex.getMessage());
  }

  static Stream<Object[]> permuteCases() {
    return Stream.of(new Object[] {Shape.of(7, 13), new int[] {1, 0}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {0, 2, 3, 1}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {3, 1, 0, 2}},
        new Object[] {Shape.of(2, 3, 5, 7), new int[] {0, 1, 2, 3}},
        new Object[] {Shape.of(1, 4, 1), new int[] {2, 1, 0}},
        new Object[] {Shape.of(2, 2, 3, 4, 5), new int[] {4, 0, 3, 1, 2}},
        new Object[] {Shape.of(2, 1, 3, 1, 2, 2, 1, 2, 3, 2), new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}});
  }

  /** The kernel's gather on the plan reads the element NaiveBackend's permute reads. */
  @ParameterizedTest(name = "{0} by {1}")
  @MethodSource("permuteCases")
  void permutePlanGathersTheRightElements(Shape x, int[] axes) {
    PermutePlan p = PermutePlan.of(x, axes);
    Shape out = PermutePlan.outShape(x, axes);
    long[] xs = x.strides();
    int[] c = new int[out.rank()];
    for (int i = 0; i < out.numel(); i++) {
      int rest = i;
      for (int a = out.rank() - 1; a >= 0; a--) {
        c[a] = rest % out.dim(a);
        rest /= out.dim(a);
      }
      long src = 0;
      for (int a = 0; a < c.length; a++) src += c[a] * xs[axes[a]];
      assertEquals(src, p.source(i), "output element " + i);
    }
    assertEquals(17, p.kernelStruct().length, "the Perm struct: rank, then 2 x 8 longs");
  }

  @Test
  void permuteMergesAxesThatStayNeighbours() {
    assertArrayEquals(new long[] {210}, PermutePlan.of(Shape.of(2, 3, 5, 7), new int[] {0, 1, 2, 3}).shape(), "identity");
    PermutePlan p = PermutePlan.of(Shape.of(2, 3, 5, 7), new int[] {0, 2, 3, 1}); // NCHW -> NHWC
    assertArrayEquals(new long[] {2, 35, 3}, p.shape());
    assertArrayEquals(new long[] {105, 1, 35}, p.stride());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PermutePlan.of(Shape.of(2, 3), new int[] {0}));
    assertEquals("permute: axes must list each of the 2 axes of [2, 3] once; received [0]", e.getMessage());
  }

  @Test
  void padPlanSeesTheTensorAsOuterTimesThePaddedAxes() {
    PadPlan p = PadPlan.of("pad", org.jdnn.spi.PadMode.REFLECT, new int[] {1, 2}, new int[] {3, 0}, Shape.of(2, 3, 5, 6));
    assertEquals(6, p.outer());
    assertArrayEquals(new long[] {5, 6}, p.in());
    assertArrayEquals(new long[] {9, 8}, p.out());
    assertEquals(Shape.of(2, 3, 9, 8), p.outShape(Shape.of(2, 3, 5, 6)));
    long[] k = p.kernelStruct();
    assertEquals(34, k.length, "the Pad struct: k, outer, then 4 x 8 longs");
    assertArrayEquals(new long[] {2, 6, 5, 6}, java.util.Arrays.copyOf(k, 4));
    assertArrayEquals(new long[] {1, 2}, java.util.Arrays.copyOfRange(k, 18, 20), "before");
    assertArrayEquals(new long[] {3, 0}, java.util.Arrays.copyOfRange(k, 26, 28), "after");
    assertEquals(1, PadPlan.of("pad", org.jdnn.spi.PadMode.CONSTANT, new int[] {1, 1, 1}, new int[] {0, 0, 0},
        Shape.of(2, 3, 4)).outer(), "every axis padded");
  }

  @Test
  void batchNormPlanGivesCudnnTheSpatialViewOrSaysWhyNot() {
    BatchNormPlan p = BatchNormPlan.of("bn", Shape.of(2, 3, 5, 7), 1e-5, true);
    assertTrue(p.cudnn(), p.why());
    assertArrayEquals(new int[] {2, 3, 35, 1}, p.xDims(), "(N, C, S, 1): spatial mode reduces over N and S");
    assertArrayEquals(new int[] {1, 3, 1, 1}, p.paramDims());
    assertArrayEquals(new int[] {4, 3, 1, 1}, BatchNormPlan.of("bn", Shape.of(4, 3), 1e-5, true).xDims(), "(N, C)");
    assertArrayEquals(new int[] {2, 2, 60, 1}, BatchNormPlan.of("bn", Shape.of(2, 2, 3, 4, 5), 0.1, true).xDims(), "3-d");
    BatchNormPlan small = BatchNormPlan.of("bn", Shape.of(2, 3), 1e-6, true);
    assertFalse(small.cudnn());
    assertEquals("eps 1.0E-6 is below 1e-5, the CUDNN_BN_MIN_EPSILON of older cuDNN", small.why());
    assertEquals("jdnn.cuda.normalization=jdnn", BatchNormPlan.of("bn", Shape.of(2, 3), 1e-5, false).why());
    assertFalse(BatchNormPlan.of("bn", Shape.of(2, 3, 1 << 16, 1 << 15), 1e-5, true).cudnn(), "2^32 elements");
  }

  @Test
  void lrnPlanGivesCudnnOnlyWhatItComputesAsPyTorch() {
    LrnPlan p = LrnPlan.of("lrn", Shape.of(2, 7, 5, 5), 5, 1e-4, 0.75, 2, true);
    assertTrue(p.cudnn(), p.why());
    assertArrayEquals(new int[] {2, 7, 25, 1}, p.dims());
    assertEquals(1e-4, p.alpha(), "cuDNN divides lrnAlpha by n itself, as PyTorch divides alpha by size");
    assertEquals("even size 4: cuDNN's window is PyTorch's mirrored",
        LrnPlan.of("lrn", Shape.of(2, 7), 4, 1, 1, 1, true).why());
    assertEquals("size 17 outside cuDNN's 1..16", LrnPlan.of("lrn", Shape.of(2, 7), 17, 1, 1, 1, true).why());
    assertEquals("k 1.0E-6 below cuDNN's minimum 1e-5", LrnPlan.of("lrn", Shape.of(2, 7), 3, 1, 1, 1e-6, true).why());
    assertEquals("beta 0.001 below cuDNN's minimum 0.01", LrnPlan.of("lrn", Shape.of(2, 7), 3, 1, 1e-3, 1, true).why());
    assertTrue(LrnPlan.of("lrn", Shape.of(2, 7), 1, 1, 1, 1, true).cudnn(), "size 1: the channel alone, either way");
    assertTrue(LrnPlan.of("lrn", Shape.of(2, 7), 15, 1, 1, 1, true).cudnn());
  }
}

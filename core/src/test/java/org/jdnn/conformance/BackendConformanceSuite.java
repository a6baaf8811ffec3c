package org.jdnn.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.jdnn.spi.Activation;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.PoolGeometry.Mode;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.UnaryOp;
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
 * The conformance suite every backend runs: each SPI primitive on a table of cases, the backend
 * under test compared with the naive reference on identical inputs.
 *
 * <p>A backend's test module extends this class and names the two backends:
 *
 * <pre>{@code
 * class CpuConformanceTest extends BackendConformanceSuite {
 *   protected Backend backend() { return new CpuBackend(); }
 *   protected Backend reference() { return new NaiveBackend(); }
 * }
 * }</pre>
 *
 * <p>How a case runs: inputs are generated on the host from a seed, so they do not depend on
 * either backend, and copied into both. Every tensor handed to a backend sits at a non-zero offset
 * inside a larger allocation with sentinels around it ({@link Guarded}), and outputs that the SPI
 * says are overwritten start as NaN; so a backend that ignores offsets, reads outside its inputs,
 * writes outside its outputs or forgets to initialise an output fails. Results are F32 and
 * compared element by element within the case's {@link Tolerance}, whose reason is printed on
 * failure. Display names say which case failed.
 */
public abstract class BackendConformanceSuite {

  /** The backend under test. */
  protected abstract Backend backend();

  /** The naive reference (direct loops in double) that defines the right answer. */
  protected abstract Backend reference();

  // ------------------------------------------------------------------------------------------
  // Tolerances. The reference accumulates in double and rounds once; a fast backend may
  // accumulate in F32, in another order, or use F32 transcendental functions.

  /** Point-wise functions: the same formula, F32 versus double intermediates, one rounding. */
  static final Tolerance POINTWISE =
      Tolerance.of(1e-6, 1e-7, "point-wise: F32 vs double intermediates, within a few ulp");

  /** Transcendental point-wise functions (exp, log, tanh, sigmoid), which a GPU computes in F32. */
  static final Tolerance TRANSCENDENTAL =
      Tolerance.of(1e-5, 1e-6, "transcendental function: F32 implementations allowed");

  /**
   * Dot products and sums (GEMM, convolution, pooling, reductions, softmax): F32 accumulation in
   * any order. A recursive F32 sum of n O(1) terms has an error of about {@code 2^-24 n / 2.4}
   * (for the 2352-term sums of the LeNet C1 filter gradient: 6e-5), i.e. relative to the result's
   * scale {@code sqrt(n)}, not to an element that cancelled to near zero; hence 1e-5 of the
   * element plus 1e-5 of the tensor's RMS.
   */
  static final Tolerance ACCUMULATE =
      Tolerance.scaled(1e-5, "sums: F32 accumulation in any order, bounded relative to element and tensor RMS");

  // ------------------------------------------------------------------------------------------
  // Fixture: both backends, and a scope that releases every tensor of a case.

  private Backend test;
  private Backend ref;
  private Scope scope;

  @BeforeEach
  void openScope() {
    test = backend();
    ref = reference();
    scope = Scope.open();
  }

  @AfterEach
  void closeScope() {
    scope.close();
  }

  /** One tensor with identical contents on the backend under test ({@link #t}) and the reference ({@link #r}). */
  protected final class Twin {
    final Guarded onTest;
    final Guarded onRef;

    Twin(Guarded onTest, Guarded onRef) {
      this.onTest = onTest;
      this.onRef = onRef;
    }

    Tensor t() {
      return onTest.tensor();
    }

    Tensor r() {
      return onRef.tensor();
    }

    Shape shape() {
      return onTest.shape();
    }
  }

  /** An input holding {@code values} on both backends. */
  protected Twin input(Shape shape, DType dtype, double[] values) {
    return new Twin(Guarded.of(test, dtype, shape, values), Guarded.of(ref, dtype, shape, values));
  }

  protected Twin input(Shape shape, double[] values) {
    return input(shape, DType.F32, values);
  }

  /** An output the op must overwrite: NaN (0 for integers) before the call. */
  protected Twin output(Shape shape, DType dtype) {
    return input(shape, dtype, null);
  }

  protected Twin output(Shape shape) {
    return output(shape, DType.F32);
  }

  /**
   * Compares the two sides of {@code out} within {@code tol} and checks that neither backend wrote
   * outside it.
   */
  protected void assertAgree(String what, Twin out, Tolerance tol) {
    out.onRef.assertGuardsIntact(what + " [reference " + ref.description() + "]");
    out.onTest.assertGuardsIntact(what + " [" + test.description() + "]");
    tol.assertClose(what + " [" + test.description() + " vs reference]", out.shape(), out.onRef.values(),
        out.onTest.values());
  }

  // ------------------------------------------------------------------------------------------
  // Host-side data: a pure function of the seed, independent of any backend.

  static double[] normal(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    return v;
  }

  static double[] uniform(int n, double low, double high, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = low + (high - low) * r.nextDouble();
    return v;
  }

  /** Uniform magnitudes in [low, high) with random signs: keeps divisors away from zero. */
  static double[] awayFromZero(int n, double low, double high, long seed) {
    double[] v = uniform(n, low, high, seed);
    Random r = new Random(~seed);
    for (int i = 0; i < n; i++) if (r.nextBoolean()) v[i] = -v[i];
    return v;
  }

  /** Small integers in [0, levels): many exact ties, for first-maximum rules. */
  static double[] levels(int n, int levels, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextInt(levels);
    return v;
  }

  static int numel(Shape s) {
    return Math.toIntExact(s.numel());
  }

  static int[] a(int... v) {
    return v;
  }

  static String dims(int[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : "x").append(v[i]);
    return sb.toString();
  }

  // ==========================================================================================
  // GEMM

  /**
   * {@code c = alpha op(a) op(b) + beta c}. {@code batchA}/{@code batchB} of 0 mean a rank-2
   * operand (shared by every batch entry when the other is rank 3).
   */
  public record GemmCase(String name, boolean ta, boolean tb, int batchA, int batchB, int m, int n, int k,
      double alpha, double beta) {
    Shape aShape() {
      return withBatch(batchA, ta ? k : m, ta ? m : k);
    }

    Shape bShape() {
      return withBatch(batchB, tb ? n : k, tb ? k : n);
    }

    Shape cShape() {
      return withBatch(Math.max(batchA, batchB), m, n);
    }

    private static Shape withBatch(int batch, int rows, int cols) {
      return batch == 0 ? Shape.of(rows, cols) : Shape.of(batch, rows, cols);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static GemmCase gemm(boolean ta, boolean tb, int batchA, int batchB, int m, int n, int k, double alpha, double beta) {
    String ops = (ta ? "A^T" : "A") + " " + (tb ? "B^T" : "B");
    String batch = batchA == 0 && batchB == 0 ? "" : batchA == batchB ? " batch " + batchA
        : batchA == 0 ? " batch " + batchB + " shared A" : " batch " + batchA + " shared B";
    String scale = alpha == 1 && beta == 0 ? "" : String.format(Locale.ROOT, " alpha=%s beta=%s", alpha, beta);
    return new GemmCase(String.format(Locale.ROOT, "gemm %s m=%d n=%d k=%d%s%s", ops, m, n, k, batch, scale),
        ta, tb, batchA, batchB, m, n, k, alpha, beta);
  }

  static Stream<GemmCase> gemmCases() {
    List<GemmCase> cases = new ArrayList<>();
    int[][] sizes = {{1, 1, 1}, {7, 13, 5}, {13, 7, 65}, {65, 1, 7}, {1, 65, 13}, {65, 65, 65}};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (int[] s : sizes) cases.add(gemm(ta, tb, 0, 0, s[0], s[1], s[2], 1, 0));
        cases.add(gemm(ta, tb, 3, 3, 7, 13, 5, 1, 0)); // batched, both rank 3
        cases.add(gemm(ta, tb, 0, 4, 7, 13, 5, 1, 0)); // shared A
        cases.add(gemm(ta, tb, 4, 0, 13, 7, 65, 1, 0)); // shared B
      }
    }
    cases.add(gemm(false, false, 1, 1, 13, 7, 5, 1, 0)); // a batch of one
    cases.add(gemm(false, false, 0, 0, 7, 13, 65, 0.5, 0));
    cases.add(gemm(false, false, 0, 0, 13, 13, 7, 1, 1));
    cases.add(gemm(false, true, 0, 0, 7, 65, 13, -2, 0.25));
    cases.add(gemm(true, true, 0, 0, 13, 7, 13, 1.5, -1));
    cases.add(gemm(true, false, 3, 3, 7, 13, 65, 0.75, 0.5));
    cases.add(gemm(false, true, 0, 3, 13, 7, 5, 2, 1));
    cases.add(gemm(false, false, 0, 0, 3, 4, 0, 1, 0.5)); // k = 0: c = beta c
    cases.add(gemm(false, false, 0, 0, 131, 257, 65, 1, 0)); // large enough to split rows over threads
    cases.add(gemm(true, true, 0, 0, 131, 129, 67, 1, 0));
    cases.add(gemm(false, true, 5, 5, 33, 65, 31, 1, 0)); // batch split over threads
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gemmCases")
  void gemm(GemmCase c) {
    Twin a = input(c.aShape(), normal(numel(c.aShape()), 1));
    Twin b = input(c.bShape(), normal(numel(c.bShape()), 2));
    // With beta = 0 the SPI (like BLAS) must ignore c's old contents: they are NaN here.
    Twin out = c.beta() == 0 ? output(c.cShape()) : input(c.cShape(), normal(numel(c.cShape()), 3));
    test.gemm(c.ta(), c.tb(), c.alpha(), a.t(), b.t(), c.beta(), out.t());
    ref.gemm(c.ta(), c.tb(), c.alpha(), a.r(), b.r(), c.beta(), out.r());
    assertAgree(c.name(), out, ACCUMULATE);
  }

  // ==========================================================================================
  // Convolution: one table, run forward, backward-data and backward-filter.

  public record ConvCase(String name, int batch, int inChannels, int outChannels, int groups, int[] in,
      int[] kernel, int[] stride, int[] padding, int[] dilation) {
    ConvGeometry geometry() {
      int[] x = new int[in.length + 2];
      x[0] = batch;
      x[1] = inChannels;
      System.arraycopy(in, 0, x, 2, in.length);
      int[] w = new int[kernel.length + 2];
      w[0] = outChannels;
      w[1] = inChannels / groups;
      System.arraycopy(kernel, 0, w, 2, kernel.length);
      return ConvGeometry.of(Shape.of(x), Shape.of(w), stride, padding, dilation, groups);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "conv%dd %s: N=%d C=%d->%d in=%s k=%s s=%s p=%s d=%s g=%d", in.length, name,
          batch, inChannels, outChannels, dims(in), dims(kernel), dims(stride), dims(padding), dims(dilation), groups);
    }
  }

  /** {@code (n, c, *spatial)}. */
  static Shape spatialShape(int n, int c, int[] spatial) {
    int[] d = new int[spatial.length + 2];
    d[0] = n;
    d[1] = c;
    System.arraycopy(spatial, 0, d, 2, spatial.length);
    return Shape.of(d);
  }

  static ConvCase conv(String name, int n, int cin, int cout, int groups, int[] in, int[] k, int[] s, int[] p,
      int[] d) {
    return new ConvCase(name, n, cin, cout, groups, in, k, s, p, d);
  }

  static Stream<ConvCase> convCases() {
    return Stream.of(
        // 1-d
        conv("basic", 2, 3, 4, 1, a(13), a(3), a(1), a(0), a(1)),
        conv("stride 2, padding 2", 1, 3, 5, 1, a(13), a(5), a(2), a(2), a(1)),
        conv("dilation 2", 2, 2, 3, 1, a(13), a(3), a(1), a(1), a(2)),
        conv("groups 2", 2, 4, 6, 2, a(7), a(3), a(1), a(1), a(1)),
        conv("depthwise", 3, 5, 5, 5, a(13), a(3), a(2), a(1), a(1)),
        conv("1x1", 2, 7, 3, 1, a(13), a(1), a(1), a(0), a(1)),
        conv("length 1", 2, 3, 2, 1, a(1), a(1), a(1), a(0), a(1)),
        // 2-d
        conv("3x3", 2, 3, 4, 1, a(7, 7), a(3, 3), a(1, 1), a(0, 0), a(1, 1)),
        conv("3x3 padding 1, batch 1", 1, 3, 8, 1, a(13, 13), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
        conv("stride 2, padding 1, odd sizes", 2, 3, 5, 1, a(13, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1)),
        conv("5x5 padding 2", 1, 2, 3, 1, a(9, 9), a(5, 5), a(1, 1), a(2, 2), a(1, 1)),
        conv("3x1 kernel, stride (2,1)", 2, 3, 4, 1, a(7, 13), a(3, 1), a(2, 1), a(1, 0), a(1, 1)),
        conv("dilation 2", 2, 3, 4, 1, a(13, 13), a(3, 3), a(1, 1), a(2, 2), a(2, 2)),
        conv("dilation (2,3), stride (1,2)", 1, 2, 3, 1, a(13, 13), a(3, 2), a(1, 2), a(1, 0), a(2, 3)),
        conv("groups 2", 2, 4, 6, 2, a(7, 7), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
        conv("groups 3, stride 2", 1, 6, 9, 3, a(13, 13), a(3, 3), a(2, 2), a(1, 1), a(1, 1)),
        conv("depthwise", 2, 8, 8, 8, a(13, 13), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
        conv("depthwise, multiplier 2", 2, 4, 8, 4, a(7, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1)),
        conv("1x1", 2, 7, 5, 1, a(13, 13), a(1, 1), a(1, 1), a(0, 0), a(1, 1)),
        conv("1x1 stride 2", 2, 7, 5, 1, a(13, 13), a(1, 1), a(2, 2), a(0, 0), a(1, 1)),
        conv("1x1 padding 1", 1, 3, 2, 1, a(7, 7), a(1, 1), a(1, 1), a(1, 1), a(1, 1)),
        conv("1x1 groups 2", 2, 4, 6, 2, a(7, 7), a(1, 1), a(1, 1), a(0, 0), a(1, 1)),
        conv("kernel covers the input", 2, 3, 2, 1, a(7, 7), a(7, 7), a(1, 1), a(0, 0), a(1, 1)),
        conv("1x1 input", 3, 5, 4, 1, a(1, 1), a(1, 1), a(1, 1), a(0, 0), a(1, 1)),
        conv("stride larger than kernel", 2, 3, 4, 1, a(13, 13), a(2, 2), a(3, 3), a(0, 0), a(1, 1)),
        conv("LeNet C1", 3, 1, 6, 1, a(32, 32), a(5, 5), a(1, 1), a(0, 0), a(1, 1)),
        conv("threaded batch", 4, 16, 16, 1, a(13, 13), a(3, 3), a(1, 1), a(1, 1), a(1, 1)),
        // 3-d
        conv("3x3x3", 2, 2, 3, 1, a(5, 6, 7), a(3, 3, 3), a(1, 1, 1), a(0, 0, 0), a(1, 1, 1)),
        conv("stride 2, padding 1", 1, 3, 4, 1, a(7, 7, 7), a(3, 3, 3), a(2, 2, 2), a(1, 1, 1), a(1, 1, 1)),
        conv("dilation 2", 2, 2, 2, 1, a(7, 7, 7), a(3, 3, 3), a(1, 1, 1), a(2, 2, 2), a(2, 2, 2)),
        conv("groups 2", 2, 4, 6, 2, a(5, 5, 5), a(3, 3, 3), a(1, 1, 1), a(1, 1, 1), a(1, 1, 1)),
        conv("1x1x1", 2, 5, 3, 1, a(3, 5, 7), a(1, 1, 1), a(1, 1, 1), a(0, 0, 0), a(1, 1, 1)),
        conv("anisotropic (1,3,3), stride (1,2,2)", 2, 3, 4, 1, a(3, 9, 9), a(1, 3, 3), a(1, 2, 2), a(0, 1, 1),
            a(1, 1, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convCases")
  void convForward(ConvCase c) {
    ConvGeometry g = c.geometry();
    Twin x = input(g.inputShape(), normal(numel(g.inputShape()), 11));
    Twin w = input(g.weightShape(), normal(numel(g.weightShape()), 12));
    Twin y = output(g.outputShape());
    test.convForward(g, x.t(), w.t(), y.t());
    ref.convForward(g, x.r(), w.r(), y.r());
    assertAgree("forward " + c, y, ACCUMULATE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convCases")
  void convBackwardData(ConvCase c) {
    ConvGeometry g = c.geometry();
    Twin w = input(g.weightShape(), normal(numel(g.weightShape()), 13));
    Twin dy = input(g.outputShape(), normal(numel(g.outputShape()), 14));
    Twin dx = output(g.inputShape());
    test.convBackwardData(g, w.t(), dy.t(), dx.t());
    ref.convBackwardData(g, w.r(), dy.r(), dx.r());
    assertAgree("backward-data " + c, dx, ACCUMULATE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("convCases")
  void convBackwardFilter(ConvCase c) {
    ConvGeometry g = c.geometry();
    Twin x = input(g.inputShape(), normal(numel(g.inputShape()), 15));
    Twin dy = input(g.outputShape(), normal(numel(g.outputShape()), 16));
    Twin dw = output(g.weightShape());
    test.convBackwardFilter(g, x.t(), dy.t(), dw.t());
    ref.convBackwardFilter(g, x.r(), dy.r(), dw.r());
    // dw sums over batch and every output position: up to N*OUT = 3*784 terms (LeNet C1).
    assertAgree("backward-filter " + c, dw, ACCUMULATE);
  }

  // ==========================================================================================
  // Pooling

  public record PoolCase(String name, Mode mode, int batch, int channels, int[] in, int[] kernel, int[] stride,
      int[] padding, int[] dilation, boolean ceil, boolean ties) {
    PoolGeometry geometry() {
      int[] x = new int[in.length + 2];
      x[0] = batch;
      x[1] = channels;
      System.arraycopy(in, 0, x, 2, in.length);
      return PoolGeometry.of(mode, Shape.of(x), kernel, stride, padding, dilation, ceil);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s pool%dd %s: N=%d C=%d in=%s k=%s s=%s p=%s d=%s%s%s", mode, in.length,
          name, batch, channels, dims(in), dims(kernel), dims(stride), dims(padding), dims(dilation),
          ceil ? " ceil" : "", ties ? " ties" : "");
    }
  }

  static PoolCase pool(String name, Mode mode, int n, int c, int[] in, int[] k, int[] s, int[] p, int[] d,
      boolean ceil) {
    return new PoolCase(name, mode, n, c, in, k, s, p, d, ceil, false);
  }

  static Stream<PoolCase> poolCases() {
    List<PoolCase> cases = new ArrayList<>(List.of(
        pool("2x2 stride 2, odd size", Mode.MAX, 2, 3, a(13, 13), a(2, 2), a(2, 2), a(0, 0), a(1, 1), false),
        pool("3x3 stride 2 padding 1", Mode.MAX, 2, 3, a(13, 13), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false),
        pool("3x3 stride 2 ceil", Mode.MAX, 1, 2, a(14, 14), a(3, 3), a(2, 2), a(0, 0), a(1, 1), true),
        pool("ceil drops a window starting in the padding", Mode.MAX, 2, 2, a(5, 5), a(2, 2), a(2, 2), a(1, 1),
            a(1, 1), true),
        pool("dilation 2", Mode.MAX, 2, 3, a(13, 13), a(3, 3), a(1, 1), a(1, 1), a(2, 2), false),
        pool("dilation (2,1), 3x2 kernel, ceil", Mode.MAX, 1, 3, a(13, 7), a(3, 2), a(2, 1), a(1, 1), a(2, 1), true),
        pool("global", Mode.MAX, 3, 4, a(7, 5), a(7, 5), a(1, 1), a(0, 0), a(1, 1), false),
        pool("threaded planes", Mode.MAX, 3, 5, a(13, 13), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false),
        pool("1-d", Mode.MAX, 2, 3, a(13), a(3), a(2), a(1), a(1), false),
        pool("1-d dilation 3 ceil", Mode.MAX, 2, 2, a(13), a(2), a(2), a(1), a(3), true),
        pool("3-d", Mode.MAX, 2, 2, a(5, 6, 7), a(2, 2, 2), a(2, 2, 2), a(0, 0, 0), a(1, 1, 1), false),
        pool("3-d padding, ceil", Mode.MAX, 1, 3, a(5, 5, 5), a(3, 3, 3), a(2, 2, 2), a(1, 1, 1), a(1, 1, 1), true),
        new PoolCase("overlapping windows", Mode.MAX, 2, 3, a(9, 9), a(3, 3), a(1, 1), a(1, 1), a(1, 1), false, true),
        new PoolCase("2x2", Mode.MAX, 1, 2, a(8, 8), a(2, 2), a(2, 2), a(0, 0), a(1, 1), false, true)));
    for (Mode avg : new Mode[] {Mode.AVG_INCLUDE_PAD, Mode.AVG_EXCLUDE_PAD}) {
      cases.addAll(List.of(
          pool("2x2 stride 2", avg, 2, 3, a(8, 8), a(2, 2), a(2, 2), a(0, 0), a(1, 1), false),
          pool("3x3 stride 2 padding 1", avg, 2, 3, a(13, 13), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false),
          pool("3x3 stride 1 padding 1", avg, 1, 2, a(7, 7), a(3, 3), a(1, 1), a(1, 1), a(1, 1), false),
          pool("ceil, last window past the padded input", avg, 2, 2, a(6, 6), a(3, 3), a(2, 2), a(1, 1), a(1, 1),
              true),
          pool("ceil without padding", avg, 1, 3, a(14, 13), a(3, 3), a(2, 2), a(0, 0), a(1, 1), true),
          pool("rect 3x2 padding (1,1)", avg, 2, 2, a(7, 9), a(3, 2), a(2, 1), a(1, 1), a(1, 1), false),
          pool("global", avg, 3, 4, a(7, 5), a(7, 5), a(1, 1), a(0, 0), a(1, 1), false),
          pool("threaded planes", avg, 3, 5, a(13, 13), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false),
          pool("1-d padding", avg, 2, 3, a(13), a(3), a(2), a(1), a(1), true),
          pool("3-d padding", avg, 2, 2, a(5, 6, 7), a(3, 3, 3), a(2, 2, 2), a(1, 1, 1), a(1, 1, 1), false)));
    }
    return cases.stream();
  }

  private Twin poolInput(PoolCase c, Shape shape, long seed) {
    return input(shape, c.ties() ? levels(numel(shape), 3, seed) : normal(numel(shape), seed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolCases")
  void poolForward(PoolCase c) {
    PoolGeometry g = c.geometry();
    Twin x = poolInput(c, g.inputShape(), 21);
    Twin y = output(g.outputShape());
    test.pool(g, x.t(), y.t());
    ref.pool(g, x.r(), y.r());
    assertAgree("forward " + c, y, c.mode() == Mode.MAX ? Tolerance.EXACT : ACCUMULATE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolCases")
  void poolBackward(PoolCase c) {
    PoolGeometry g = c.geometry();
    Twin x = poolInput(c, g.inputShape(), 22);
    Twin y = output(g.outputShape());
    test.pool(g, x.t(), y.t());
    ref.pool(g, x.r(), y.r());
    Twin dy = input(g.outputShape(), normal(numel(g.outputShape()), 23));
    Twin dx = output(g.inputShape());
    test.poolBackward(g, x.t(), y.t(), dy.t(), dx.t());
    ref.poolBackward(g, x.r(), y.r(), dy.r(), dx.r());
    // Max routes each gradient to the first maximum (ties included); overlapping windows add.
    assertAgree("backward " + c, dx, ACCUMULATE);
  }

  // ==========================================================================================
  // Activations

  public record ShapeCase(String name, Shape shape) {
    @Override
    public String toString() {
      return name + " " + shape;
    }
  }

  public record ActivationCase(Activation activation, Shape shape) {
    @Override
    public String toString() {
      return activation + " " + shape;
    }
  }

  static final Shape[] POINTWISE_SHAPES = {Shape.of(7), Shape.of(2, 3, 13, 13), Shape.of(3, 5, 67, 71)};

  /** ReLU, sigmoid and tanh (CORE) or the other kinds (EXTENDED_ACTIVATIONS). */
  static Stream<ActivationCase> activationCases(boolean core) {
    List<ActivationCase> cases = new ArrayList<>();
    for (Activation a : Activation.examples()) {
      boolean isCore = a.equals(Activation.RELU) || a.equals(Activation.SIGMOID) || a.equals(Activation.TANH);
      if (isCore != core) continue;
      for (Shape s : POINTWISE_SHAPES) cases.add(new ActivationCase(a, s));
    }
    return cases.stream();
  }

  static Stream<ActivationCase> activationCases() {
    return activationCases(true);
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> extendedActivationForward() {
    return casesOf(org.jdnn.spi.Capability.EXTENDED_ACTIVATIONS, activationCases(false), this::activationForward);
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> extendedActivationBackward() {
    return casesOf(org.jdnn.spi.Capability.EXTENDED_ACTIVATIONS, activationCases(false), this::activationBackward);
  }

  /** Normal values with every 7th exactly 0, where ReLU's derivative is defined as 0. */
  private static double[] activationInput(int n, long seed) {
    double[] v = normal(n, seed);
    for (int i = 0; i < n; i += 7) v[i] = 0;
    for (int i = 3; i < n; i += 11) v[i] *= 8; // reach the saturated parts of sigmoid and tanh
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activationCases")
  void activationForward(ActivationCase c) {
    Twin x = input(c.shape(), activationInput(numel(c.shape()), 31));
    Twin y = output(c.shape());
    test.activation(c.activation(), x.t(), y.t());
    ref.activation(c.activation(), x.r(), y.r());
    assertAgree("forward " + c, y, c.activation() == Activation.RELU ? Tolerance.EXACT : TRANSCENDENTAL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activationCases")
  void activationBackward(ActivationCase c) {
    Twin x = input(c.shape(), activationInput(numel(c.shape()), 32));
    Twin y = output(c.shape());
    test.activation(c.activation(), x.t(), y.t());
    ref.activation(c.activation(), x.r(), y.r());
    Twin dy = input(c.shape(), normal(numel(c.shape()), 33));
    Twin dx = output(c.shape());
    test.activationBackward(c.activation(), x.t(), y.t(), dy.t(), dx.t());
    ref.activationBackward(c.activation(), x.r(), y.r(), dy.r(), dx.r());
    assertAgree("backward " + c, dx, c.activation() == Activation.RELU ? Tolerance.EXACT : TRANSCENDENTAL);
  }

  /** NaN, infinities and signed zeros, then ordinary and saturating values. */
  static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, -3, 3,
      100, -100};

  /**
   * Special values as PyTorch treats them: NaN propagates (a ReLU that turned NaN into 0 would
   * hide a diverged training run), infinities saturate.
   */
  @ParameterizedTest(name = "{0} of NaN, infinities, zeros and saturating values")
  @MethodSource("activationsWithKnownSpecialValues")
  void activationSpecialValues(Activation act) {
    Shape s = Shape.of(SPECIAL.length);
    Twin x = input(s, SPECIAL);
    Twin y = output(s);
    test.activation(act, x.t(), y.t());
    ref.activation(act, x.r(), y.r());
    double sig3 = 1 / (1 + Math.exp(-3));
    double[] expected;
    switch (act.kind()) {
      case RELU: expected = new double[] {Double.NaN, Double.POSITIVE_INFINITY, 0, 0, 0, 0, 3, 100, 0}; break;
      case SIGMOID: expected = new double[] {Double.NaN, 1, 0, 0.5, 0.5, 1 - sig3, sig3, 1, 0}; break;
      default: expected = new double[] {Double.NaN, 1, -1, 0, 0, -Math.tanh(3), Math.tanh(3), 1, -1};
    }
    TRANSCENDENTAL.assertClose(act + " of " + Arrays.toString(SPECIAL) + " [reference]", s, expected,
        y.onRef.values());
    assertAgree(act + " of " + Arrays.toString(SPECIAL), y, TRANSCENDENTAL);
    Twin dy = input(s, normal(SPECIAL.length, 34));
    Twin dx = output(s);
    test.activationBackward(act, x.t(), y.t(), dy.t(), dx.t());
    ref.activationBackward(act, x.r(), y.r(), dy.r(), dx.r());
    assertAgree(act + " backward at " + Arrays.toString(SPECIAL), dx, TRANSCENDENTAL);
  }

  static Stream<Activation> activationsWithKnownSpecialValues() {
    return Stream.of(Activation.RELU, Activation.SIGMOID, Activation.TANH);
  }

  /** IEEE results at the edges of each function's domain, the same on every backend. */
  @ParameterizedTest(name = "{0} of NaN, infinities, zeros and out-of-domain values")
  @MethodSource("unaryOps")
  void unarySpecialValues(UnaryOp op) {
    double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, -1, 1e30, -1e30, 2};
    Shape s = Shape.of(v.length);
    Twin x = input(s, v);
    Twin y = output(s);
    test.unary(op, x.t(), y.t());
    ref.unary(op, x.r(), y.r());
    assertAgree(op + " of " + Arrays.toString(v), y, TRANSCENDENTAL);
  }

  static Stream<UnaryOp> unaryOps() {
    return Stream.of(UnaryOp.values());
  }

  /** NaN is the maximum (PyTorch's rule) for reductions, argmax, max pooling and MAX/MIN. */
  @Test
  void nanIsTheMaximum() {
    double nan = Double.NaN;
    Twin x = input(Shape.of(2, 4), new double[] {1, nan, 3, 2, 5, 4, 6, nan});
    Twin max = output(Shape.of(2, 1));
    test.reduce(ReduceOp.MAX, x.t(), a(1), max.t());
    ref.reduce(ReduceOp.MAX, x.r(), a(1), max.r());
    assertAgree("max over rows with NaN", max, Tolerance.EXACT);
    Tolerance.EXACT.assertClose("max over rows with NaN [reference]", max.shape(), new double[] {nan, nan},
        max.onRef.values());

    Twin arg = output(Shape.of(2), DType.I64);
    test.argmax(x.t(), 1, arg.t());
    ref.argmax(x.r(), 1, arg.r());
    assertAgree("argmax over rows with NaN", arg, Tolerance.EXACT);
    Tolerance.EXACT.assertClose("argmax over rows with NaN [reference]", arg.shape(), new double[] {1, 3},
        arg.onRef.values());

    PoolGeometry g = PoolGeometry.of(Mode.MAX, Shape.of(1, 2, 4), a(2), a(2), a(0), a(1), false);
    Twin pooled = output(g.outputShape());
    test.pool(g, x.t().reshape(1, 2, 4), pooled.t());
    ref.pool(g, x.r().reshape(1, 2, 4), pooled.r());
    assertAgree("max pooling with NaN", pooled, Tolerance.EXACT);
    Tolerance.EXACT.assertClose("max pooling with NaN [reference]", pooled.shape(), new double[] {nan, 3, 5, nan},
        pooled.onRef.values());

    for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
      Twin b = input(Shape.of(2, 4), new double[] {nan, 0, 0, 0, 0, 0, 0, 0});
      Twin out = output(Shape.of(2, 4));
      test.binary(op, x.t(), b.t(), out.t());
      ref.binary(op, x.r(), b.r(), out.r());
      assertAgree(op + " with NaN", out, Tolerance.EXACT);
    }
  }

  // ==========================================================================================
  // Softmax and log-softmax

  public record SoftmaxCase(boolean log, Shape shape, int axis, double shift) {
    @Override
    public String toString() {
      return (log ? "log_softmax " : "softmax ") + shape + " axis " + axis + (shift != 0 ? " inputs +" + shift : "");
    }
  }

  static Stream<SoftmaxCase> softmaxCases() {
    List<SoftmaxCase> cases = new ArrayList<>();
    for (boolean log : new boolean[] {false, true}) {
      cases.add(new SoftmaxCase(log, Shape.of(7, 13), 1, 0));
      cases.add(new SoftmaxCase(log, Shape.of(7, 13), 0, 0));
      cases.add(new SoftmaxCase(log, Shape.of(2, 3, 5, 7), 1, 0)); // over channels of NCHW
      cases.add(new SoftmaxCase(log, Shape.of(2, 3, 5, 7), 3, 0));
      cases.add(new SoftmaxCase(log, Shape.of(2, 3, 5, 7), 0, 0));
      cases.add(new SoftmaxCase(log, Shape.of(13), 0, 0));
      cases.add(new SoftmaxCase(log, Shape.of(5, 1), 1, 0)); // one class: softmax 1, log-softmax 0
      cases.add(new SoftmaxCase(log, Shape.of(4, 10), 1, 80)); // large logits: needs the max shift
      cases.add(new SoftmaxCase(log, Shape.of(1031, 71), 1, 0)); // rows split over threads
    }
    return cases.stream();
  }

  private double[] softmaxInput(SoftmaxCase c, long seed) {
    double[] v = normal(numel(c.shape()), seed);
    for (int i = 0; i < v.length; i++) v[i] = 2 * v[i] + c.shift();
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("softmaxCases")
  void softmaxForward(SoftmaxCase c) {
    Twin x = input(c.shape(), softmaxInput(c, 41));
    Twin y = output(c.shape());
    test.softmax(c.log(), c.axis(), x.t(), y.t());
    ref.softmax(c.log(), c.axis(), x.r(), y.r());
    assertAgree("forward " + c, y, TRANSCENDENTAL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("softmaxCases")
  void softmaxBackward(SoftmaxCase c) {
    Twin x = input(c.shape(), softmaxInput(c, 42));
    Twin y = output(c.shape());
    test.softmax(c.log(), c.axis(), x.t(), y.t());
    ref.softmax(c.log(), c.axis(), x.r(), y.r());
    Twin dy = input(c.shape(), normal(numel(c.shape()), 43));
    Twin dx = output(c.shape());
    test.softmaxBackward(c.log(), c.axis(), y.t(), dy.t(), dx.t());
    ref.softmaxBackward(c.log(), c.axis(), y.r(), dy.r(), dx.r());
    assertAgree("backward " + c, dx, ACCUMULATE);
  }

  // ==========================================================================================
  // Element-wise unary

  public record UnaryCase(UnaryOp op, Shape shape) {
    @Override
    public String toString() {
      return op + " " + shape;
    }
  }

  static Stream<UnaryCase> unaryCases() {
    List<UnaryCase> cases = new ArrayList<>();
    for (UnaryOp op : UnaryOp.values()) for (Shape s : POINTWISE_SHAPES) cases.add(new UnaryCase(op, s));
    return cases.stream();
  }

  private static double[] unaryInput(UnaryOp op, int n, long seed) {
    switch (op) {
      case LOG:
      case SQRT:
        return uniform(n, 0.05, 5, seed); // inside the domain
      case RECIPROCAL:
        return awayFromZero(n, 0.1, 4, seed);
      case SIGN: {
        double[] v = normal(n, seed);
        for (int i = 0; i < n; i += 5) v[i] = 0; // sign(0) = 0 is part of the contract
        return v;
      }
      default:
        return normal(n, seed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryCases")
  void unary(UnaryCase c) {
    Twin x = input(c.shape(), unaryInput(c.op(), numel(c.shape()), 51));
    Twin y = output(c.shape());
    test.unary(c.op(), x.t(), y.t());
    ref.unary(c.op(), x.r(), y.r());
    boolean exactOp = c.op() == UnaryOp.NEG || c.op() == UnaryOp.ABS || c.op() == UnaryOp.SIGN;
    assertAgree(c.toString(), y, exactOp ? Tolerance.EXACT
        : c.op() == UnaryOp.EXP || c.op() == UnaryOp.LOG ? TRANSCENDENTAL : POINTWISE);
  }

  // ==========================================================================================
  // Element-wise binary with broadcasting, and with a scalar

  public record BinaryCase(BinaryOp op, String pattern, Shape a, Shape b, boolean inPlace) {
    Shape out() {
      return Shape.broadcast(a, b);
    }

    @Override
    public String toString() {
      return op + " " + pattern + " " + a + " with " + b + (inPlace ? " in place (out = a)" : "");
    }
  }

  static Stream<BinaryCase> binaryCases() {
    Object[][] patterns = {
        {"same shape", Shape.of(3, 5, 7), Shape.of(3, 5, 7)},
        {"scalar-like", Shape.of(3, 5, 7), Shape.of(1)},
        {"rank-0 scalar", Shape.of(13), Shape.scalar()},
        {"per-channel", Shape.of(2, 3, 5, 7), Shape.of(1, 3, 1, 1)},
        {"per-channel, rank 3", Shape.of(2, 3, 5, 7), Shape.of(3, 1, 1)},
        {"row vector", Shape.of(13, 7), Shape.of(7)},
        {"column", Shape.of(13, 7), Shape.of(13, 1)},
        {"general (both sides broadcast)", Shape.of(3, 1, 5), Shape.of(4, 1)},
        {"first operand broadcast", Shape.of(1, 3, 1, 1), Shape.of(2, 3, 5, 7)},
        {"middle axes", Shape.of(2, 3, 4, 5), Shape.of(1, 3, 4, 1)},
        {"interleaved", Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 1)},
        {"same shape, large", Shape.of(3, 5, 67, 71), Shape.of(3, 5, 67, 71)},
        {"per-channel, large", Shape.of(3, 5, 67, 71), Shape.of(1, 5, 1, 1)},
        {"row vector, large", Shape.of(1031, 71), Shape.of(71)},
    };
    List<BinaryCase> cases = new ArrayList<>();
    for (BinaryOp op : BinaryOp.values()) {
      for (Object[] p : patterns) cases.add(new BinaryCase(op, (String) p[0], (Shape) p[1], (Shape) p[2], false));
    }
    for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.MUL, BinaryOp.SUB, BinaryOp.DIV}) {
      cases.add(new BinaryCase(op, "same shape", Shape.of(3, 5, 7), Shape.of(3, 5, 7), true));
      cases.add(new BinaryCase(op, "per-channel", Shape.of(2, 3, 5, 7), Shape.of(1, 3, 1, 1), true));
      cases.add(new BinaryCase(op, "row vector", Shape.of(13, 7), Shape.of(7), true));
    }
    return cases.stream();
  }

  private static double[] firstOperand(BinaryOp op, int n, long seed) {
    if (op == BinaryOp.POW) return uniform(n, 0.2, 3, seed); // real powers need a positive base
    double[] v = normal(n, seed);
    if (op == BinaryOp.MAX || op == BinaryOp.MIN) for (int i = 0; i < n; i += 4) v[i] = 0.5; // ties with b
    return v;
  }

  private static double[] secondOperand(BinaryOp op, int n, long seed) {
    switch (op) {
      case DIV: return awayFromZero(n, 0.25, 4, seed);
      case POW: return uniform(n, -2.5, 2.5, seed);
      case MAX:
      case MIN: {
        double[] v = normal(n, seed);
        for (int i = 0; i < n; i += 3) v[i] = 0.5;
        return v;
      }
      default: return normal(n, seed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryCases")
  void binary(BinaryCase c) {
    Twin a = input(c.a(), firstOperand(c.op(), numel(c.a()), 61));
    Twin b = input(c.b(), secondOperand(c.op(), numel(c.b()), 62));
    Twin out = c.inPlace() ? a : output(c.out());
    test.binary(c.op(), a.t(), b.t(), out.t());
    ref.binary(c.op(), a.r(), b.r(), out.r());
    Tolerance tol = c.op() == BinaryOp.POW ? TRANSCENDENTAL
        : c.op() == BinaryOp.MAX || c.op() == BinaryOp.MIN ? Tolerance.EXACT : POINTWISE;
    assertAgree(c.toString(), out, tol);
  }

  public record ScalarCase(BinaryOp op, double scalar, Shape shape, boolean inPlace, boolean anySign) {
    ScalarCase(BinaryOp op, double scalar, Shape shape, boolean inPlace) {
      this(op, scalar, shape, inPlace, op != BinaryOp.POW);
    }

    /** POW with an integer exponent of negative bases too, as {@code x.pow(2)} meets them. */
    ScalarCase negativeBase() {
      return new ScalarCase(op, scalar, shape, inPlace, true);
    }

    @Override
    public String toString() {
      return op + " scalar " + scalar + " on " + shape + (inPlace ? " in place" : "")
          + (op == BinaryOp.POW && anySign ? ", bases of both signs" : "");
    }
  }

  static Stream<ScalarCase> scalarCases() {
    List<ScalarCase> cases = new ArrayList<>();
    double[][] scalars = {
        {BinaryOp.ADD.ordinal(), 0.1}, {BinaryOp.SUB.ordinal(), 2.5}, {BinaryOp.MUL.ordinal(), -3},
        {BinaryOp.MUL.ordinal(), 1.0 / 3}, {BinaryOp.DIV.ordinal(), 7}, {BinaryOp.DIV.ordinal(), -0.3},
        {BinaryOp.MAX.ordinal(), 0}, {BinaryOp.MIN.ordinal(), 0.25}, {BinaryOp.POW.ordinal(), 2},
        {BinaryOp.POW.ordinal(), 0.5}, {BinaryOp.POW.ordinal(), -1.5}, {BinaryOp.POW.ordinal(), 3},
    };
    for (double[] s : scalars) {
      BinaryOp op = BinaryOp.values()[(int) s[0]];
      cases.add(new ScalarCase(op, s[1], Shape.of(3, 5, 7), false));
      cases.add(new ScalarCase(op, s[1], Shape.of(3, 5, 67, 71), false));
    }
    cases.add(new ScalarCase(BinaryOp.MUL, 0.5, Shape.of(3, 5, 7), true));
    cases.add(new ScalarCase(BinaryOp.ADD, -1.25, Shape.of(3, 5, 67, 71), true));
    cases.add(new ScalarCase(BinaryOp.POW, 2, Shape.of(13), true));
    cases.add(new ScalarCase(BinaryOp.POW, 2, Shape.of(3, 5, 7), false).negativeBase());
    cases.add(new ScalarCase(BinaryOp.POW, 3, Shape.of(3, 5, 7), false).negativeBase());
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalarCases")
  void binaryScalar(ScalarCase c) {
    int n = numel(c.shape());
    Twin a = input(c.shape(), c.anySign() ? normal(n, 71) : uniform(n, 0.2, 3, 71));
    Twin out = c.inPlace() ? a : output(c.shape());
    test.binaryScalar(c.op(), a.t(), c.scalar(), out.t());
    ref.binaryScalar(c.op(), a.r(), c.scalar(), out.r());
    assertAgree(c.toString(), out, c.op() == BinaryOp.POW ? TRANSCENDENTAL : POINTWISE);
  }

  // ==========================================================================================
  // Reductions, argmax, one-hot

  public record ReduceCase(ReduceOp op, Shape shape, int[] axes) {
    Shape out() {
      int[] d = shape.toArray();
      for (int ax : axes) d[ax] = 1;
      return Shape.of(d);
    }

    @Override
    public String toString() {
      return op + " " + shape + " over axes " + Arrays.toString(axes);
    }
  }

  static Stream<ReduceCase> reduceCases() {
    Object[][] shapes = {
        {Shape.of(2, 3, 5, 7), a(0, 1, 2, 3)}, {Shape.of(2, 3, 5, 7), a(0)}, {Shape.of(2, 3, 5, 7), a(1)},
        {Shape.of(2, 3, 5, 7), a(3)}, {Shape.of(2, 3, 5, 7), a(0, 2, 3)}, {Shape.of(2, 3, 5, 7), a(1, 2)},
        {Shape.of(2, 3, 5, 7), a(0, 3)}, {Shape.of(2, 3, 5, 7), a(0, 2)}, {Shape.of(2, 3, 5, 7), a()},
        {Shape.of(13), a(0)}, {Shape.of(1, 7, 1), a(0, 2)}, {Shape.of(1000, 3), a(0)},
        {Shape.of(3, 65537), a(1)}, {Shape.of(3, 5, 67, 71), a(0, 2, 3)},
    };
    List<ReduceCase> cases = new ArrayList<>();
    for (ReduceOp op : ReduceOp.values()) {
      for (Object[] s : shapes) cases.add(new ReduceCase(op, (Shape) s[0], (int[]) s[1]));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reduceCases")
  void reduce(ReduceCase c) {
    Twin x = input(c.shape(), normal(numel(c.shape()), 81));
    Twin out = output(c.out());
    test.reduce(c.op(), x.t(), c.axes(), out.t());
    ref.reduce(c.op(), x.r(), c.axes(), out.r());
    // A sum of n normal terms is O(sqrt(n)); its F32 rounding grows with n.
    Tolerance tol = c.op() == ReduceOp.MAX ? Tolerance.EXACT : ACCUMULATE;
    assertAgree(c.toString(), out, tol);
  }

  public record AxisCase(String name, Shape shape, int axis, boolean ties) {
    @Override
    public String toString() {
      return name + " " + shape + " axis " + axis + (ties ? " with ties" : "");
    }
  }

  static Stream<AxisCase> argmaxCases() {
    return Stream.of(
        new AxisCase("rows", Shape.of(7, 13), 1, false),
        new AxisCase("columns", Shape.of(7, 13), 0, false),
        new AxisCase("channels", Shape.of(2, 3, 5), 1, false),
        new AxisCase("channels", Shape.of(2, 3, 5), 1, true),
        new AxisCase("last", Shape.of(2, 3, 5), 2, true),
        new AxisCase("first", Shape.of(4, 3, 5), 0, true),
        new AxisCase("vector", Shape.of(13), 0, false),
        new AxisCase("length one", Shape.of(5, 1), 1, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("argmaxCases")
  void argmax(AxisCase c) {
    int n = numel(c.shape());
    Twin x = input(c.shape(), c.ties() ? levels(n, 3, 91) : normal(n, 91));
    int[] outDims = new int[c.shape().rank() - 1];
    for (int i = 0, k = 0; i < c.shape().rank(); i++) if (i != c.axis()) outDims[k++] = c.shape().dim(i);
    Twin out = output(Shape.of(outDims), DType.I64);
    test.argmax(x.t(), c.axis(), out.t());
    ref.argmax(x.r(), c.axis(), out.r());
    assertAgree("argmax " + c + " (first maximum wins)", out, Tolerance.EXACT);
  }

  public record OneHotCase(DType labels, Shape shape, int classes, DType out) {
    @Override
    public String toString() {
      return "one_hot " + labels + " labels " + shape + " into " + classes + " classes as " + out;
    }
  }

  static Stream<OneHotCase> oneHotCases() {
    return Stream.of(
        new OneHotCase(DType.I64, Shape.of(5), 7, DType.F32),
        new OneHotCase(DType.I32, Shape.of(2, 3), 4, DType.F32),
        new OneHotCase(DType.U8, Shape.of(6), 10, DType.F32),
        new OneHotCase(DType.I64, Shape.of(13), 1, DType.F32),
        new OneHotCase(DType.I64, Shape.of(9), 3, DType.F64));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneHotCases")
  void oneHot(OneHotCase c) {
    Twin labels = input(c.shape(), c.labels(), levels(numel(c.shape()), c.classes(), 95));
    int[] dims = Arrays.copyOf(c.shape().toArray(), c.shape().rank() + 1);
    dims[dims.length - 1] = c.classes();
    Twin out = output(Shape.of(dims), c.out());
    test.oneHot(labels.t(), out.t());
    ref.oneHot(labels.r(), out.r());
    assertAgree(c.toString(), out, Tolerance.EXACT);
    double[] got = out.onTest.values();
    double[] l = labels.onTest.values();
    for (int i = 0; i < l.length; i++) {
      for (int k = 0; k < c.classes(); k++) {
        assertEquals(l[i] == k ? 1.0 : 0.0, got[i * c.classes() + k], c + ": row " + i + " class " + k);
      }
    }
  }

  @Test
  void oneHotOfAnOutOfRangeLabelIsAZeroRow() {
    Twin labels = input(Shape.of(4), DType.I64, new double[] {-1, 2, 3, 0});
    Twin out = output(Shape.of(4, 3));
    test.oneHot(labels.t(), out.t());
    ref.oneHot(labels.r(), out.r());
    assertAgree("one_hot with labels -1 and 3 of 3 classes", out, Tolerance.EXACT);
    assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        Arrays.stream(out.onTest.values()).boxed().toList(), "one_hot rows of labels -1, 2, 3, 0");
  }

  // ==========================================================================================
  // Memory: copy with dtype conversion, fill

  public record CopyCase(DType from, DType to) {
    @Override
    public String toString() {
      return "copy " + from + " -> " + to;
    }
  }

  static Stream<CopyCase> copyCases() {
    DType[] all = DType.values();
    List<CopyCase> cases = new ArrayList<>();
    for (DType from : all) for (DType to : all) cases.add(new CopyCase(from, to));
    return cases.stream();
  }

  /** Values every dtype of the pair holds: fractions and negatives only where both sides can. */
  private static double[] copyValues(CopyCase c, int n) {
    boolean unsigned = c.from() == DType.U8 || c.to() == DType.U8;
    double[] v = new double[n];
    Random r = new Random(101);
    for (int i = 0; i < n; i++) {
      double x = unsigned ? r.nextInt(256) : r.nextInt(2001) - 1000;
      if (c.from().isFloating() && !unsigned) x += (r.nextInt(8) - 4) / 8.0; // exact in F32: .5, .25, ...
      if (c.from().isFloating() && unsigned) x = Math.min(255.875, x + r.nextInt(8) / 8.0);
      v[i] = x;
    }
    if (c.from() == DType.F64 && c.to() == DType.F32) v[0] = 0.1; // rounds to the nearest float
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copyCases")
  void copy(CopyCase c) {
    Shape s = Shape.of(3, 37);
    double[] values = copyValues(c, numel(s));
    Twin src = input(s, c.from(), values);
    Twin dst = output(s, c.to());
    test.copy(src.t(), dst.t());
    ref.copy(src.r(), dst.r());
    assertAgree(c.toString(), dst, Tolerance.EXACT);
    // The contract: floats to integers truncate toward zero.
    double[] got = dst.onTest.values();
    double[] sent = src.onTest.values();
    for (int i = 0; i < got.length; i++) {
      double expected = c.to().isFloating() ? (c.to() == DType.F32 ? (float) sent[i] : sent[i])
          : (double) (long) sent[i];
      assertEquals(expected, got[i], c + ": element " + i + " from " + sent[i]);
    }
  }

  @Test
  void copyTruncatesTowardZero() {
    Twin src = input(Shape.of(4), new double[] {-2.75, -0.5, 0.5, 2.75});
    for (DType to : new DType[] {DType.I32, DType.I64}) {
      Twin dst = output(Shape.of(4), to);
      test.copy(src.t(), dst.t());
      ref.copy(src.r(), dst.r());
      assertAgree("copy F32 -> " + to, dst, Tolerance.EXACT);
      assertEquals(List.of(-2.0, 0.0, 0.0, 2.0), Arrays.stream(dst.onTest.values()).boxed().toList(),
          "copy F32 -> " + to + " of -2.75, -0.5, 0.5, 2.75");
    }
  }

  @Test
  void copyBetweenIntegersIsExactBeyondDoublePrecision() {
    long big = (1L << 53) + 1; // not representable as a double
    long[] values = {big, -big, Long.MAX_VALUE, 3};
    Tensor src = Tensor.fromArray(values, 4, DType.I64, a(4), test);
    Tensor dst = Tensor.zeros(Shape.of(4), DType.I64, test);
    test.copy(src, dst);
    long[] got = new long[4];
    test.copyToHost(dst, got, 0);
    assertEquals(Arrays.toString(values), Arrays.toString(got), "copy I64 -> I64 of values beyond 2^53");
  }

  public record FillCase(DType dtype, double value) {
    @Override
    public String toString() {
      return "fill " + dtype + " with " + value;
    }
  }

  static Stream<FillCase> fillCases() {
    return Stream.of(new FillCase(DType.F32, 0), new FillCase(DType.F32, 1.5), new FillCase(DType.F32, -3.25e-3),
        new FillCase(DType.F64, Math.PI), new FillCase(DType.I32, 7), new FillCase(DType.I64, -5),
        new FillCase(DType.U8, 200));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fillCases")
  void fill(FillCase c) {
    for (Shape s : new Shape[] {Shape.of(13), Shape.of(3, 5, 67, 71)}) {
      Twin t = input(s, c.dtype(), normal(numel(s), 111));
      test.fill(t.t(), c.value());
      ref.fill(t.r(), c.value());
      assertAgree(c + " " + s, t, Tolerance.EXACT);
      double expected = c.dtype() == DType.F32 ? (float) c.value() : c.value();
      for (double v : t.onTest.values()) assertEquals(expected, v, c + " " + s);
    }
  }

  // ==========================================================================================
  // Random: the same seed gives the same values on every backend, and the values look right.

  public enum RandomKind { UNIFORM, NORMAL, BERNOULLI }

  public record RandomCase(RandomKind kind, DType dtype, double p1, double p2) {
    @Override
    public String toString() {
      switch (kind) {
        case UNIFORM: return "uniform [" + p1 + ", " + p2 + ") " + dtype;
        case NORMAL: return "normal mean " + p1 + " std " + p2 + " " + dtype;
        default: return "bernoulli p=" + p1 + " " + dtype;
      }
    }

    double mean() {
      return kind == RandomKind.UNIFORM ? (p1 + p2) / 2 : p1;
    }

    double std() {
      switch (kind) {
        case UNIFORM: return (p2 - p1) / Math.sqrt(12);
        case NORMAL: return p2;
        default: return Math.sqrt(p1 * (1 - p1));
      }
    }
  }

  static Stream<RandomCase> randomCases() {
    return Stream.of(
        new RandomCase(RandomKind.UNIFORM, DType.F32, 0, 1),
        new RandomCase(RandomKind.UNIFORM, DType.F32, -2, 3),
        new RandomCase(RandomKind.UNIFORM, DType.F64, -1, 1),
        new RandomCase(RandomKind.NORMAL, DType.F32, 0, 1),
        new RandomCase(RandomKind.NORMAL, DType.F32, 1, 2),
        new RandomCase(RandomKind.NORMAL, DType.F64, -3, 0.5),
        new RandomCase(RandomKind.BERNOULLI, DType.F32, 0.3, 0),
        new RandomCase(RandomKind.BERNOULLI, DType.F32, 0.9, 0));
  }

  private static void draw(Backend be, RandomCase c, Tensor t, long seed) {
    switch (c.kind()) {
      case UNIFORM: be.randomUniform(t, c.p1(), c.p2(), seed); break;
      case NORMAL: be.randomNormal(t, c.p1(), c.p2(), seed); break;
      default: be.randomBernoulli(t, c.p1(), seed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("randomCases")
  void random(RandomCase c) {
    Shape s = Shape.of(4, 25, 41);
    int n = numel(s);
    long seed = 0x1234_5678_9ABCL;
    Twin t = output(s, c.dtype());
    draw(test, c, t.t(), seed);
    draw(ref, c, t.r(), seed);
    // Box-Muller takes a log and a cosine, which a GPU may compute in F32.
    assertAgree(c + ": same seed, same values as the reference", t, TRANSCENDENTAL);

    double[] v = t.onTest.values();
    double mean = Arrays.stream(v).average().orElseThrow();
    double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
    // Five standard errors: fails by chance about once in 3.5 million runs (and the seed is fixed).
    double se = c.std() / Math.sqrt(n);
    assertTrue(Math.abs(mean - c.mean()) < 5 * se,
        c + ": mean " + mean + " is more than 5 standard errors from " + c.mean());
    assertTrue(Math.abs(Math.sqrt(var) - c.std()) < 0.05 * c.std(),
        c + ": std " + Math.sqrt(var) + " is more than 5% from " + c.std());
    for (double x : v) {
      switch (c.kind()) {
        case UNIFORM:
          assertTrue(x >= c.p1() && x < c.p2() || x == (float) c.p2() && c.dtype() == DType.F32,
              c + ": " + x + " outside [" + c.p1() + ", " + c.p2() + ")");
          break;
        case BERNOULLI:
          assertTrue(x == 0 || x == 1, c + ": " + x + " is neither 0 nor 1");
          break;
        default:
          assertTrue(Double.isFinite(x), c + ": " + x + " is not finite");
      }
    }

    // A pure function of (seed, element index): a shorter tensor is a prefix, another seed differs.
    Twin head = output(Shape.of(17), c.dtype());
    draw(test, c, head.t(), seed);
    Tolerance.EXACT.assertClose(c + ": the first 17 values do not depend on the tensor's size", head.shape(),
        Arrays.copyOf(v, 17), head.onTest.values());
    Twin other = output(s, c.dtype());
    draw(test, c, other.t(), seed + 1);
    double[] w = other.onTest.values();
    int same = 0;
    for (int i = 0; i < n; i++) if (v[i] == w[i]) same++;
    assertTrue(same < (c.kind() == RandomKind.BERNOULLI ? 0.9 * n : n / 100),
        c + ": seeds " + seed + " and " + (seed + 1) + " gave " + same + " equal values of " + n);
  }


  // ==========================================================================================
  // Data movement, padding, unpooling, adaptive pooling, upsampling (the op-set issue, part A)

  /** {@code permute} with {@code axes}: output axis i is input axis axes[i]. */
  public record PermuteCase(Shape shape, int[] axes) {
    Shape outShape() {
      int[] d = new int[axes.length];
      for (int i = 0; i < d.length; i++) d[i] = shape.dim(axes[i]);
      return Shape.of(d);
    }

    @Override
    public String toString() {
      return "permute " + shape + " by " + Arrays.toString(axes);
    }
  }

  static Stream<PermuteCase> permuteCases() {
    return Stream.of(new PermuteCase(Shape.of(7, 13), a(1, 0)), new PermuteCase(Shape.of(2, 3, 5, 7), a(0, 2, 3, 1)),
        new PermuteCase(Shape.of(2, 3, 5, 7), a(3, 1, 0, 2)), new PermuteCase(Shape.of(1, 4, 1), a(2, 1, 0)),
        new PermuteCase(Shape.of(3, 65), a(0, 1)), new PermuteCase(Shape.of(2, 2, 3, 4, 5), a(4, 0, 3, 1, 2)));
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> permute() {
    return casesOf(org.jdnn.spi.Capability.DATA_MOVEMENT, permuteCases(), c -> {
      Twin x = input(c.shape(), normal(numel(c.shape()), 101));
      Twin y = output(c.outShape());
      test.permute(x.t(), c.axes(), y.t());
      ref.permute(x.r(), c.axes(), y.r());
      assertAgree(c.toString(), y, Tolerance.EXACT);
    });
  }

  /** A window {@code [start, start + len)} of {@code shape} along {@code axis}. */
  public record NarrowCase(Shape shape, int axis, int start, int len, DType dtype) {
    Shape window() {
      return shape.with(axis, len);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %s axis %d [%d, %d)", dtype, shape, axis, start, start + len);
    }
  }

  static Stream<NarrowCase> narrowCases() {
    return Stream.of(new NarrowCase(Shape.of(13), 0, 3, 7, DType.F32), new NarrowCase(Shape.of(2, 7, 5), 1, 2, 3, DType.F32),
        new NarrowCase(Shape.of(2, 7, 5), 2, 4, 1, DType.F32), new NarrowCase(Shape.of(4, 3, 2), 0, 1, 3, DType.F32),
        new NarrowCase(Shape.of(3, 6), 1, 0, 6, DType.F32), new NarrowCase(Shape.of(2, 5, 3), 1, 1, 2, DType.I64));
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> narrow() {
    return casesOf(org.jdnn.spi.Capability.DATA_MOVEMENT, narrowCases(), c -> {
      double[] v = c.dtype().isFloating() ? normal(numel(c.shape()), 102) : levels(numel(c.shape()), 1000, 102);
      Twin x = input(c.shape(), c.dtype(), v);
      Twin y = output(c.window(), c.dtype());
      test.narrow(x.t(), c.axis(), c.start(), y.t());
      ref.narrow(x.r(), c.axis(), c.start(), y.r());
      assertAgree("narrow " + c, y, Tolerance.EXACT);
    });
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> narrowAssign() {
    return casesOf(org.jdnn.spi.Capability.DATA_MOVEMENT, narrowCases(), c -> {
      double[] big = c.dtype().isFloating() ? normal(numel(c.shape()), 103) : levels(numel(c.shape()), 1000, 103);
      double[] small = c.dtype().isFloating() ? normal(numel(c.window()), 104) : levels(numel(c.window()), 1000, 104);
      Twin dst = input(c.shape(), c.dtype(), big); // the rest of dst must be kept
      Twin src = input(c.window(), c.dtype(), small);
      test.narrowAssign(src.t(), c.axis(), c.start(), dst.t());
      ref.narrowAssign(src.r(), c.axis(), c.start(), dst.r());
      assertAgree("narrowAssign " + c, dst, Tolerance.EXACT);
    });
  }

  /** {@code where(cond, a, b)} with three broadcast shapes. */
  public record WhereCase(String name, Shape cond, Shape a, Shape b) {
    @Override
    public String toString() {
      return "where " + name + " cond " + cond + " a " + a + " b " + b;
    }
  }

  static Stream<WhereCase> whereCases() {
    return Stream.of(new WhereCase("same shape", Shape.of(3, 7), Shape.of(3, 7), Shape.of(3, 7)),
        new WhereCase("scalar b", Shape.of(2, 3, 5), Shape.of(2, 3, 5), Shape.scalar()),
        new WhereCase("per-channel cond", Shape.of(1, 3, 1, 1), Shape.of(2, 3, 4, 5), Shape.of(2, 3, 4, 5)),
        new WhereCase("all broadcast", Shape.of(4, 1), Shape.of(1, 5), Shape.of(4, 5)));
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> where() {
    return casesOf(org.jdnn.spi.Capability.DATA_MOVEMENT, whereCases(), c -> {
      Shape out = Shape.broadcast(Shape.broadcast(c.cond(), c.a()), c.b());
      Twin cond = input(c.cond(), levels(numel(c.cond()), 2, 105));
      double[] av = normal(numel(c.a()), 106);
      if (av.length > 1) av[0] = Double.NaN; // a NaN where it may not be selected must not leak
      Twin x = input(c.a(), av);
      Twin y = input(c.b(), normal(numel(c.b()), 107));
      Twin o = output(out);
      test.where(cond.t(), x.t(), y.t(), o.t());
      ref.where(cond.r(), x.r(), y.r(), o.r());
      assertAgree(c.toString(), o, Tolerance.EXACT);
    });
  }

  /** {@code pad} of the last {@code before.length} axes. */
  public record PadCase(org.jdnn.spi.PadMode mode, Shape shape, int[] before, int[] after, double value) {
    Shape outShape() {
      int[] d = shape.toArray();
      int k = before.length;
      for (int i = 0; i < k; i++) d[d.length - k + i] += before[i] + after[i];
      return Shape.of(d);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "pad %s %s before %s after %s", mode, shape, Arrays.toString(before),
          Arrays.toString(after));
    }
  }

  static Stream<PadCase> padCases() {
    List<PadCase> cases = new ArrayList<>();
    for (org.jdnn.spi.PadMode m : org.jdnn.spi.PadMode.values()) {
      cases.add(new PadCase(m, Shape.of(2, 3, 7), a(2), a(3), 0.5));
      cases.add(new PadCase(m, Shape.of(2, 3, 5, 6), a(1, 2), a(3, 0), -1));
      cases.add(new PadCase(m, Shape.of(1, 2, 4, 3, 5), a(1, 2, 2), a(2, 1, 0), 0));
      cases.add(new PadCase(m, Shape.of(2, 2, 4, 4), a(0, 3), a(3, 0), 0));
    }
    cases.add(new PadCase(org.jdnn.spi.PadMode.CIRCULAR, Shape.of(1, 1, 3), a(3), a(3), 0)); // pad = size
    cases.add(new PadCase(org.jdnn.spi.PadMode.REPLICATE, Shape.of(1, 1, 2), a(5), a(4), 0)); // pad > size
    return cases.stream();
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> pad() {
    return casesOf(org.jdnn.spi.Capability.PADDING, padCases(), c -> {
      Twin x = input(c.shape(), normal(numel(c.shape()), 108));
      Twin y = output(c.outShape());
      test.pad(c.mode(), c.before(), c.after(), c.value(), x.t(), y.t());
      ref.pad(c.mode(), c.before(), c.after(), c.value(), x.r(), y.r());
      assertAgree("forward " + c, y, Tolerance.EXACT);
    });
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> padBackward() {
    return casesOf(org.jdnn.spi.Capability.PADDING, padCases(), c -> {
      Twin dy = input(c.outShape(), normal(numel(c.outShape()), 109));
      Twin dx = output(c.shape());
      test.padBackward(c.mode(), c.before(), c.after(), dy.t(), dx.t());
      ref.padBackward(c.mode(), c.before(), c.after(), dy.r(), dx.r());
      assertAgree("backward " + c, dx, ACCUMULATE);
    });
  }

  static Stream<PoolCase> maxPoolIndexCases() {
    return poolCases().filter(c -> c.mode() == Mode.MAX);
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> maxPoolWithIndicesAndUnpool() {
    return casesOf(org.jdnn.spi.Capability.UNPOOLING, maxPoolIndexCases(), c -> {
      PoolGeometry g = c.geometry();
      Twin x = poolInput(c, g.inputShape(), 110);
      Twin y = output(g.outputShape());
      Twin idx = output(g.outputShape(), DType.I64);
      test.maxPoolWithIndices(g, x.t(), y.t(), idx.t());
      ref.maxPoolWithIndices(g, x.r(), y.r(), idx.r());
      assertAgree("values " + c, y, Tolerance.EXACT);
      assertAgree("indices " + c, idx, Tolerance.EXACT);
      Twin pooled = output(g.outputShape());
      ref.pool(g, x.r(), pooled.r());
      Tolerance.EXACT.assertClose("values equal pool() " + c, y.shape(), pooled.onRef.values(), y.onRef.values());

      // unpool puts the maxima back; overlapping windows may name an index twice (same value)
      Twin up = output(g.inputShape());
      test.unpool(y.t(), idx.t(), up.t());
      ref.unpool(y.r(), idx.r(), up.r());
      assertAgree("unpool " + c, up, Tolerance.EXACT);
      Twin dy = input(g.inputShape(), normal(numel(g.inputShape()), 111));
      Twin dx = output(g.outputShape());
      test.unpoolBackward(dy.t(), idx.t(), dx.t());
      ref.unpoolBackward(dy.r(), idx.r(), dx.r());
      assertAgree("unpool backward " + c, dx, Tolerance.EXACT);
    });
  }

  /** Adaptive pooling of {@code in} to {@code out} (spatial sizes). */
  public record AdaptiveCase(boolean max, int batch, int channels, int[] in, int[] out) {
    Shape inShape() {
      return spatialShape(batch, channels, in);
    }

    Shape outShape() {
      return spatialShape(batch, channels, out);
    }

    @Override
    public String toString() {
      return (max ? "adaptive max " : "adaptive avg ") + dims(in) + " -> " + dims(out);
    }
  }

  static Stream<AdaptiveCase> adaptiveCases() {
    List<AdaptiveCase> cases = new ArrayList<>();
    for (boolean max : new boolean[] {false, true}) {
      cases.add(new AdaptiveCase(max, 2, 3, a(13, 13), a(1, 1)));
      cases.add(new AdaptiveCase(max, 2, 3, a(10, 7), a(3, 4))); // overlapping, uneven windows
      cases.add(new AdaptiveCase(max, 1, 2, a(5, 5), a(7, 7))); // more outputs than inputs
      cases.add(new AdaptiveCase(max, 2, 2, a(11), a(4)));
      cases.add(new AdaptiveCase(max, 1, 2, a(5, 6, 7), a(2, 3, 3)));
    }
    return cases.stream();
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> adaptivePool() {
    return casesOf(org.jdnn.spi.Capability.ADAPTIVE_POOLING, adaptiveCases(), c -> {
      Twin x = input(c.inShape(), normal(numel(c.inShape()), 112));
      Twin y = output(c.outShape());
      test.adaptivePool(c.max(), x.t(), y.t());
      ref.adaptivePool(c.max(), x.r(), y.r());
      assertAgree("forward " + c, y, c.max() ? Tolerance.EXACT : ACCUMULATE);
      Twin dy = input(c.outShape(), normal(numel(c.outShape()), 113));
      Twin dx = output(c.inShape());
      test.adaptivePoolBackward(c.max(), x.t(), y.t(), dy.t(), dx.t());
      ref.adaptivePoolBackward(c.max(), x.r(), y.r(), dy.r(), dx.r());
      assertAgree("backward " + c, dx, ACCUMULATE);
    });
  }

  /** Upsampling {@code in} to {@code out} (spatial sizes). */
  public record UpsampleCase(org.jdnn.spi.UpsampleMode mode, boolean alignCorners, int[] in, int[] out) {
    Shape inShape() {
      return spatialShape(2, 3, in);
    }

    Shape outShape() {
      return spatialShape(2, 3, out);
    }

    @Override
    public String toString() {
      return mode + (alignCorners ? " align_corners " : " ") + dims(in) + " -> " + dims(out);
    }
  }

  static Stream<UpsampleCase> upsampleCases() {
    List<UpsampleCase> cases = new ArrayList<>();
    int[][][] sizes = {{a(5), a(10)}, {a(7), a(3)}, {a(4, 5), a(8, 10)}, {a(4, 5), a(7, 13)}, {a(6, 6), a(4, 3)},
        {a(2, 3, 4), a(4, 5, 8)}, {a(1, 1), a(3, 3)}};
    for (int[][] s : sizes) {
      cases.add(new UpsampleCase(org.jdnn.spi.UpsampleMode.NEAREST, false, s[0], s[1]));
      cases.add(new UpsampleCase(org.jdnn.spi.UpsampleMode.LINEAR, false, s[0], s[1]));
      cases.add(new UpsampleCase(org.jdnn.spi.UpsampleMode.LINEAR, true, s[0], s[1]));
    }
    return cases.stream();
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> upsample() {
    return casesOf(org.jdnn.spi.Capability.UPSAMPLING, upsampleCases(), c -> {
      Twin x = input(c.inShape(), normal(numel(c.inShape()), 114));
      Twin y = output(c.outShape());
      test.upsample(c.mode(), c.alignCorners(), x.t(), y.t());
      ref.upsample(c.mode(), c.alignCorners(), x.r(), y.r());
      assertAgree("forward " + c, y, ACCUMULATE);
      Twin dy = input(c.outShape(), normal(numel(c.outShape()), 115));
      Twin dx = output(c.inShape());
      test.upsampleBackward(c.mode(), c.alignCorners(), dy.t(), dx.t());
      ref.upsampleBackward(c.mode(), c.alignCorners(), dy.r(), dx.r());
      assertAgree("backward " + c, dx, ACCUMULATE);
    });
  }


  // ==========================================================================================
  // Optional capability groups. Cases of a group run only when the backend declares it
  // (casesOf); each group it does not declare is one test of its own, named "lacks GROUP", that
  // prints the fact and checks the declaration is honest (a primitive of the group throws
  // UnsupportedOperationException naming it). Nothing is skipped, nothing passes unrun.
  // See docs/testing.md.

  /** Prints what the backend declares and lacks; CORE is required of every backend. */
  @Test
  void declaresCoreAndReportsWhatItLacks() {
    java.util.Set<org.jdnn.spi.Capability> has = test.capabilities();
    java.util.Set<org.jdnn.spi.Capability> lacks = java.util.EnumSet.allOf(org.jdnn.spi.Capability.class);
    lacks.removeAll(has);
    System.out.println("[conformance] backend " + test.description() + " declares " + has + "; lacks " + lacks);
    assertTrue(has.contains(org.jdnn.spi.Capability.CORE),
        test.description() + " must declare CORE; declares " + has);
    assertTrue(ref.capabilities().containsAll(has), "the reference " + ref.description() + " lacks groups that "
        + test.description() + " declares: the suite has nothing to compare them with; reference declares "
        + ref.capabilities());
  }

  /** One test per group the backend lacks: printed, and checked to be really absent. */
  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> lacksCapability() {
    Backend be = backend();
    java.util.Set<org.jdnn.spi.Capability> has = be.capabilities();
    return Arrays.stream(org.jdnn.spi.Capability.values()).filter(g -> !has.contains(g))
        .map(g -> org.junit.jupiter.api.DynamicTest.dynamicTest("backend " + be.description() + " lacks " + g
            + " (declared; its cases are not run)", () -> {
              System.out.println("[conformance] backend " + be.description() + " lacks " + g);
              try (Scope s = Scope.open()) {
                UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(
                    UnsupportedOperationException.class, () -> probe(be, g),
                    be.description() + " declares it lacks " + g + " but a primitive of the group ran; declare it");
                assertTrue(e.getMessage().contains(g.name()),
                    "the exception for a missing " + g + " should name the group: " + e.getMessage());
              }
            }));
  }

  /** Calls one primitive of {@code group} on tiny tensors. */
  private static void probe(Backend be, org.jdnn.spi.Capability group) {
    Tensor x = Tensor.zeros(Shape.of(1, 3, 4), DType.F32, be);
    switch (group) {
      case CORE:
        throw new AssertionError("CORE is required, not optional");
      case EXTENDED_ACTIVATIONS:
        be.activation(Activation.leakyRelu(0.1), x, x.zerosLike());
        break;
      case DATA_MOVEMENT:
        be.permute(x, a(0, 2, 1), Tensor.zeros(Shape.of(1, 4, 3), DType.F32, be));
        break;
      case PADDING:
        be.pad(org.jdnn.spi.PadMode.CONSTANT, a(1), a(1), 0, x, Tensor.zeros(Shape.of(1, 3, 6), DType.F32, be));
        break;
      case UNPOOLING:
        be.unpool(x, Tensor.zeros(Shape.of(1, 3, 4), DType.I64, be), Tensor.zeros(Shape.of(1, 3, 8), DType.F32, be));
        break;
      case ADAPTIVE_POOLING:
        be.adaptivePool(false, x, Tensor.zeros(Shape.of(1, 3, 2), DType.F32, be));
        break;
      case UPSAMPLING:
        be.upsample(org.jdnn.spi.UpsampleMode.NEAREST, false, x, Tensor.zeros(Shape.of(1, 3, 8), DType.F32, be));
        break;
      case BATCH_NORM: {
        Tensor c = Tensor.zeros(Shape.of(3), DType.F32, be);
        be.batchNormInference(x, c, c, c, c, 1e-5, x.zerosLike());
        break;
      }
      case LRN:
        be.lrn(3, 1e-4, 0.75, 1, x, x.zerosLike());
        break;
      default:
        throw new AssertionError("no probe for capability " + group + "; add one to BackendConformanceSuite.probe");
    }
  }

  /**
   * The cases of an optional {@code group} as dynamic tests named by the cases' {@code toString},
   * when the backend declares the group; none otherwise ({@link #lacksCapability} reports it).
   * Each case runs in its own {@link Scope}.
   */
  protected <T> Stream<org.junit.jupiter.api.DynamicTest> casesOf(org.jdnn.spi.Capability group, Stream<T> cases,
      java.util.function.Consumer<T> body) {
    if (!backend().capabilities().contains(group)) return Stream.empty();
    return cases.map(c -> org.junit.jupiter.api.DynamicTest.dynamicTest(c.toString(), () -> {
      try (Scope s = Scope.open()) {
        body.accept(c);
      }
    }));
  }

  // ==========================================================================================
  // Batch normalisation (Capability.BATCH_NORM)

  /** A batch-norm problem on {@code (N, C, *)}; inputs sit around 3 so the mean subtraction matters. */
  public record BatchNormCase(String name, int[] shape, double eps) {
    Shape x() {
      return Shape.of(shape);
    }

    Shape channels() {
      return Shape.of(shape[1]);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "batch_norm %s %s eps=%s", name, Arrays.toString(shape), eps);
    }
  }

  static Stream<BatchNormCase> batchNormCases() {
    return Stream.of(
        new BatchNormCase("1-d (N, C)", a(4, 3), 1e-5),
        new BatchNormCase("1-d (N, C), batch 2", a(2, 5), 1e-5),
        new BatchNormCase("1-d (N, C, L), batch 1", a(1, 3, 7), 1e-5),
        new BatchNormCase("1-d (N, C, L)", a(3, 4, 13), 1e-3),
        new BatchNormCase("2-d", a(2, 3, 5, 7), 1e-5),
        new BatchNormCase("2-d, batch 1", a(1, 4, 3, 5), 1e-5),
        new BatchNormCase("2-d, one channel", a(3, 1, 13, 13), 1e-5),
        new BatchNormCase("2-d, 1x1 maps", a(2, 7, 1, 1), 0.1),
        new BatchNormCase("3-d", a(2, 2, 3, 4, 5), 1e-5),
        new BatchNormCase("3-d, batch 1", a(1, 3, 3, 3, 3), 1e-5),
        new BatchNormCase("2-d, channels split over threads", a(8, 16, 17, 19), 1e-5));
  }

  private static double[] batchNormInput(Shape s, long seed) {
    double[] v = normal(numel(s), seed);
    for (int i = 0; i < v.length; i++) v[i] = 3 + 2 * v[i];
    return v;
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> batchNormTraining() {
    return casesOf(org.jdnn.spi.Capability.BATCH_NORM, batchNormCases(), c -> {
      Twin x = input(c.x(), batchNormInput(c.x(), 201));
      Twin w = input(c.channels(), normal(c.shape()[1], 202));
      Twin b = input(c.channels(), normal(c.shape()[1], 203));
      Twin y = output(c.x());
      Twin mean = output(c.channels());
      Twin invStd = output(c.channels());
      test.batchNormTraining(x.t(), w.t(), b.t(), c.eps(), y.t(), mean.t(), invStd.t());
      ref.batchNormTraining(x.r(), w.r(), b.r(), c.eps(), y.r(), mean.r(), invStd.r());
      assertAgree("training forward " + c + ": y", y, ACCUMULATE);
      assertAgree("training forward " + c + ": batch mean", mean, ACCUMULATE);
      assertAgree("training forward " + c + ": batch inverse std", invStd, ACCUMULATE);
    });
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> batchNormInference() {
    return casesOf(org.jdnn.spi.Capability.BATCH_NORM, batchNormCases(), c -> {
      int ch = c.shape()[1];
      Twin x = input(c.x(), batchNormInput(c.x(), 211));
      Twin w = input(c.channels(), normal(ch, 212));
      Twin b = input(c.channels(), normal(ch, 213));
      Twin runningMean = input(c.channels(), uniform(ch, 2, 4, 214));
      Twin runningVar = input(c.channels(), uniform(ch, 0.5, 5, 215));
      Twin y = output(c.x());
      test.batchNormInference(x.t(), w.t(), b.t(), runningMean.t(), runningVar.t(), c.eps(), y.t());
      ref.batchNormInference(x.r(), w.r(), b.r(), runningMean.r(), runningVar.r(), c.eps(), y.r());
      assertAgree("inference " + c, y, ACCUMULATE);
    });
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> batchNormBackward() {
    return casesOf(org.jdnn.spi.Capability.BATCH_NORM, batchNormCases(), c -> {
      int ch = c.shape()[1];
      double[] xv = batchNormInput(c.x(), 221);
      Twin x = input(c.x(), xv);
      Twin w = input(c.channels(), normal(ch, 222));
      // The saved statistics are inputs of the backward: both backends get the reference's.
      Twin b = input(c.channels(), new double[ch]);
      Twin y = output(c.x());
      Twin mean = output(c.channels());
      Twin invStd = output(c.channels());
      ref.batchNormTraining(x.r(), w.r(), b.r(), c.eps(), y.r(), mean.r(), invStd.r());
      Twin savedMean = input(c.channels(), mean.onRef.values());
      Twin savedInvStd = input(c.channels(), invStd.onRef.values());
      Twin dy = input(c.x(), normal(numel(c.x()), 224));
      Twin dx = output(c.x());
      Twin dw = output(c.channels());
      Twin db = output(c.channels());
      test.batchNormBackward(x.t(), w.t(), dy.t(), savedMean.t(), savedInvStd.t(), dx.t(), dw.t(), db.t());
      ref.batchNormBackward(x.r(), w.r(), dy.r(), savedMean.r(), savedInvStd.r(), dx.r(), dw.r(), db.r());
      assertAgree("backward " + c + ": dx", dx, ACCUMULATE);
      assertAgree("backward " + c + ": dweight", dw, ACCUMULATE);
      assertAgree("backward " + c + ": dbias", db, ACCUMULATE);
    });
  }

  /** Values worked by hand, so the reference itself is pinned, not only agreement with it. */
  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> batchNormHandWorked() {
    String name = "batch_norm of x = [[1, 10], [3, 30]] (N=2, C=2), eps 0, weight (2, 1), bias (0.5, -1)";
    return casesOf(org.jdnn.spi.Capability.BATCH_NORM, Stream.of(name), c -> {
      Twin x = input(Shape.of(2, 2), new double[] {1, 10, 3, 30});
      Twin w = input(Shape.of(2), new double[] {2, 1});
      Twin b = input(Shape.of(2), new double[] {0.5, -1});
      Twin y = output(Shape.of(2, 2));
      Twin mean = output(Shape.of(2));
      Twin invStd = output(Shape.of(2));
      test.batchNormTraining(x.t(), w.t(), b.t(), 0, y.t(), mean.t(), invStd.t());
      ref.batchNormTraining(x.r(), w.r(), b.r(), 0, y.r(), mean.r(), invStd.r());
      // channel 0: mean 2, biased variance 1; channel 1: mean 20, variance 100
      POINTWISE.assertClose(c + ": y [reference]", y.shape(), new double[] {-1.5, -2, 2.5, 0}, y.onRef.values());
      POINTWISE.assertClose(c + ": mean [reference]", mean.shape(), new double[] {2, 20}, mean.onRef.values());
      POINTWISE.assertClose(c + ": inverse std [reference]", invStd.shape(), new double[] {1, 0.1},
          invStd.onRef.values());
      assertAgree(c + ": y", y, ACCUMULATE);
      assertAgree(c + ": mean", mean, ACCUMULATE);
      assertAgree(c + ": inverse std", invStd, ACCUMULATE);
    });
  }

  // ==========================================================================================
  // Local response normalisation (Capability.LRN)

  public record LrnCase(String name, int[] shape, int size, double alpha, double beta, double k) {
    Shape x() {
      return Shape.of(shape);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "lrn %s %s size=%d alpha=%s beta=%s k=%s", name, Arrays.toString(shape), size,
          alpha, beta, k);
    }
  }

  static Stream<LrnCase> lrnCases() {
    return Stream.of(
        new LrnCase("AlexNet's constants", a(2, 7, 5, 5), 5, 1e-4, 0.75, 2),
        new LrnCase("strong normalisation", a(2, 7, 5, 5), 5, 2, 0.75, 1),
        new LrnCase("even size (window c-2 .. c+1)", a(2, 6, 3, 4), 4, 1.5, 0.75, 1),
        new LrnCase("size 1: own channel only", a(1, 3, 4, 4), 1, 1, 0.5, 1),
        new LrnCase("size 2", a(1, 5, 3, 3), 2, 1, 1, 1),
        new LrnCase("size larger than the channels", a(2, 3, 3, 2), 7, 3, 0.75, 0.5),
        new LrnCase("1-d, batch 1", a(1, 6, 9), 3, 1, 0.75, 1),
        new LrnCase("1-d", a(3, 5, 7), 3, 0.5, 1.5, 2),
        new LrnCase("3-d", a(2, 6, 3, 4, 5), 5, 1, 0.75, 1),
        new LrnCase("one channel", a(2, 1, 5, 5), 3, 1, 0.75, 1),
        new LrnCase("rows split over threads", a(4, 16, 13, 13), 5, 1, 0.75, 1));
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> lrnForward() {
    return casesOf(org.jdnn.spi.Capability.LRN, lrnCases(), c -> {
      Twin x = input(c.x(), normal(numel(c.x()), 231));
      Twin y = output(c.x());
      test.lrn(c.size(), c.alpha(), c.beta(), c.k(), x.t(), y.t());
      ref.lrn(c.size(), c.alpha(), c.beta(), c.k(), x.r(), y.r());
      assertAgree("forward " + c, y, TRANSCENDENTAL);
    });
  }

  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> lrnBackward() {
    return casesOf(org.jdnn.spi.Capability.LRN, lrnCases(), c -> {
      Twin x = input(c.x(), normal(numel(c.x()), 241));
      Twin y = output(c.x());
      ref.lrn(c.size(), c.alpha(), c.beta(), c.k(), x.r(), y.r());
      Twin forward = input(c.x(), y.onRef.values()); // both backends get the reference's forward output
      Twin dy = input(c.x(), normal(numel(c.x()), 242));
      Twin dx = output(c.x());
      test.lrnBackward(c.size(), c.alpha(), c.beta(), c.k(), x.t(), forward.t(), dy.t(), dx.t());
      ref.lrnBackward(c.size(), c.alpha(), c.beta(), c.k(), x.r(), forward.r(), dy.r(), dx.r());
      // dx is a difference of two terms that may cancel: bounded relative to the tensor's scale.
      assertAgree("backward " + c, dx, ACCUMULATE);
    });
  }

  /** The window's direction for an even size, worked by hand. */
  @org.junit.jupiter.api.TestFactory
  Stream<org.junit.jupiter.api.DynamicTest> lrnHandWorked() {
    String name = "lrn of x = (1, 2, 3) over channels, size 2 (window c-1 .. c), alpha 2, beta 1, k 1";
    return casesOf(org.jdnn.spi.Capability.LRN, Stream.of(name), c -> {
      Twin x = input(Shape.of(1, 3, 1), new double[] {1, 2, 3});
      Twin y = output(Shape.of(1, 3, 1));
      test.lrn(2, 2, 1, 1, x.t(), y.t());
      ref.lrn(2, 2, 1, 1, x.r(), y.r());
      // d_c = 1 + 2/2 * (x_{c-1}^2 + x_c^2): 2, 6, 14
      POINTWISE.assertClose(c + " [reference]", y.shape(), new double[] {0.5, 2.0 / 6, 3.0 / 14}, y.onRef.values());
      assertAgree(c, y, TRANSCENDENTAL);
    });
  }
}

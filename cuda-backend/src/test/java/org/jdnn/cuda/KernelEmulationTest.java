package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.spi.Activation;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.PoolGeometry.Mode;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.UnaryOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jdnn's own kernels, compiled from the same {@code jdnn_kernels.cu} for the host with g++ and a
 * small emulation of CUDA's built-ins ({@code src/test/cuda}), run on the arguments the backend
 * plans ({@link BroadcastPlan}, {@link ReducePlan}, {@link PoolPlan}) and compared with
 * {@link NaiveBackend}. One block of one thread: the index arithmetic, the formulas and the
 * argument layout are checked on the CPU; float-to-integer conversion of NaN and out-of-range
 * values (PTX saturates, x86 does not), the CUDA math library's last bits and concurrency are
 * left to the GPU suite.
 */
class KernelEmulationTest {
  static Path emu;

  @BeforeAll
  static void compile(@TempDir Path dir) throws Exception {
    emu = dir.resolve("emu");
    Process p = new ProcessBuilder("g++", "-std=c++17", "-O1", "-ffp-contract=off", "-pthread", "-o", emu.toString(),
        Path.of("src/test/cuda/emu_main.cpp").toAbsolutePath().toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "g++ timed out");
    assertEquals(0, p.exitValue(), "g++ could not compile the kernels for the host:\n" + log);
  }

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

  // ------------------------------------------------------------------ running the emulator

  static final class Call {
    final String kernel;
    final List<Long> ints = new ArrayList<>();
    final List<Double> doubles = new ArrayList<>();
    final List<String> arrays = new ArrayList<>();
    long out;

    Call(String kernel) {
      this.kernel = kernel;
    }

    Call i(long... v) {
      for (long x : v) ints.add(x);
      return this;
    }

    Call i(int[] v) {
      for (int x : v) ints.add((long) x);
      return this;
    }

    Call d(double... v) {
      for (double x : v) doubles.add(x);
      return this;
    }

    Call a(double[] v) {
      StringBuilder sb = new StringBuilder("A " + v.length);
      for (double x : v) sb.append(' ').append(Double.toHexString(x));
      arrays.add(sb.toString());
      return this;
    }

    Call a(long[] v) {
      StringBuilder sb = new StringBuilder("A " + v.length);
      for (long x : v) sb.append(' ').append(x);
      arrays.add(sb.toString());
      return this;
    }

    Call out(long n) {
      out = n;
      return this;
    }

    double[] run() throws IOException, InterruptedException {
      StringBuilder in = new StringBuilder(kernel).append('\n');
      in.append("I ").append(ints.size());
      for (long x : ints) in.append(' ').append(x);
      in.append("\nD ").append(doubles.size());
      for (double x : doubles) in.append(' ').append(Double.toHexString(x));
      in.append('\n');
      for (String a : arrays) in.append(a).append('\n');
      in.append("O ").append(out).append('\n');
      Process p = new ProcessBuilder(emu.toString()).redirectErrorStream(true).start();
      try (OutputStream os = p.getOutputStream()) {
        os.write(in.toString().getBytes(StandardCharsets.US_ASCII));
      }
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), kernel + ": " + text);
      return text.isEmpty() ? new double[0] : text.lines().mapToDouble(Double::parseDouble).toArray();
    }
  }

  // ------------------------------------------------------------------ helpers

  private Tensor t(double[] v, Shape s, DType d) {
    Tensor x = Tensor.empty(s, d, ref);
    Object arr = org.jdnn.conformance.Guarded.toArray(v, d);
    ref.copyFromHost(arr, 0, x);
    return x;
  }

  /** Values as stored in dtype {@code d} (F32 rounds). */
  private static double[] as(double[] v, DType d) {
    double[] o = v.clone();
    if (d == DType.F32) for (int i = 0; i < o.length; i++) o[i] = (float) o[i];
    return o;
  }

  private static void assertClose(String what, double[] expected, double[] actual, double rtol) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      boolean ok = Double.isNaN(e) ? Double.isNaN(a) : e == a || Math.abs(a - e) <= rtol * Math.abs(e) + rtol * 1e-3;
      assertTrue(ok, what + ": element " + i + " expected " + e + " but the kernel gave " + a);
    }
  }

  static double[] normal(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    return v;
  }

  static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, -1, 2,
      1e30, -1e30, 0.5, -3, 100, -100};

  // ------------------------------------------------------------------ random: bit for bit

  @Test
  void randomNumbersAreGeneratorsFormulasBitForBit() throws Exception {
    long seed = 0x1234_5678_9ABCL;
    int n = 1000;
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      String s = Kernels.suffix(d);
      double[] u = new Call("rand_uniform_" + s).i(seed).d(-2, 3).out(n).run();
      double[] b = new Call("rand_bernoulli_" + s).i(seed).d(0.3).out(n).run();
      double[] g = new Call("rand_normal_" + s).i(seed).d(1, 2).out(n).run();
      double[] eu = new double[n];
      double[] eb = new double[n];
      double[] eg = new double[n];
      for (int i = 0; i < n; i++) {
        eu[i] = -2 + 5 * Generator.uniform(seed, i);
        eb[i] = Generator.uniform(seed, i) < 0.3 ? 1 : 0;
        eg[i] = 1 + 2 * Generator.normal(seed, i);
      }
      assertClose("uniform " + d, as(eu, d), u, 0);
      assertClose("bernoulli " + d, eb, b, 0);
      // Box-Muller's log1p and cos: C's libm and Java's may differ in the last bit.
      assertClose("normal " + d, as(eg, d), g, d == DType.F32 ? 1.2e-7 : 1e-14);
    }
  }

  // ------------------------------------------------------------------ conversions and fill

  static Stream<Object[]> dtypePairs() {
    List<Object[]> l = new ArrayList<>();
    for (DType a : DType.values()) for (DType b : DType.values()) l.add(new Object[] {a, b});
    return l.stream();
  }

  @ParameterizedTest(name = "convert {0} to {1}")
  @MethodSource("dtypePairs")
  void conversionsAreJavasCasts(DType from, DType to) throws Exception {
    boolean unsigned = from == DType.U8 || to == DType.U8;
    Random r = new Random(101);
    double[] v = new double[200];
    for (int i = 0; i < v.length; i++) {
      v[i] = unsigned ? r.nextInt(256) : r.nextInt(2001) - 1000;
      if (from.isFloating() && !unsigned) v[i] += (r.nextInt(8) - 4) / 8.0;
      if (from.isFloating() && unsigned) v[i] = Math.min(255.875, v[i] + r.nextInt(8) / 8.0);
    }
    if (from == DType.F64 && to == DType.F32) v[0] = 0.1;
    if (from == DType.I64 && to == DType.I32) v[1] = 5_000_000_000.0; // drops the high bits
    Tensor src = t(v, Shape.of(v.length), from);
    Tensor dst = Tensor.empty(Shape.of(v.length), to, ref);
    ref.copy(src, dst);
    double[] expected = org.jdnn.conformance.Guarded.hostValues(dst);
    double[] in = org.jdnn.conformance.Guarded.hostValues(src);
    Call c = new Call(Kernels.convert(from, to));
    if (from.isFloating()) c.a(in);
    else c.a(java.util.Arrays.stream(in).mapToLong(x -> (long) x).toArray());
    assertClose("convert " + from + " -> " + to, expected, c.run(), 0);
  }

  @Test
  void fillWritesTheBitPatternJavaStores() throws Exception {
    assertClose("fill_b8 of (byte) (long) 200", new double[] {200, 200}, new Call("fill_b8").i(200).out(2).run(), 0);
    long bits = Float.floatToRawIntBits(-3.25e-3f) & 0xffffffffL;
    assertClose("fill_b32", new double[] {bits}, new Call("fill_b32").i(bits).out(1).run(), 0);
  }

  // ------------------------------------------------------------------ element-wise

  @ParameterizedTest(name = "{0}")
  @EnumSource(UnaryOp.class)
  void unaryOpsMatchTheReference(UnaryOp op) throws Exception {
    double[] v = new double[SPECIAL.length + 100];
    System.arraycopy(SPECIAL, 0, v, 0, SPECIAL.length);
    double[] g = normal(100, 5);
    for (int i = 0; i < 100; i++) v[SPECIAL.length + i] = op == UnaryOp.LOG || op == UnaryOp.SQRT ? Math.abs(g[i]) : g[i];
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      Tensor x = t(v, Shape.of(v.length), d);
      Tensor y = Tensor.empty(x.shape(), d, ref);
      ref.unary(op, x, y);
      double[] got = new Call("unary_" + Kernels.suffix(d)).i(op.ordinal()).a(as(v, d)).run();
      assertClose(op + " " + d, org.jdnn.conformance.Guarded.hostValues(y), got, d == DType.F32 ? 1.2e-7 : 1e-15);
    }
  }

  static Stream<Object[]> broadcastCases() {
    List<Object[]> l = new ArrayList<>();
    Shape[][] shapes = {
        {Shape.of(3, 5, 7), Shape.of(3, 5, 7)}, {Shape.of(3, 5, 7), Shape.of(1)}, {Shape.of(13), Shape.scalar()},
        {Shape.of(2, 3, 5, 7), Shape.of(1, 3, 1, 1)}, {Shape.of(2, 3, 5, 7), Shape.of(3, 1, 1)},
        {Shape.of(13, 7), Shape.of(7)}, {Shape.of(13, 7), Shape.of(13, 1)}, {Shape.of(3, 1, 5), Shape.of(4, 1)},
        {Shape.of(1, 3, 1, 1), Shape.of(2, 3, 5, 7)}, {Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 1)}};
    for (BinaryOp op : BinaryOp.values()) for (Shape[] s : shapes) l.add(new Object[] {op, s[0], s[1]});
    return l.stream();
  }

  @ParameterizedTest(name = "{0} {1} with {2}")
  @MethodSource("broadcastCases")
  void binaryOpsBroadcastAsTheReference(BinaryOp op, Shape sa, Shape sb) throws Exception {
    Shape out = Shape.broadcast(sa, sb);
    double[] va = normal((int) sa.numel(), 1);
    double[] vb = normal((int) sb.numel(), 2);
    if (op == BinaryOp.POW) for (int i = 0; i < va.length; i++) va[i] = Math.abs(va[i]) + 0.2;
    if (op == BinaryOp.MAX || op == BinaryOp.MIN) va[0] = Double.NaN;
    Tensor a = t(va, sa, DType.F32);
    Tensor b = t(vb, sb, DType.F32);
    Tensor o = Tensor.empty(out, DType.F32, ref);
    ref.binary(op, a, b, o);
    BroadcastPlan p = BroadcastPlan.of(out, sa, sb);
    double[] got = new Call("binary_f32").i(op.ordinal()).i(p.kernelStruct()).a(as(va, DType.F32))
        .a(as(vb, DType.F32)).out(out.numel()).run();
    assertClose(op + " " + sa + " with " + sb, org.jdnn.conformance.Guarded.hostValues(o), got,
        op == BinaryOp.POW ? 1.2e-7 : 0);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BinaryOp.class)
  void scalarOpsMatchTheReference(BinaryOp op) throws Exception {
    double[] v = normal(50, 3);
    if (op == BinaryOp.POW) for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]) + 0.2;
    for (double s : new double[] {2, -1.5, 0.25}) {
      Tensor x = t(v, Shape.of(v.length), DType.F32);
      Tensor y = Tensor.empty(x.shape(), DType.F32, ref);
      ref.binaryScalar(op, x, s, y);
      double[] got = new Call("scalar_f32").i(op.ordinal()).d(s).a(as(v, DType.F32)).run();
      assertClose(op + " " + s, org.jdnn.conformance.Guarded.hostValues(y), got, op == BinaryOp.POW ? 1.2e-7 : 0);
    }
  }

  /** Every kind, with non-default coefficients where it has any. */
  static java.util.stream.Stream<Activation> activations() {
    return Activation.examples().stream();
  }

  /** Values around each kind's kinks and thresholds, besides the special values and normal ones. */
  static final double[] KINKS = {6, 6.5, 5.99, -1, -0.5, 2, 2.5, 10, 20, 20.5, 19.5, -7, -40, 40, 1e-300, -1e-300};

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("activations")
  void activationKernelsMatchTheReference(Activation a) throws Exception {
    double[] v = new double[SPECIAL.length + KINKS.length + 100];
    System.arraycopy(SPECIAL, 0, v, 0, SPECIAL.length);
    System.arraycopy(KINKS, 0, v, SPECIAL.length, KINKS.length);
    double[] g0 = normal(100, 7);
    for (int i = 0; i < 100; i++) v[SPECIAL.length + KINKS.length + i] = 3 * g0[i];
    double[] g = normal(v.length, 8);
    Tensor x = t(v, Shape.of(v.length), DType.F64);
    Tensor y = Tensor.empty(x.shape(), DType.F64, ref);
    Tensor dy = t(g, x.shape(), DType.F64);
    Tensor dx = Tensor.empty(x.shape(), DType.F64, ref);
    ref.activation(a, x, y);
    ref.activationBackward(a, x, y, dy, dx);
    double[] yv = org.jdnn.conformance.Guarded.hostValues(y);
    // C's libm and Java's Math may differ in the last bit. GELU's Phi(x) = (1 + erf(x/sqrt 2))/2
    // cancels for negative x in both (C's erf and the reference's series), so there the bound is
    // absolute: an ulp of 1, times |x|.
    org.jdnn.conformance.Tolerance tol = a.kind() == Activation.Kind.GELU
        ? org.jdnn.conformance.Tolerance.of(1e-15, 1e-14, "1 + erf cancels for negative x")
        : org.jdnn.conformance.Tolerance.of(1e-15, 1e-300, "libm vs Java in the last bit");
    int code = CudaBackend.kernelCode(a);
    tol.assertClose(a + " forward", x.shape(), yv,
        new Call("act_forward_f64").i(code).d(a.alpha(), a.beta()).a(v).run());
    tol.assertClose(a + " backward", x.shape(), org.jdnn.conformance.Guarded.hostValues(dx),
        new Call("act_backward_f64").i(code).d(a.alpha(), a.beta()).a(v).a(yv).a(g).run());
    double[] vf = as(v, DType.F32);
    Tensor xf = t(vf, x.shape(), DType.F32);
    Tensor yf = Tensor.empty(x.shape(), DType.F32, ref);
    ref.activation(a, xf, yf);
    assertClose(a + " forward F32 (one rounding of the double result)", org.jdnn.conformance.Guarded.hostValues(yf),
        new Call("act_forward_f32").i(code).d(a.alpha(), a.beta()).a(vf).run(), 1.2e-7);
  }

  // ------------------------------------------------------------------ reductions, argmax, one-hot

  static Stream<Object[]> reduceCases() {
    List<Object[]> l = new ArrayList<>();
    Object[][] s = {{Shape.of(2, 3, 5, 7), new int[] {0, 1, 2, 3}}, {Shape.of(2, 3, 5, 7), new int[] {0}},
        {Shape.of(2, 3, 5, 7), new int[] {1}}, {Shape.of(2, 3, 5, 7), new int[] {3}},
        {Shape.of(2, 3, 5, 7), new int[] {0, 2, 3}}, {Shape.of(2, 3, 5, 7), new int[] {1, 2}},
        {Shape.of(2, 3, 5, 7), new int[] {0, 2}}, {Shape.of(2, 3, 5, 7), new int[] {}}, {Shape.of(13), new int[] {0}},
        {Shape.of(1, 7, 1), new int[] {0, 2}}, {Shape.of(1000, 3), new int[] {0}}};
    for (ReduceOp op : ReduceOp.values()) for (Object[] c : s) l.add(new Object[] {op, c[0], c[1]});
    return l.stream();
  }

  @ParameterizedTest(name = "{0} {1} over {2}")
  @MethodSource("reduceCases")
  void reductionsMatchTheReference(ReduceOp op, Shape s, int[] axes) throws Exception {
    double[] v = normal((int) s.numel(), 81);
    if (op == ReduceOp.MAX && v.length > 20) v[17] = Double.NaN;
    Tensor x = t(v, s, DType.F32);
    int[] od = s.toArray();
    for (int ax : axes) od[ax] = 1;
    Tensor o = Tensor.empty(Shape.of(od), DType.F32, ref);
    ref.reduce(op, x, axes, o);
    ReducePlan p = ReducePlan.of(s, axes);
    double[] got = new Call("reduce_f32").i(op.ordinal()).i(p.kernelStruct()).a(as(v, DType.F32)).out(p.outCount())
        .run();
    // One thread adds in the reference's order, in double: the same value.
    assertClose(op + " " + s, org.jdnn.conformance.Guarded.hostValues(o), got, 0);
  }

  @Test
  void argmaxTakesTheFirstMaximumAndNaN() throws Exception {
    Random r = new Random(91);
    Shape s = Shape.of(4, 3, 5);
    double[] v = new double[60];
    for (int i = 0; i < v.length; i++) v[i] = r.nextInt(3);
    v[7] = Double.NaN;
    for (int axis = 0; axis < 3; axis++) {
      Tensor x = t(v, s, DType.F32);
      int[] od = new int[2];
      for (int i = 0, k = 0; i < 3; i++) if (i != axis) od[k++] = s.dim(i);
      Tensor o = Tensor.empty(Shape.of(od), DType.I64, ref);
      ref.argmax(x, axis, o);
      long outer = s.numel(0, axis);
      long inner = s.numel(axis + 1, 3);
      double[] got = new Call("argmax_f32").i(outer, s.dim(axis), inner).a(as(v, DType.F32)).out(o.numel()).run();
      assertClose("argmax axis " + axis, org.jdnn.conformance.Guarded.hostValues(o), got, 0);
    }
  }

  @Test
  void oneHotRowsIncludingOutOfRangeLabels() throws Exception {
    long[] labels = {-1, 2, 3, 0, 1};
    Tensor l = Tensor.fromArray(labels, labels.length, DType.I64, new int[] {labels.length}, ref);
    Tensor o = Tensor.empty(Shape.of(5, 3), DType.F32, ref);
    ref.oneHot(l, o);
    assertClose("one_hot", org.jdnn.conformance.Guarded.hostValues(o), new Call("one_hot_i64_f32").i(3).a(labels).run(),
        0);
  }

  // ------------------------------------------------------------------ pooling

  static Stream<Object[]> poolCases() {
    List<Object[]> l = new ArrayList<>();
    int[][][] g = { // in, kernel, stride, padding, dilation, ceil
        {{13, 13}, {2, 2}, {2, 2}, {0, 0}, {1, 1}, {0}}, {{13, 13}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {0}},
        {{14, 14}, {3, 3}, {2, 2}, {0, 0}, {1, 1}, {1}}, {{5, 5}, {2, 2}, {2, 2}, {1, 1}, {1, 1}, {1}},
        {{13, 13}, {3, 3}, {1, 1}, {1, 1}, {2, 2}, {0}}, {{13, 7}, {3, 2}, {2, 1}, {1, 1}, {2, 1}, {1}},
        {{7, 5}, {7, 5}, {1, 1}, {0, 0}, {1, 1}, {0}}, {{13}, {3}, {2}, {1}, {1}, {0}}, {{13}, {2}, {2}, {1}, {3}, {1}},
        {{5, 6, 7}, {2, 2, 2}, {2, 2, 2}, {0, 0, 0}, {1, 1, 1}, {0}},
        {{5, 5, 5}, {3, 3, 3}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}, {1}}, {{6, 6}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1}},
        {{9, 9}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {0}}};
    for (Mode m : Mode.values()) {
      for (int[][] c : g) {
        boolean dilated = java.util.Arrays.stream(c[4]).anyMatch(x -> x != 1);
        if (m != Mode.MAX && dilated) continue;
        l.add(new Object[] {m, c});
      }
    }
    return l.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("poolCases")
  void poolingKernelsMatchTheReference(Mode mode, int[][] c) throws Exception {
    int[] xd = new int[c[0].length + 2];
    xd[0] = 2;
    xd[1] = 3;
    System.arraycopy(c[0], 0, xd, 2, c[0].length);
    PoolGeometry g = PoolGeometry.of(mode, Shape.of(xd), c[1], c[2], c[3], c[4], c[5][0] == 1);
    Random r = new Random(21);
    double[] v = new double[(int) g.inputShape().numel()];
    for (int i = 0; i < v.length; i++) v[i] = r.nextInt(4); // ties everywhere: first-maximum routing matters
    v[3] = Double.NaN;
    double[] dyv = normal((int) g.outputShape().numel(), 23);
    Tensor x = t(v, g.inputShape(), DType.F64);
    Tensor y = Tensor.empty(g.outputShape(), DType.F64, ref);
    Tensor dy = t(dyv, g.outputShape(), DType.F64);
    Tensor dx = Tensor.empty(g.inputShape(), DType.F64, ref);
    ref.pool(g, x, y);
    ref.poolBackward(g, x, y, dy, dx);
    int[] params = PoolPlan.kernelParams(g);
    assertClose("forward " + g, org.jdnn.conformance.Guarded.hostValues(y),
        new Call("pool_forward_f64").i(params).a(v).out(y.numel()).run(), 0);
    // Gradients add up in another order than the reference's: 1e-13 of the element and of the RMS.
    org.jdnn.conformance.Tolerance.scaled(1e-13, "double sums in two orders").assertClose("backward " + g,
        g.inputShape(), org.jdnn.conformance.Guarded.hostValues(dx),
        new Call("pool_backward_f64").i(params).a(v).a(dyv).out(dx.numel()).run());
  }

  @Test
  void theEmulatorItselfCanFail() throws Exception {
    // A wrong answer must show: ADD compared against the reference's SUB.
    double[] v = {1, 2, 3};
    Tensor a = t(v, Shape.of(3), DType.F32);
    Tensor o = Tensor.empty(Shape.of(3), DType.F32, ref);
    ref.binaryScalar(BinaryOp.SUB, a, 1, o);
    double[] got = new Call("scalar_f32").i(BinaryOp.ADD.ordinal()).d(1).a(v).run();
    org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
        () -> assertClose("ADD vs SUB", org.jdnn.conformance.Guarded.hostValues(o), got, 0));
  }
}

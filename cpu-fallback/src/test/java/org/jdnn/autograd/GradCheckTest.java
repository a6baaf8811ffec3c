package org.jdnn.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.nn.Functional;
import org.jdnn.nn.Linear;
import org.jdnn.ops.Convolution;
import org.jdnn.ops.Losses;
import org.jdnn.ops.MatMul;
import org.jdnn.ops.Pooling;
import org.jdnn.spi.Backend;
import org.jdnn.spi.PoolGeometry.Mode;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * Every differentiable op reachable from the public API, checked against central differences in
 * F64 on the naive reference backend ({@link GradCheck}: eps 1e-6, 1e-6 relative). Inputs keep
 * away from kinks: ReLU and abs see no value within 0.2 of zero, max pooling sees distinct values
 * 0.1 apart.
 */
class GradCheckTest {
  /** One backend for every tensor of a case: ops refuse operands on different backend instances. */
  private static final Backend NAIVE = new NaiveBackend();

  // ------------------------------------------------------------------------------------------
  // How inputs are made

  enum Dist {
    /** Standard normal. */
    NORMAL,
    /** Uniform in [0.5, 2): for log, sqrt and real powers. */
    POSITIVE,
    /** Magnitude in [0.2, 1.5) with a random sign: for divisors, ReLU and abs. */
    AWAY_FROM_ZERO,
    /** A shuffled ladder of values 0.1 apart: max pooling without ties. */
    DISTINCT,
    /** Integer class labels (I64), no gradient. */
    LABELS
  }

  record In(Shape shape, Dist dist, int classes) {}

  static In n(int... dims) {
    return new In(Shape.of(dims), Dist.NORMAL, 0);
  }

  static In pos(int... dims) {
    return new In(Shape.of(dims), Dist.POSITIVE, 0);
  }

  static In away(int... dims) {
    return new In(Shape.of(dims), Dist.AWAY_FROM_ZERO, 0);
  }

  static In distinct(int... dims) {
    return new In(Shape.of(dims), Dist.DISTINCT, 0);
  }

  static In labels(int classes, int... dims) {
    return new In(Shape.of(dims), Dist.LABELS, classes);
  }

  static Tensor make(In in, Random r) {
    int n = Math.toIntExact(in.shape().numel());
    if (in.dist() == Dist.LABELS) {
      long[] l = new long[n];
      for (int i = 0; i < n; i++) l[i] = r.nextInt(in.classes());
      return Tensor.fromArray(l, n, DType.I64, in.shape().toArray(), NAIVE);
    }
    double[] v = new double[n];
    switch (in.dist()) {
      case NORMAL:
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        break;
      case POSITIVE:
        for (int i = 0; i < n; i++) v[i] = 0.5 + 1.5 * r.nextDouble();
        break;
      case AWAY_FROM_ZERO:
        for (int i = 0; i < n; i++) v[i] = (r.nextBoolean() ? 1 : -1) * (0.2 + 1.3 * r.nextDouble());
        break;
      case DISTINCT: {
        for (int i = 0; i < n; i++) v[i] = 0.1 * (i - n / 2) + 0.013;
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
          int j = r.nextInt(i + 1);
          double t = v[i];
          v[i] = v[j];
          v[j] = t;
        }
        break;
      }
      default:
        throw new AssertionError(in.dist());
    }
    return Tensor.fromArray(v, n, DType.F64, in.shape().toArray(), NAIVE).requiresGrad(true);
  }

  record GradCase(String name, List<In> inputs, Function<Tensor[], Tensor> f) {
    @Override
    public String toString() {
      return name;
    }
  }

  static GradCase c(String name, Function<Tensor[], Tensor> f, In... inputs) {
    return new GradCase(name, List.of(inputs), f);
  }

  static int[] a(int... v) {
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // The table

  static Stream<GradCase> cases() {
    List<GradCase> cases = new ArrayList<>();

    // Binary arithmetic, with every broadcasting pattern the gradient has to sum back.
    Object[][] patterns = {
        {"same shape", a(2, 3, 4), a(2, 3, 4)},
        {"scalar-like", a(2, 3, 4), a(1)},
        {"rank-0 scalar", a(5), a()},
        {"per-channel", a(2, 3, 2, 2), a(1, 3, 1, 1)},
        {"row vector", a(3, 4), a(4)},
        {"column", a(3, 4), a(3, 1)},
        {"general", a(3, 1, 5), a(4, 1)},
        {"first operand broadcast", a(1, 3, 1), a(2, 3, 4)},
    };
    for (Object[] p : patterns) {
      int[] sa = (int[]) p[1];
      int[] sb = (int[]) p[2];
      String shapes = " " + Arrays.toString(sa) + " with " + Arrays.toString(sb);
      cases.add(c("add " + p[0] + shapes, in -> in[0].add(in[1]), n(sa), n(sb)));
      cases.add(c("sub " + p[0] + shapes, in -> in[0].sub(in[1]), n(sa), n(sb)));
      cases.add(c("mul " + p[0] + shapes, in -> in[0].mul(in[1]), n(sa), n(sb)));
      cases.add(c("div " + p[0] + shapes, in -> in[0].div(in[1]), n(sa), away(sb)));
    }
    cases.add(c("x + x (one leaf used twice)", in -> in[0].add(in[0]), n(3, 4)));
    cases.add(c("x * x", in -> in[0].mul(in[0]), n(3, 4)));
    cases.add(c("s / (s + 1) * s with s = x^2 (a node feeding two ops)", in -> {
      Tensor s = in[0].square();
      return s.div(s.add(1.0)).mul(s);
    }, away(7)));

    // With a scalar.
    cases.add(c("add scalar 0.7", in -> in[0].add(0.7), n(3, 4)));
    cases.add(c("sub scalar 1.3", in -> in[0].sub(1.3), n(3, 4)));
    cases.add(c("mul scalar -2.5", in -> in[0].mul(-2.5), n(3, 4)));
    cases.add(c("div scalar 3", in -> in[0].div(3), n(3, 4)));
    cases.add(c("pow 2", in -> in[0].pow(2), n(3, 4)));
    cases.add(c("pow 3", in -> in[0].pow(3), n(3, 4)));
    cases.add(c("pow 1", in -> in[0].pow(1), n(3, 4)));
    cases.add(c("pow 0.5", in -> in[0].pow(0.5), pos(3, 4)));
    cases.add(c("pow -1.5", in -> in[0].pow(-1.5), pos(3, 4)));

    // Unary and activations.
    cases.add(c("neg", in -> in[0].neg(), n(3, 4)));
    cases.add(c("exp", in -> in[0].exp(), n(3, 4)));
    cases.add(c("log", in -> in[0].log(), pos(3, 4)));
    cases.add(c("sqrt", in -> in[0].sqrt(), pos(3, 4)));
    cases.add(c("abs", in -> in[0].abs(), away(3, 4)));
    cases.add(c("square", in -> in[0].square(), n(3, 4)));
    cases.add(c("relu", in -> in[0].relu(), away(2, 3, 4)));
    cases.add(c("sigmoid", in -> in[0].sigmoid(), n(2, 3, 4)));
    cases.add(c("tanh", in -> in[0].tanh(), n(2, 3, 4)));

    // Softmax over several axes.
    int[][] softmaxShapes = {{3, 5}, {3, 5}, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}};
    int[] softmaxAxes = {1, 0, 1, -1, 0};
    for (int i = 0; i < softmaxAxes.length; i++) {
      int axis = softmaxAxes[i];
      String where = " " + Arrays.toString(softmaxShapes[i]) + " axis " + axis;
      cases.add(c("softmax" + where, in -> in[0].softmax(axis), n(softmaxShapes[i])));
      cases.add(c("log_softmax" + where, in -> in[0].logSoftmax(axis), n(softmaxShapes[i])));
    }

    // Matrix products: every transposition, batched, and a rank-2 operand shared by the batch.
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        String ops = (ta ? "A^T" : "A") + " " + (tb ? "B^T" : "B");
        In a2 = n(ta ? a(4, 3) : a(3, 4));
        In b2 = n(tb ? a(5, 4) : a(4, 5));
        In a3 = n(ta ? a(2, 4, 3) : a(2, 3, 4));
        In b3 = n(tb ? a(2, 5, 4) : a(2, 4, 5));
        cases.add(c("matmul " + ops, in -> MatMul.matmul(in[0], ta, in[1], tb), a2, b2));
        cases.add(c("matmul batched " + ops, in -> MatMul.matmul(in[0], ta, in[1], tb), a3, b3));
        cases.add(c("matmul shared A " + ops, in -> MatMul.matmul(in[0], ta, in[1], tb), a2, b3));
        cases.add(c("matmul shared B " + ops, in -> MatMul.matmul(in[0], ta, in[1], tb), a3, b2));
      }
    }
    cases.add(c("Tensor.matmul", in -> in[0].matmul(in[1]), n(1, 4), n(4, 1)));

    // Reductions.
    cases.add(c("sum of all", in -> in[0].sum(), n(2, 3, 4)));
    cases.add(c("sum over axis 1", in -> in[0].sum(a(1), false), n(2, 3, 4)));
    cases.add(c("sum over axes 0, 2 keeping dims", in -> in[0].sum(a(0, 2), true), n(2, 3, 4)));
    cases.add(c("sum over axis -1", in -> in[0].sum(a(-1), false), n(2, 3, 4)));
    cases.add(c("mean of all", in -> in[0].mean(), n(2, 3, 4)));
    cases.add(c("mean over axis 1", in -> in[0].mean(a(1), false), n(2, 3, 4)));
    cases.add(c("mean over axes 0, 2 keeping dims", in -> in[0].mean(a(0, 2), true), n(2, 3, 4)));

    // Views.
    cases.add(c("reshape", in -> in[0].reshape(6, -1).mul(in[1]), n(2, 3, 4), n(4)));
    cases.add(c("flatten(1)", in -> in[0].flatten(1), n(2, 3, 2, 2)));
    cases.add(c("slice rows 1..3", in -> in[0].slice(1, 3), n(4, 3)));
    cases.add(c("two slices of one tensor added", in -> in[0].slice(0, 2).add(in[0].slice(2, 4).mul(3.0)), n(4, 3)));
    cases.add(c("to another backend instance", in -> in[0].to(new NaiveBackend()).square(), n(3, 2)));

    // Convolution: x, weight, bias (when given) all need gradients.
    cases.add(conv("conv1d stride 2 padding 1", a(2, 3, 9), a(4, 3, 3), true, a(2), a(1), a(1), 1));
    cases.add(conv("conv1d dilation 2, no bias", a(1, 2, 9), a(3, 2, 3), false, a(1), a(2), a(2), 1));
    cases.add(conv("conv1d groups 2", a(2, 4, 7), a(6, 2, 3), true, a(1), a(0), a(1), 2));
    cases.add(conv("conv2d 3x3", a(2, 2, 5, 5), a(3, 2, 3, 3), true, a(1, 1), a(0, 0), a(1, 1), 1));
    cases.add(conv("conv2d 3x3 no bias, batch 1", a(1, 2, 5, 5), a(3, 2, 3, 3), false, a(1, 1), a(1, 1), a(1, 1), 1));
    cases.add(conv("conv2d stride 2 padding 1", a(2, 2, 6, 5), a(3, 2, 3, 3), true, a(2, 2), a(1, 1), a(1, 1), 1));
    cases.add(conv("conv2d dilation 2 padding 2", a(1, 2, 7, 7), a(2, 2, 3, 3), true, a(1, 1), a(2, 2), a(2, 2), 1));
    cases.add(conv("conv2d groups 2, rect kernel, stride (2,1)", a(2, 4, 5, 6), a(4, 2, 3, 2), true, a(2, 1),
        a(1, 0), a(1, 1), 2));
    cases.add(conv("conv2d depthwise", a(2, 3, 5, 5), a(3, 1, 3, 3), true, a(1, 1), a(1, 1), a(1, 1), 3));
    cases.add(conv("conv2d 1x1", a(2, 3, 4, 4), a(2, 3, 1, 1), true, a(1, 1), a(0, 0), a(1, 1), 1));
    cases.add(conv("conv3d", a(1, 2, 4, 4, 4), a(2, 2, 3, 3, 3), true, a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), 1));
    cases.add(conv("conv3d stride 2, groups 2, no bias", a(2, 2, 5, 4, 4), a(2, 1, 2, 2, 2), false, a(2, 2, 2),
        a(0, 1, 1), a(1, 1, 1), 2));

    // Pooling. Max pooling inputs are distinct, so no window has a tie within eps.
    cases.add(pool("max 2x2 stride 2", Mode.MAX, a(2, 2, 6, 6), a(2, 2), a(2, 2), a(0, 0), a(1, 1), false));
    cases.add(pool("max 3x3 stride 2 padding 1", Mode.MAX, a(1, 2, 7, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false));
    cases.add(pool("max 3x3 stride 2 ceil", Mode.MAX, a(1, 2, 6, 6), a(3, 3), a(2, 2), a(0, 0), a(1, 1), true));
    cases.add(pool("max dilation 2", Mode.MAX, a(1, 2, 7, 7), a(3, 3), a(1, 1), a(1, 1), a(2, 2), false));
    cases.add(pool("max 1-d overlapping", Mode.MAX, a(2, 2, 9), a(3), a(1), a(1), a(1), false));
    cases.add(pool("max 3-d", Mode.MAX, a(1, 2, 4, 4, 4), a(2, 2, 2), a(2, 2, 2), a(0, 0, 0), a(1, 1, 1), false));
    for (Mode avg : new Mode[] {Mode.AVG_INCLUDE_PAD, Mode.AVG_EXCLUDE_PAD}) {
      cases.add(pool("3x3 stride 2 padding 1", avg, a(2, 2, 7, 7), a(3, 3), a(2, 2), a(1, 1), a(1, 1), false));
      cases.add(pool("3x3 stride 2 padding 1 ceil", avg, a(1, 2, 6, 6), a(3, 3), a(2, 2), a(1, 1), a(1, 1), true));
      cases.add(pool("2x2 stride 1", avg, a(1, 2, 5, 5), a(2, 2), a(1, 1), a(0, 0), a(1, 1), false));
      cases.add(pool("1-d padding 1", avg, a(2, 2, 9), a(3), a(2), a(1), a(1), false));
      cases.add(pool("3-d padding 1", avg, a(1, 2, 4, 4, 4), a(3, 3, 3), a(2, 2, 2), a(1, 1, 1), a(1, 1, 1), false));
    }

    // Losses and layers' functional forms.
    cases.add(c("cross_entropy (4, 5)", in -> Losses.crossEntropy(in[0], in[1]), n(4, 5), labels(5, 4)));
    cases.add(c("cross_entropy (1, 3)", in -> Losses.crossEntropy(in[0], in[1]), n(1, 3), labels(3, 1)));
    cases.add(c("cross_entropy (7, 10), large logits", in -> Losses.crossEntropy(in[0].mul(6.0), in[1]), n(7, 10),
        labels(10, 7)));
    cases.add(c("Functional.linear", in -> Functional.linear(in[0], in[1], in[2]), n(3, 4), n(5, 4), n(5)));
    cases.add(c("Functional.linear without bias", in -> Functional.linear(in[0], in[1], null), n(3, 4), n(5, 4)));

    // Small networks: every op composed, gradients flowing through several nodes.
    cases.add(c("MLP: linear, relu, linear, cross_entropy", in -> {
      Tensor h = Functional.linear(in[0], in[1], in[2]).relu();
      return Losses.crossEntropy(Functional.linear(h, in[3], in[4]), in[5]);
    }, n(4, 6), n(5, 6), n(5), n(3, 5), n(3), labels(3, 4)));
    cases.add(c("CNN: conv, tanh, max pool, flatten, linear, cross_entropy", in -> {
      Tensor h = Convolution.conv(in[0], in[1], in[2], a(1, 1), a(1, 1), a(1, 1), 1).tanh();
      h = Pooling.pool(Mode.MAX, h, a(2, 2), a(2, 2), a(0, 0), a(1, 1), false).flatten(1);
      return Losses.crossEntropy(Functional.linear(h, in[3], in[4]), in[5]);
    }, n(2, 1, 4, 4), n(2, 1, 3, 3), n(2), n(3, 8), n(3), labels(3, 2)));
    return cases.stream();
  }

  static GradCase conv(String name, int[] x, int[] w, boolean bias, int[] stride, int[] padding, int[] dilation,
      int groups) {
    String full = name + " x" + Arrays.toString(x) + " w" + Arrays.toString(w);
    Function<Tensor[], Tensor> f =
        in -> Convolution.conv(in[0], in[1], bias ? in[2] : null, stride, padding, dilation, groups);
    return bias ? c(full, f, n(x), n(w), n(w[0])) : c(full, f, n(x), n(w));
  }

  static GradCase pool(String name, Mode mode, int[] x, int[] kernel, int[] stride, int[] padding, int[] dilation,
      boolean ceil) {
    String full = mode + " pool " + name + " x" + Arrays.toString(x);
    return c(full, in -> Pooling.pool(mode, in[0], kernel, stride, padding, dilation, ceil),
        mode == Mode.MAX ? distinct(x) : n(x));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesCentralDifferences(GradCase c) {
    Random r = new Random(c.name().hashCode());
    Tensor[] inputs = c.inputs().stream().map(in -> make(in, r)).toArray(Tensor[]::new);
    GradCheck.of(c.name()).check(c.f(), inputs);
  }

  // ------------------------------------------------------------------------------------------
  // The Linear layer. Its parameters are F32 by construction (there is no F64 layer), so it is
  // checked in F32: y = x W^T + b is linear in each of x, W and b, so a central difference with
  // a step of 1 has no truncation error at all, and the only error is F32 rounding of the forward
  // (about 1e-7 of the output's scale). Its F64 maths is covered above by Functional.linear.

  @Test
  void linearLayerGradientsMatchCentralDifferences() {
    for (int[] xShape : new int[][] {{3, 4}, {2, 3, 4}}) {
      Linear layer = new Linear(4, 5);
      Random r = new Random(17);
      int n = Arrays.stream(xShape).reduce(1, (p, q) -> p * q);
      float[] xv = new float[n];
      for (int i = 0; i < n; i++) xv[i] = (float) r.nextGaussian();
      Tensor x = Tensor.fromArray(xv, n, DType.F32, xShape, layer.weight().backend()).requiresGrad(true);
      GradCheck.of("Linear(4, 5) on input " + Arrays.toString(xShape))
          .allowSinglePrecision()
          .eps(1.0)
          .tolerance(1e-5, 1e-5, "F32 forward; exact differences since the layer is linear in each input")
          .check(in -> layer.forward(in[0]), x, layer.weight(), layer.bias());
    }
  }

  /** As in PyTorch, a second backward adds to the leaves' gradients instead of replacing them. */
  @Test
  void gradientsAccumulateOverBackwardCalls() {
    Tensor x = make(n(3, 2), new Random(3));
    double[] xv = x.toDoubleArray();
    x.square().sum().backward();
    double[] once = x.grad().toDoubleArray();
    x.mul(3.0).sum().backward();
    double[] twice = x.grad().toDoubleArray();
    for (int i = 0; i < xv.length; i++) {
      org.junit.jupiter.api.Assertions.assertEquals(2 * xv[i], once[i], 1e-12, "d sum(x^2) / dx at " + i);
      org.junit.jupiter.api.Assertions.assertEquals(2 * xv[i] + 3, twice[i], 1e-12,
          "gradient after a second backward of sum(3x) at " + i);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The checker itself must be able to fail.

  /** {@code y = 3x} whose backward wrongly claims {@code dy/dx = 2}. */
  private static final class WrongScale extends org.jdnn.autograd.Function {
    WrongScale(Tensor x) {
      super(x);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      return new Tensor[] {dy.mul(2.0)};
    }

    static Tensor apply(Tensor x) {
      Tensor y;
      try (NoGrad ignored = NoGrad.enter()) {
        y = x.mul(3.0);
      }
      return new WrongScale(x).attach(y);
    }
  }

  /** {@code y = x} whose backward returns no gradient. */
  private static final class Dropped extends org.jdnn.autograd.Function {
    Dropped(Tensor x) {
      super(x);
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      return new Tensor[] {null};
    }
  }

  @Test
  void gradCheckRejectsAWrongGradient() {
    Tensor x = make(n(3, 2), new Random(1));
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> GradCheck.of("wrong scale").check(in -> WrongScale.apply(in[0]), x));
    assertTrue(e.getMessage().contains("analytic") && e.getMessage().contains("numeric"), e.getMessage());
  }

  @Test
  void gradCheckRejectsAMissingGradient() {
    Tensor x = make(n(3), new Random(2));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> GradCheck.of("dropped").check(in -> {
      Tensor y;
      try (NoGrad ignored = NoGrad.enter()) {
        y = in[0].mul(1.0);
      }
      return new Dropped(in[0]).attach(y);
    }, x));
    assertTrue(e.getMessage().contains("no gradient reached"), e.getMessage());
  }

  @Test
  void gradCheckRejectsF32WithoutBeingAskedTo() {
    Tensor x = Tensor.fromArray(new float[] {1, 2}, 2, DType.F32, a(2), NAIVE).requiresGrad(true);
    assertThrows(AssertionFailedError.class, () -> GradCheck.of("f32").check(in -> in[0].square(), x));
  }

  // ==========================================================================================
  // Normalisation, dropout, every activation kind and the losses with their options. Inputs are
  // built per case (values, constants that need no gradient, labels) rather than from the In
  // table above; each case is (name, inputs, function).

  record Case(String name, java.util.function.Supplier<Tensor[]> inputs, Function<Tensor[], Tensor> f) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case k(String name, java.util.function.Supplier<Tensor[]> inputs, Function<Tensor[], Tensor> f) {
    return new Case(name, inputs, f);
  }

  /** A leaf that requires grad, F64 on the reference, standard normal from {@code seed}. */
  static Tensor normal(long seed, int... dims) {
    return make(n(dims), new Random(seed));
  }

  /** A leaf with values in [lo, hi) (requires grad). */
  static Tensor between(double lo, double hi, long seed, int... dims) {
    Random r = new Random(seed);
    int size = Arrays.stream(dims).reduce(1, (p, q) -> p * q);
    double[] v = new double[size];
    for (int i = 0; i < size; i++) v[i] = lo + (hi - lo) * r.nextDouble();
    return Tensor.fromArray(v, size, DType.F64, dims, NAIVE).requiresGrad(true);
  }

  /** A constant (no gradient) with values in [lo, hi). */
  static Tensor constant(double lo, double hi, long seed, int... dims) {
    return between(lo, hi, seed, dims).requiresGrad(false);
  }

  /** Class labels in [0, classes), with every {@code every}-th replaced by {@code ignored} when every > 0. */
  static Tensor classes(int classes, long seed, int every, long ignored, int... dims) {
    Random r = new Random(seed);
    int size = Arrays.stream(dims).reduce(1, (p, q) -> p * q);
    long[] l = new long[size];
    for (int i = 0; i < size; i++) l[i] = every > 0 && i % every == 1 ? ignored : r.nextInt(classes);
    return Tensor.fromArray(l, size, DType.I64, dims, NAIVE);
  }

  static Tensor[] ts(Tensor... t) {
    return t;
  }

  static Stream<Case> normLossCases() {
    List<Case> cases = new ArrayList<>();

    // Batch norm, training: batch statistics (no running statistics passed: they would not
    // change the output) with and without weight and bias.
    int[][] bnShapes = {{5, 3}, {2, 3, 4}, {1, 2, 3, 4}, {3, 2, 2, 3}, {2, 2, 2, 2, 3}};
    for (int[] s : bnShapes) {
      int c = s[1];
      cases.add(k("batch_norm training " + Arrays.toString(s), () -> ts(normal(1, s), normal(2, c), normal(3, c)),
          in -> Functional.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5)));
    }
    cases.add(k("batch_norm training without affine, eps 0.1", () -> ts(normal(4, 3, 2, 5)),
        in -> Functional.batchNorm(in[0], null, null, null, null, true, 0.1, 0.1)));
    cases.add(k("batch_norm training, weight only", () -> ts(normal(5, 4, 3), normal(6, 3)),
        in -> Functional.batchNorm(in[0], null, null, in[1], null, true, 0.1, 1e-5)));
    // Evaluation: fixed running statistics.
    Tensor rm = constant(-1, 1, 7, 3);
    Tensor rv = constant(0.5, 2, 8, 3);
    cases.add(k("batch_norm eval (2, 3, 2, 2)", () -> ts(normal(9, 2, 3, 2, 2), normal(10, 3), normal(11, 3)),
        in -> Functional.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, 1e-5)));
    cases.add(k("batch_norm eval (4, 3), no affine", () -> ts(normal(12, 4, 3)),
        in -> Functional.batchNorm(in[0], rm, rv, null, null, false, 0.1, 1e-5)));
    cases.add(k("batch_norm eval, batch 1 (1, 3, 5)", () -> ts(normal(13, 1, 3, 5), normal(14, 3), normal(15, 3)),
        in -> Functional.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, 1e-5)));

    // LRN: alpha large enough that the cross-channel term matters.
    Object[][] lrn = {
        {a(2, 5, 3, 3), 3, 1.0, 0.75, 1.0}, {a(1, 6, 4), 2, 2.0, 0.75, 1.0}, {a(2, 4, 2, 2, 2), 5, 1.0, 1.5, 2.0},
        {a(1, 3, 5), 1, 1.0, 0.5, 1.0}, {a(2, 7, 2, 3), 5, 1e-4 * 5e3, 0.75, 2.0}};
    for (Object[] l : lrn) {
      int[] s = (int[]) l[0];
      int size = (int) l[1];
      double alpha = (double) l[2];
      double beta = (double) l[3];
      double kk = (double) l[4];
      cases.add(k(String.format(java.util.Locale.ROOT, "lrn %s size %d alpha %s beta %s k %s", Arrays.toString(s), size,
          alpha, beta, kk), () -> ts(normal(16, s)), in -> Functional.localResponseNorm(in[0], size, alpha, beta, kk)));
    }

    // Dropout with a fixed mask: the generator is reseeded on every evaluation.
    cases.add(k("dropout p 0.3 (fixed mask)", () -> ts(normal(17, 4, 6)), in -> {
      org.jdnn.tensor.Generator.manualSeed(5);
      return Functional.dropout(in[0], 0.3, true);
    }));
    cases.add(k("dropout2d p 0.5 (fixed mask)", () -> ts(normal(18, 3, 4, 2, 2)), in -> {
      org.jdnn.tensor.Generator.manualSeed(6);
      return Functional.dropout2d(in[0], 0.5, true);
    }));
    cases.add(k("dropout3d p 0.25 (fixed mask)", () -> ts(normal(19, 2, 3, 2, 2, 2)), in -> {
      org.jdnn.tensor.Generator.manualSeed(7);
      return Functional.dropout3d(in[0], 0.25, true);
    }));

    // Every activation kind, on values from -7.3 to 6.7 that keep 1e-6 away from every kink
    // (0, +-1, -0.5, 2, 6) and from softplus's thresholds.
    for (org.jdnn.spi.Activation act : org.jdnn.spi.Activation.examples()) {
      cases.add(k("activation " + act, () -> {
        double[] v = new double[24];
        for (int i = 0; i < v.length; i++) v[i] = -7.2863 + 0.61 * ((i * 7) % 24);
        return ts(Tensor.fromArray(v, v.length, DType.F64, a(2, 3, 4), NAIVE).requiresGrad(true));
      }, in -> Functional.activation(in[0], act)));
    }

    // Cross-entropy: weights, ignore_index, label smoothing, N-d targets, every reduction.
    Tensor w5 = constant(0.2, 2, 20, 5);
    Tensor w3 = constant(0.2, 2, 21, 3);
    for (org.jdnn.ops.Reduction red : org.jdnn.ops.Reduction.values()) {
      String r = " " + red.pytorchName();
      cases.add(k("cross_entropy (6, 5)" + r, () -> ts(normal(22, 6, 5), classes(5, 23, 0, 0, 6)),
          in -> Functional.crossEntropy(in[0], in[1], null, -100, 0, red)));
      cases.add(k("cross_entropy (6, 5) weights, ignore_index 3" + r,
          () -> ts(normal(24, 6, 5), classes(5, 25, 3, 3, 6)),
          in -> Functional.crossEntropy(in[0], in[1], w5, 3, 0, red)));
      cases.add(k("cross_entropy (6, 5) label smoothing 0.2" + r, () -> ts(normal(26, 6, 5), classes(5, 27, 0, 0, 6)),
          in -> Functional.crossEntropy(in[0], in[1], null, -100, 0.2, red)));
      cases.add(k("cross_entropy (6, 5) weights, ignore -100, smoothing 0.3" + r,
          () -> ts(normal(28, 6, 5), classes(5, 29, 4, -100, 6)),
          in -> Functional.crossEntropy(in[0], in[1], w5, -100, 0.3, red)));
      cases.add(k("cross_entropy segmentation (2, 3, 3, 4) weights, ignore 255, smoothing 0.1" + r,
          () -> ts(normal(30, 2, 3, 3, 4), classes(3, 31, 5, 255, 2, 3, 4)),
          in -> Functional.crossEntropy(in[0], in[1], w3, 255, 0.1, red)));
      cases.add(k("cross_entropy 1-d targets (2, 3, 5)" + r, () -> ts(normal(32, 2, 3, 5), classes(3, 33, 0, 0, 2, 5)),
          in -> Functional.crossEntropy(in[0], in[1], null, -100, 0, red)));
      cases.add(k("nll_loss (5, 4) on log-probabilities, weights, ignore 0" + r,
          () -> ts(normal(34, 5, 4), classes(4, 35, 2, 0, 5)),
          in -> Functional.nllLoss(in[0].logSoftmax(1), in[1], constant(0.5, 1.5, 36, 4), 0, red)));
      cases.add(k("nll_loss (2, 3, 2, 2)" + r, () -> ts(normal(37, 2, 3, 2, 2), classes(3, 38, 0, 0, 2, 2, 2)),
          in -> Functional.nllLoss(in[0], in[1], null, -100, red)));

      // Binary cross-entropy: gradients for input, target and weight.
      cases.add(k("binary_cross_entropy" + r, () -> ts(between(0.05, 0.95, 39, 3, 4), between(0, 1, 40, 3, 4)),
          in -> Functional.binaryCrossEntropy(in[0], in[1], null, red)));
      cases.add(k("binary_cross_entropy, weight (4)" + r,
          () -> ts(between(0.05, 0.95, 41, 3, 4), between(0, 1, 42, 3, 4), between(0.5, 2, 43, 4)),
          in -> Functional.binaryCrossEntropy(in[0], in[1], in[2], red)));
      cases.add(k("binary_cross_entropy_with_logits" + r, () -> ts(normal(44, 3, 4), between(0, 1, 45, 3, 4)),
          in -> Functional.binaryCrossEntropyWithLogits(in[0], in[1], null, null, red)));
      cases.add(k("binary_cross_entropy_with_logits, weight and pos_weight (4)" + r,
          () -> ts(between(-8, 8, 46, 3, 4), between(0, 1, 47, 3, 4), between(0.5, 2, 48, 3, 1),
              between(0.5, 3, 49, 4)),
          in -> Functional.binaryCrossEntropyWithLogits(in[0], in[1], in[2], in[3], red)));

      // Regression losses; differences kept away from 0 (L1) and from +-beta (smooth L1).
      cases.add(k("mse_loss" + r, () -> ts(normal(50, 3, 4), normal(51, 3, 4)),
          in -> Functional.mseLoss(in[0], in[1], red)));
      cases.add(k("l1_loss" + r, () -> ts(normal(52, 3, 4), normal(53, 3, 4)),
          in -> Functional.l1Loss(in[0], in[1], red)));
      cases.add(k("smooth_l1_loss beta 1" + r, () -> ts(normal(54, 3, 4), normal(55, 3, 4)),
          in -> Functional.smoothL1Loss(in[0], in[1], 1.0, red)));
      cases.add(k("smooth_l1_loss beta 0.5" + r, () -> ts(normal(56, 4, 5), normal(57, 4, 5)),
          in -> Functional.smoothL1Loss(in[0], in[1], 0.5, red)));
      cases.add(k("smooth_l1_loss beta 0 (L1)" + r, () -> ts(normal(58, 3, 4), normal(59, 3, 4)),
          in -> Functional.smoothL1Loss(in[0], in[1], 0, red)));

      // Dice, every mode, logits and probabilities.
      cases.add(k("dice multiclass logits, labels (2, 3, 3, 3)" + r,
          () -> ts(normal(60, 2, 3, 3, 3), classes(3, 61, 0, 0, 2, 3, 3)),
          in -> Functional.diceLoss(in[0], in[1], org.jdnn.ops.Losses.DiceMode.MULTICLASS, true, 1, red)));
      cases.add(k("dice multiclass probabilities, soft targets, smooth 0" + r,
          () -> ts(between(0.05, 1, 62, 2, 3, 4), between(0, 1, 63, 2, 3, 4)),
          in -> Functional.diceLoss(in[0], in[1], org.jdnn.ops.Losses.DiceMode.MULTICLASS, false, 0, red)));
      cases.add(k("dice multilabel logits (2, 2, 3, 2)" + r,
          () -> ts(normal(64, 2, 2, 3, 2), constant(0, 1, 65, 2, 2, 3, 2)),
          in -> Functional.diceLoss(in[0], in[1], org.jdnn.ops.Losses.DiceMode.MULTILABEL, true, 1, red)));
      cases.add(k("dice binary logits (3, 1, 4)" + r, () -> ts(normal(66, 3, 1, 4), between(0, 1, 67, 3, 1, 4)),
          in -> Functional.diceLoss(in[0], in[1], org.jdnn.ops.Losses.DiceMode.BINARY, true, 0.5, red)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("normLossCases")
  void normalisationDropoutActivationsAndLossesMatchCentralDifferences(Case c) {
    GradCheck.of(c.name()).check(c.f(), c.inputs().get());
  }
}

package org.jdnn.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * Finite-difference check of autograd: the gradient {@link Tensor#backward} computes for each
 * input is compared with central differences {@code (L(x + eps) - L(x - eps)) / 2 eps}, one
 * element at a time, where {@code L = sum(f(inputs) * R)} for fixed random weights {@code R} (or
 * {@code L = f(inputs)} when the output is a scalar, seeded by {@link Tensor#backward()} as a
 * user's loss would be).
 *
 * <p>Run it in F64: with {@code eps = 1e-6} the truncation error is about {@code eps^2 f'''} ~
 * 1e-12, and the rounding error is about {@code 1e-16 sum|terms of L| / eps}, up to ~5e-9 for the
 * losses of the test cases. The default bound, {@code 1e-7 + 1e-6 |numeric|}, is therefore tight
 * (a wrong gradient is off by O(1)) and still never flaky. Inputs must stay away from kinks (ReLU
 * and abs at 0, ties of max pooling) by more than {@code eps}.
 *
 * <pre>{@code
 * GradCheck.of("conv2d stride 2").check(in -> Convolution.conv(in[0], in[1], in[2], ...), x, w, b);
 * }</pre>
 */
public final class GradCheck {
  private final String name;
  private double eps = 1e-6;
  private double rtol = 1e-6;
  private double atol = 1e-7;
  private String toleranceReason = "F64 central differences, eps 1e-6";
  private boolean singlePrecision;

  private GradCheck(String name) {
    this.name = name;
  }

  /** A check named for failure messages. */
  public static GradCheck of(String name) {
    return new GradCheck(name);
  }

  /** Step of the central difference. */
  public GradCheck eps(double value) {
    this.eps = value;
    return this;
  }

  /** Accepts {@code |analytic - numeric| <= atol + rtol |numeric|}; {@code reason} is printed on failure. */
  public GradCheck tolerance(double rtol, double atol, String reason) {
    this.rtol = rtol;
    this.atol = atol;
    this.toleranceReason = reason;
    return this;
  }

  /**
   * Allows F32 inputs, for what cannot be built in F64 (a layer whose parameters are F32). Sound
   * only where the output is linear in each input, so that a large step is exact; the caller
   * says so with a matching {@link #eps} and {@link #tolerance}.
   */
  public GradCheck allowSinglePrecision() {
    this.singlePrecision = true;
    return this;
  }

  /**
   * Checks the gradient of {@code f} with respect to every input that requires grad. Inputs that
   * do not (integer labels, constants) are passed through unchanged and must receive no gradient.
   *
   * @throws AssertionFailedError naming the check, the input, the element and both values
   */
  public void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (!t.requiresGrad()) continue;
      if (!(t.dtype() == DType.F64 || singlePrecision && t.dtype() == DType.F32)) {
        fail("input " + i + " is " + t.dtype() + "; gradient checks run in F64");
      }
      if (!t.isLeaf()) fail("input " + i + " is not a leaf tensor");
      t.setGrad(null);
    }

    // Analytic gradients.
    double[] weights;
    try (Scope s = Scope.open()) {
      Tensor y = f.apply(inputs);
      if (!y.requiresGrad()) fail("the output does not require grad: no input reaches it through a recorded op");
      if (y.numel() == 1) {
        weights = new double[] {1};
        y.backward();
      } else {
        weights = weights(y.shape());
        Object host = y.dtype() == DType.F64 ? weights : toFloats(weights);
        y.backward(Tensor.fromArray(host, weights.length, y.dtype(), y.shape().toArray(), y.backend()));
      }
    }

    List<String> failures = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (!t.requiresGrad()) {
        if (t.grad() != null) failures.add("input " + i + " does not require grad but received a gradient");
        continue;
      }
      Tensor g = t.grad();
      if (g == null) {
        failures.add("input " + i + " " + t.shape() + ": no gradient reached it");
        continue;
      }
      if (!g.shape().equals(t.shape())) {
        failures.add("input " + i + ": gradient shape " + g.shape() + " differs from the input's " + t.shape());
        continue;
      }
      double[] analytic = g.toDoubleArray();
      double[] numeric = numericGradient(f, inputs, i, weights);
      int bad = 0;
      boolean anyNonZero = false;
      for (int k = 0; k < numeric.length; k++) {
        anyNonZero |= numeric[k] != 0;
        double err = Math.abs(analytic[k] - numeric[k]);
        if (!(err <= atol + rtol * Math.abs(numeric[k]))) {
          if (bad++ < 4) {
            failures.add(String.format(Locale.ROOT,
                "d/d input %d %s at %s: analytic %.12g, numeric %.12g, error %.3g", i, t.shape(),
                coordinates(t.shape(), k), analytic[k], numeric[k], err));
          }
        }
      }
      if (bad > 4) failures.add("... " + (bad - 4) + " more elements of input " + i);
      if (!anyNonZero) failures.add("input " + i + ": the numeric gradient is zero everywhere (the check proves nothing)");
    }
    if (!failures.isEmpty()) {
      fail(String.format(Locale.ROOT, "gradient differs from central differences (eps %.0e; |a-n| <= %.0e + %.0e|n|, %s):%n  %s",
          eps, atol, rtol, toleranceReason, String.join("\n  ", failures)));
    }
  }

  private double[] numericGradient(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] weights) {
    Tensor t = inputs[which];
    double[] values = t.toDoubleArray();
    double[] grad = new double[values.length];
    try {
      for (int k = 0; k < values.length; k++) {
        double original = values[k];
        values[k] = original + eps;
        double plus = evaluate(f, inputs, t, values, weights);
        values[k] = original - eps;
        double minus = evaluate(f, inputs, t, values, weights);
        values[k] = original;
        grad[k] = (plus - minus) / (2 * eps);
      }
    } finally {
      write(t, values);
    }
    return grad;
  }

  /** {@code sum(f(inputs) * weights)} in double, with input {@code t} set to {@code values}. */
  private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor t, double[] values,
      double[] weights) {
    write(t, values);
    try (Scope s = Scope.open(); NoGrad ignored = NoGrad.enter()) {
      double[] y = f.apply(inputs).toDoubleArray();
      double sum = 0;
      for (int i = 0; i < y.length; i++) sum += y[i] * weights[i];
      return sum;
    }
  }

  // Straight into the storage: the input is a leaf that requires grad, which in-place ops refuse.
  private static void write(Tensor t, double[] values) {
    Object host = t.dtype() == DType.F64 ? values : toFloats(values);
    t.backend().copyFromHost(host, 0, t);
  }

  /** Fixed weights in [0.5, 1.5) with random signs: no output is ignored, none dominates. */
  private static double[] weights(Shape shape) {
    Random r = new Random(0xC0FFEE);
    double[] w = new double[Math.toIntExact(shape.numel())];
    for (int i = 0; i < w.length; i++) w[i] = (r.nextBoolean() ? 1 : -1) * (0.5 + r.nextDouble());
    return w;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  private static String coordinates(Shape shape, int flat) {
    int[] c = new int[shape.rank()];
    for (int a = shape.rank() - 1; a >= 0; a--) {
      c[a] = flat % shape.dim(a);
      flat /= shape.dim(a);
    }
    return java.util.Arrays.toString(c);
  }

  private void fail(String message) {
    throw new AssertionFailedError(name + ": " + message);
  }
}

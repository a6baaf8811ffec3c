package org.jdnn.nn;

import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Weight initialisers with PyTorch's definitions ({@code torch.nn.init}), drawing seeds from the
 * default {@link Generator}. Fans follow PyTorch: for a weight {@code (out, in, *kernel)},
 * {@code fan_in = in * prod(kernel)} and {@code fan_out = out * prod(kernel)}.
 */
public final class Init {
  private Init() {}

  /** Fills {@code t} in place with U(low, high); returns it. */
  public static Tensor uniform(Tensor t, double low, double high) {
    t.backend().randomUniform(t, low, high, Generator.getDefault().nextSeed());
    return t;
  }

  /** Fills {@code t} in place with N(mean, std^2); returns it. */
  public static Tensor normal(Tensor t, double mean, double std) {
    t.backend().randomNormal(t, mean, std, Generator.getDefault().nextSeed());
    return t;
  }

  /** {@code fan_in} of a weight of rank >= 2. */
  public static int fanIn(Tensor w) {
    Check.shape(w.rank() >= 2, "fan_in needs a weight of rank >= 2; received %s", w.shape());
    return (int) (w.numel() / w.dim(0));
  }

  /** {@code fan_out} of a weight of rank >= 2. */
  public static int fanOut(Tensor w) {
    Check.shape(w.rank() >= 2, "fan_out needs a weight of rank >= 2; received %s", w.shape());
    return (int) (w.numel() / w.dim(1));
  }

  /**
   * He (Kaiming) uniform with fan-in and the leaky-ReLU gain {@code sqrt(2 / (1 + a^2))}:
   * U(-b, b), {@code b = gain * sqrt(3 / fan_in)}.
   */
  public static Tensor kaimingUniform(Tensor w, double a) {
    double gain = Math.sqrt(2.0 / (1 + a * a));
    double bound = gain * Math.sqrt(3.0 / fanIn(w));
    return uniform(w, -bound, bound);
  }

  /**
   * The default of PyTorch's {@code Linear} and {@code ConvNd}: weight kaiming-uniform with
   * {@code a = sqrt(5)} (so {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}) and bias
   * {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}.
   */
  public static void pytorchDefault(Tensor weight, Tensor bias) {
    kaimingUniform(weight, Math.sqrt(5));
    if (bias != null) {
      double bound = 1 / Math.sqrt(fanIn(weight));
      uniform(bias, -bound, bound);
    }
  }

  // ---------------------------------------------------------------- the rest of torch.nn.init

  /** The functions {@link #calculateGain} knows, as PyTorch's {@code nonlinearity} strings. */
  public enum Nonlinearity {
    LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID, TANH, RELU,
    LEAKY_RELU, SELU
  }

  /** Whether Kaiming initialisation preserves the variance of the forward pass or of the backward pass. */
  public enum FanMode { FAN_IN, FAN_OUT }

  /** {@link #calculateGain(Nonlinearity, double)} with PyTorch's default leaky slope 0.01. */
  public static double calculateGain(Nonlinearity nonlinearity) {
    return calculateGain(nonlinearity, 0.01);
  }

  /**
   * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for linear,
   * convolutions and sigmoid, 5/3 for tanh, {@code sqrt(2)} for ReLU,
   * {@code sqrt(2 / (1 + slope^2))} for leaky ReLU (slope {@code negativeSlope}), 3/4 for SELU.
   */
  public static double calculateGain(Nonlinearity nonlinearity, double negativeSlope) {
    switch (nonlinearity) {
      case TANH: return 5.0 / 3;
      case RELU: return Math.sqrt(2.0);
      case LEAKY_RELU: return Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
      case SELU: return 3.0 / 4;
      default: return 1;
    }
  }

  /** Fills {@code t} with {@code value}; returns it. */
  public static Tensor constant(Tensor t, double value) {
    t.backend().fill(t, value);
    return t;
  }

  public static Tensor ones(Tensor t) {
    return constant(t, 1);
  }

  public static Tensor zeros(Tensor t) {
    return constant(t, 0);
  }

  /**
   * Glorot and Bengio (2010) uniform: U(-a, a), {@code a = gain * sqrt(6 / (fan_in + fan_out))}, as
   * {@code xavier_uniform_}.
   */
  public static Tensor xavierUniform(Tensor t, double gain) {
    double a = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
    return uniform(t, -a, a);
  }

  /** Glorot normal: N(0, std^2), {@code std = gain * sqrt(2 / (fan_in + fan_out))}, as {@code xavier_normal_}. */
  public static Tensor xavierNormal(Tensor t, double gain) {
    return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))));
  }

  /**
   * He et al. (2015) uniform, as {@code kaiming_uniform_(t, a, mode, nonlinearity)}: U(-b, b) with
   * {@code b = sqrt(3) * gain / sqrt(fan)}, the gain {@code calculateGain(nonlinearity, a)}.
   */
  public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
    double bound = Math.sqrt(3.0) * calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
    return uniform(t, -bound, bound);
  }

  /** He normal: N(0, std^2), {@code std = gain / sqrt(fan)}, as {@code kaiming_normal_}. */
  public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
    return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode)));
  }

  private static int fan(Tensor t, FanMode mode) {
    return mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
  }

  /**
   * A (semi-)orthogonal matrix times {@code gain}, as {@code orthogonal_} (Saxe et al. 2013): the
   * tensor seen as {@code (rows, numel/rows)}, filled with the Q factor of a standard normal matrix
   * with the signs fixed so that R has a positive diagonal, which makes Q uniformly distributed.
   * Computed on the host in double, then copied.
   */
  public static Tensor orthogonal(Tensor t, double gain) {
    Check.shape(t.rank() >= 2, "orthogonal: only tensors with 2 or more dimensions are supported; received %s",
        t.shape());
    Check.arg(t.dtype().isFloating(), "orthogonal: the tensor must be floating point; received %s", t.dtype());
    int rows = t.dim(0);
    int cols = (int) (t.numel() / rows);
    long seed = Generator.getDefault().nextSeed();
    double[] a = new double[rows * cols];
    for (int i = 0; i < a.length; i++) a[i] = Generator.normal(seed, i);
    double[] q = orthogonalMatrix(a, rows, cols);
    Object host = q;
    if (t.dtype() == org.jdnn.tensor.DType.F32) {
      float[] f = new float[q.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) (gain * q[i]);
      host = f;
    } else {
      for (int i = 0; i < q.length; i++) q[i] *= gain;
    }
    t.backend().copyFromHost(host, 0, t);
    return t;
  }

  /**
   * The deterministic step of {@link #orthogonal}, exposed for tests: from a row-major
   * {@code (rows, cols)} matrix {@code a}, the Q of its QR factorisation (of its transpose when
   * {@code rows < cols}, Q then transposed back) with each column multiplied by the sign of R's
   * diagonal entry, as PyTorch does; row-major {@code (rows, cols)}.
   */
  public static double[] orthogonalMatrix(double[] a, int rows, int cols) {
    boolean wide = rows < cols;
    int m = wide ? cols : rows; // A is m x n with m >= n
    int n = wide ? rows : cols;
    double[][] r = new double[m][n];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        if (wide) r[j][i] = a[i * cols + j];
        else r[i][j] = a[i * cols + j];
      }
    }
    // Householder: H_k = I - 2 v v^T zeroes column k below the diagonal; R = H_{n-1}..H_0 A.
    double[][] vs = new double[n][];
    double[] diag = new double[n];
    for (int k = 0; k < n; k++) {
      double norm = 0;
      for (int i = k; i < m; i++) norm += r[i][k] * r[i][k];
      norm = Math.sqrt(norm);
      double alpha = r[k][k] > 0 ? -norm : norm; // the sign that avoids cancellation
      double[] v = new double[m - k];
      for (int i = k; i < m; i++) v[i - k] = r[i][k];
      v[0] -= alpha;
      double vnorm = 0;
      for (double x : v) vnorm += x * x;
      vnorm = Math.sqrt(vnorm);
      if (vnorm > 0) for (int i = 0; i < v.length; i++) v[i] /= vnorm;
      for (int j = k; j < n; j++) {
        double dot = 0;
        for (int i = k; i < m; i++) dot += v[i - k] * r[i][j];
        for (int i = k; i < m; i++) r[i][j] -= 2 * v[i - k] * dot;
      }
      vs[k] = v;
      diag[k] = r[k][k];
    }
    // Q = H_0 .. H_{n-1} applied to the first n columns of the identity.
    double[][] q = new double[m][n];
    for (int j = 0; j < n; j++) q[j][j] = 1;
    for (int k = n - 1; k >= 0; k--) {
      double[] v = vs[k];
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int i = k; i < m; i++) dot += v[i - k] * q[i][j];
        for (int i = k; i < m; i++) q[i][j] -= 2 * v[i - k] * dot;
      }
    }
    double[] out = new double[rows * cols];
    for (int j = 0; j < n; j++) {
      double sign = Math.signum(diag[j]); // torch.sign: 0 for 0
      for (int i = 0; i < m; i++) {
        double v = q[i][j] * sign;
        if (wide) out[j * cols + i] = v;
        else out[i * cols + j] = v;
      }
    }
    return out;
  }
}

package org.jdnn.spi;

import java.util.List;
import java.util.Objects;

/**
 * A point-wise activation as the SPI sees it: a kind and up to two coefficients, like cuDNN's
 * activation descriptor (mode and coef). Backward receives both {@code x} and {@code y = f(x)}, so
 * each backend uses whichever makes the derivative cheapest (sigmoid and tanh from {@code y}, ReLU
 * from {@code x}). Definitions and parameter meanings are PyTorch's.
 */
public final class Activation {
  /** The function; {@link #alpha} and {@link #beta} mean what each kind's factory says. */
  public enum Kind { RELU, RELU6, LEAKY_RELU, ELU, SELU, SIGMOID, TANH, SOFTPLUS, SOFTSIGN, HARDTANH, GELU }

  /** SELU's constants (Klambauer et al. 2017), as PyTorch's. */
  public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  public static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** {@code max(0, x)}; derivative 0 at x = 0, as in PyTorch. */
  public static final Activation RELU = new Activation(Kind.RELU, 0, 0);
  /** {@code 1 / (1 + exp(-x))}; {@code dy/dx = y (1 - y)}. */
  public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0, 0);
  /** {@code tanh(x)}; {@code dy/dx = 1 - y^2}. */
  public static final Activation TANH = new Activation(Kind.TANH, 0, 0);
  /** {@code min(max(0, x), 6)}. */
  public static final Activation RELU6 = new Activation(Kind.RELU6, 0, 6);
  /** {@code x / (1 + |x|)}. */
  public static final Activation SOFTSIGN = new Activation(Kind.SOFTSIGN, 0, 0);
  /** {@code scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))} with SELU's fixed constants. */
  public static final Activation SELU = new Activation(Kind.SELU, SELU_ALPHA, SELU_SCALE);
  /** {@code x * Phi(x)} with the exact normal CDF (PyTorch's {@code approximate='none'}). */
  public static final Activation GELU = new Activation(Kind.GELU, 0, 0);

  private final Kind kind;
  private final double alpha;
  private final double beta;

  private Activation(Kind kind, double alpha, double beta) {
    this.kind = kind;
    this.alpha = alpha;
    this.beta = beta;
  }

  /** {@code x >= 0 ? x : slope * x} (PyTorch's {@code negative_slope}, default 0.01). */
  public static Activation leakyRelu(double negativeSlope) {
    return new Activation(Kind.LEAKY_RELU, negativeSlope, 0);
  }

  /** {@code x > 0 ? x : alpha * (exp(x) - 1)} (default alpha 1). */
  public static Activation elu(double alpha) {
    return new Activation(Kind.ELU, alpha, 0);
  }

  /**
   * {@code log(1 + exp(beta * x)) / beta}, and {@code x} where {@code beta * x > threshold}
   * (defaults beta 1, threshold 20). Stored as alpha = beta, beta = threshold.
   */
  public static Activation softplus(double beta, double threshold) {
    return new Activation(Kind.SOFTPLUS, beta, threshold);
  }

  /** {@code clamp(x, min, max)} (defaults -1, 1); stored as alpha = min, beta = max. */
  public static Activation hardtanh(double min, double max) {
    return new Activation(Kind.HARDTANH, min, max);
  }

  /** One instance of every kind with non-default coefficients where it has any; for test tables. */
  public static List<Activation> examples() {
    return List.of(RELU, RELU6, leakyRelu(0.1), ELU_DEFAULT, elu(0.5), SELU, SIGMOID, TANH, softplus(1, 20),
        softplus(2, 5), SOFTSIGN, hardtanh(-1, 1), hardtanh(-0.5, 2), GELU);
  }

  private static final Activation ELU_DEFAULT = elu(1);

  public Kind kind() {
    return kind;
  }

  public double alpha() {
    return alpha;
  }

  public double beta() {
    return beta;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Activation && ((Activation) o).kind == kind
        && Double.compare(((Activation) o).alpha, alpha) == 0 && Double.compare(((Activation) o).beta, beta) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, alpha, beta);
  }

  /** {@code LEAKY_RELU(0.1)}, {@code SOFTPLUS(2.0, 5.0)}, {@code RELU}. */
  @Override
  public String toString() {
    switch (kind) {
      case LEAKY_RELU:
      case ELU:
        return kind + "(" + alpha + ")";
      case SOFTPLUS:
      case HARDTANH:
        return kind + "(" + alpha + ", " + beta + ")";
      default:
        return kind.toString();
    }
  }
}

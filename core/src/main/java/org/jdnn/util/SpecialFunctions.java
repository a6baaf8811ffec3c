package org.jdnn.util;

/** Special functions the JDK lacks, accurate to double precision. */
public final class SpecialFunctions {
  private SpecialFunctions() {}

  private static final double TWO_OVER_SQRT_PI = 1.1283791670955125738961589031215;

  /**
   * The error function. For {@code |x| < 6}, the series
   * {@code erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))}, whose terms are all
   * positive (no cancellation); beyond, {@code erf} is +-1 to double precision
   * ({@code erfc(6) = 2.2e-17}).
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double a = Math.abs(x);
    if (a >= 6) return Math.copySign(1.0, x);
    double term = a;
    double sum = a;
    double x2 = 2 * a * a;
    for (int n = 1; n < 500; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum, x);
  }

  /** The standard normal CDF {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}. */
  public static double normalCdf(double x) {
    return 0.5 * (1 + erf(x / Math.sqrt(2)));
  }

  /** The standard normal density. */
  public static double normalPdf(double x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }
}

package org.jdnn.conformance;

import java.util.Arrays;
import java.util.Locale;
import org.jdnn.tensor.Shape;
import org.opentest4j.AssertionFailedError;

/**
 * How far a result may be from the expected one: {@code |actual - expected| <= atol + rtol * |expected|},
 * element by element, with the reason for the bound written next to it. NaN matches only NaN and an
 * infinity only the same infinity.
 *
 * <p>With {@code scaled}, the absolute part is {@code atol * rms(expected)}: for long F32 sums, whose
 * rounding error grows with the partial sums (so with the scale of the whole result) rather than
 * with the element at hand, which may have cancelled to near zero.
 *
 * @param rtol relative part of the bound
 * @param atol absolute part, for results near zero (where relative error means nothing)
 * @param scaled whether {@code atol} is relative to the root-mean-square of the expected tensor
 * @param reason why this bound, in a few words; printed with every failure
 */
public record Tolerance(double rtol, double atol, boolean scaled, String reason) {

  /** Bit-for-bit equality: for data movement, integer results and shared formulas. */
  public static final Tolerance EXACT = new Tolerance(0, 0, false, "exact: no arithmetic, or the same formula");

  /** {@code |a - e| <= atol + rtol |e|}. */
  public static Tolerance of(double rtol, double atol, String reason) {
    return new Tolerance(rtol, atol, false, reason);
  }

  /** {@code |a - e| <= rtol (|e| + rms(e))}: relative to the element and to the tensor's scale. */
  public static Tolerance scaled(double rtol, String reason) {
    return new Tolerance(rtol, rtol, true, reason);
  }

  public boolean accepts(double expected, double actual) {
    return accepts(expected, actual, atol);
  }

  private boolean accepts(double expected, double actual, double absolute) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) return Double.isNaN(expected) && Double.isNaN(actual);
    if (expected == actual) return true; // also equal infinities
    return Math.abs(actual - expected) <= absolute + rtol * Math.abs(expected);
  }

  /** The absolute part of the bound for this expected tensor. */
  double absolute(double[] expected) {
    if (!scaled) return atol;
    double sum = 0;
    int n = 0;
    for (double e : expected) {
      if (!Double.isFinite(e)) continue;
      sum += e * e;
      n++;
    }
    return n == 0 ? atol : atol * Math.sqrt(sum / n);
  }

  /**
   * Fails naming {@code what}, the number of elements out of bounds and the worst one with its
   * coordinates in {@code shape}.
   */
  public void assertClose(String what, Shape shape, double[] expected, double[] actual) {
    if (expected.length != actual.length) {
      throw new AssertionFailedError(what + ": expected " + expected.length + " elements, received " + actual.length);
    }
    double abs = absolute(expected);
    int bad = 0;
    int worst = -1;
    double worstExcess = -1;
    for (int i = 0; i < expected.length; i++) {
      if (accepts(expected[i], actual[i], abs)) continue;
      bad++;
      double err = Math.abs(actual[i] - expected[i]);
      double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - (abs + rtol * Math.abs(expected[i]));
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
    if (bad == 0) return;
    throw new AssertionFailedError(String.format(Locale.ROOT,
        "%s: %d of %d elements differ beyond |a-e| <= %.2e + %.1e*|e| (%s); worst at %s (flat %d): "
            + "expected %.9g, actual %.9g, error %.3g",
        what, bad, expected.length, abs, rtol, reason, coordinates(shape, worst), worst, expected[worst],
        actual[worst], Math.abs(actual[worst] - expected[worst])));
  }

  /** The largest {@code |a-e| / (atol + rtol*|e|)}; below 1 means accepted. For calibrating bounds. */
  public double worstRatio(double[] expected, double[] actual) {
    double abs = absolute(expected);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] == actual[i]) continue;
      double bound = abs + rtol * Math.abs(expected[i]);
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / bound);
    }
    return worst;
  }

  static String coordinates(Shape shape, int flat) {
    if (shape == null || shape.numel() == 0) return "[" + flat + "]";
    int[] c = new int[shape.rank()];
    int rest = flat;
    for (int a = shape.rank() - 1; a >= 0; a--) {
      c[a] = rest % shape.dim(a);
      rest /= shape.dim(a);
    }
    return Arrays.toString(c);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "rtol=%.1e atol=%.1e%s (%s)", rtol, atol, scaled ? "*rms" : "", reason);
  }
}

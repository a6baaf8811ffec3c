package org.jdnn.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.jdnn.conformance.Tolerance;
import org.jdnn.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed GEMM with each micro-kernel, forced, against a double-precision triple loop: odd
 * sizes around the tile and vector widths (1, 7, 13, 64+1, ...), every transpose, alpha and beta,
 * operands at offsets inside larger arrays with leading dimensions wider than the matrix, and
 * sizes past the cache blocks so that every blocking loop runs more than once.
 *
 * <p>Operands live inside arrays filled with a sentinel: a read outside A or B spoils the result,
 * a write outside C (including the gap between C's rows) shows as a changed sentinel.
 */
class PackedSgemmTest {
  /** As the conformance suite's GEMM cases: F32 sums in any order, relative to element and RMS. */
  private static final Tolerance SUMS = Tolerance.scaled(1e-5, "F32 sums in any order (as the conformance suite)");
  private static final float SENTINEL = 1e30f;
  private static final int GAP = 3; // extra columns of every leading dimension
  private static final int OFF = 5; // elements before every operand

  static List<GemmKernel> kernels() {
    return List.of(GemmKernels.vector(), GemmKernels.plainJava());
  }

  record Case(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s%s m=%d n=%d k=%d alpha=%s beta=%s", ta ? "A^T" : "A", tb ? "B^T" : "B", m, n, k,
          alpha, beta);
    }
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    int[] sizes = {1, 7, 13, 16, 65};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (int m : sizes) for (int n : sizes) cases.add(new Case(m, n, 13, ta, tb, 1f, 0f));
        for (int k : new int[] {1, 7, 64, 65}) cases.add(new Case(13, 65, k, ta, tb, 1f, 0f));
        cases.add(new Case(7, 33, 17, ta, tb, -0.5f, 0.25f));
        cases.add(new Case(13, 49, 5, ta, tb, 1f, 1f));
        cases.add(new Case(6, 64, 31, ta, tb, 2f, 1f));
        cases.add(new Case(12, 129, 9, ta, tb, 1f, -1f));
        // past every block: rows > MC, depth > KC (two k-blocks: beta then accumulate), columns > NC
        cases.add(new Case(PackedSgemm.MC + 7, PackedSgemm.NC + 21, PackedSgemm.KC + 13, ta, tb, 0.75f, 0.5f));
      }
    }
    cases.add(new Case(3, 4, 0, false, false, 1f, 0.5f)); // k = 0: C = beta C
    cases.add(new Case(3, 4, 5, false, false, 0f, 2f)); // alpha = 0: C = beta C
    List<Arguments> args = new ArrayList<>();
    for (GemmKernel kern : kernels()) for (Case c : cases) args.add(Arguments.of(kern, c));
    return args.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void agreesWithTheDoubleReference(GemmKernel kernel, Case c) {
    Random r = new Random(31L * c.m() + 7L * c.n() + c.k());
    // As stored: A is m x k or (transposed) k x m, B is k x n or n x k; each with GAP spare columns.
    int aRows = c.ta() ? c.k() : c.m();
    int aCols = c.ta() ? c.m() : c.k();
    int bRows = c.tb() ? c.n() : c.k();
    int bCols = c.tb() ? c.k() : c.n();
    int lda = aCols + GAP;
    int ldb = bCols + GAP;
    int ldc = c.n() + GAP;
    float[] a = matrix(aRows, aCols, lda, r);
    float[] b = matrix(bRows, bCols, ldb, r);
    float[] c0 = matrix(c.m(), c.n(), ldc, r);
    float[] cTest = c0.clone();

    new PackedSgemm(kernel).serial(c.ta(), c.tb(), c.m(), c.n(), c.k(), c.alpha(), a, OFF, lda, b, OFF, ldb,
        c.beta(), cTest, OFF, ldc);

    double[] expected = new double[c.m() * c.n()];
    double[] actual = new double[c.m() * c.n()];
    for (int i = 0; i < c.m(); i++) {
      for (int j = 0; j < c.n(); j++) {
        double s = 0;
        for (int p = 0; p < c.k(); p++) {
          double av = c.ta() ? a[OFF + p * lda + i] : a[OFF + i * lda + p];
          double bv = c.tb() ? b[OFF + j * ldb + p] : b[OFF + p * ldb + j];
          s += av * bv;
        }
        double old = c0[OFF + i * ldc + j];
        expected[i * c.n() + j] = c.alpha() * s + (c.beta() == 0 ? 0 : c.beta() * old);
        actual[i * c.n() + j] = cTest[OFF + i * ldc + j];
      }
    }
    SUMS.assertClose(kernel + " " + c, Shape.of(c.m(), c.n()), expected, actual);
    for (int i = 0; i < cTest.length; i++) {
      boolean inside = i >= OFF && (i - OFF) / ldc < c.m() && (i - OFF) % ldc < c.n();
      if (!inside) assertEquals(SENTINEL, cTest[i], "wrote outside C at flat index " + i);
    }
  }

  /** Splitting C over threads gives the very same bits as one thread: each element is computed alike. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void threadSplitMatchesSerialBitForBit(GemmKernel kernel) {
    Random r = new Random(3);
    int m = 97;
    int n = 301;
    int k = 83;
    float[] a = matrix(m, k, k, r);
    float[] b = matrix(n, k, k, r);
    float[] serial = new float[m * n + 2 * OFF];
    float[] split = serial.clone();
    PackedSgemm g = new PackedSgemm(kernel);
    g.serial(false, true, m, n, k, 1f, a, OFF, k, b, OFF, k, 0f, serial, OFF, n);
    g.gemm(false, true, m, n, k, 1f, a, OFF, k, b, OFF, k, 0f, split, OFF, n);
    assertArrayEquals(serial, split);
    // and across tiles: rows 0..m computed as two separate products
    float[] halves = serial.clone();
    java.util.Arrays.fill(halves, OFF, OFF + m * n, Float.NaN);
    g.serial(false, true, 40, n, k, 1f, a, OFF, k, b, OFF, k, 0f, halves, OFF, n);
    g.serial(false, true, m - 40, n, k, 1f, a, OFF + 40 * k, k, b, OFF, k, 0f, halves, OFF + 40 * n, n);
    assertArrayEquals(serial, halves);
  }

  /** A rows x cols matrix with leading dimension ld at OFF, sentinels everywhere else. */
  private static float[] matrix(int rows, int cols, int ld, Random r) {
    float[] v = new float[OFF + rows * ld + OFF];
    java.util.Arrays.fill(v, SENTINEL);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) v[OFF + i * ld + j] = (float) r.nextGaussian();
    }
    return v;
  }
}

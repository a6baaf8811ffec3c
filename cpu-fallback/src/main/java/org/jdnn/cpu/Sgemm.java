package org.jdnn.cpu;

/**
 * Single-precision GEMM on row-major arrays: {@code C = alpha * op(A) op(B) + beta * C}.
 *
 * <p>This first version normalises transposed operands by packing them row-major into scratch
 * buffers, then runs an i-k-j loop blocked over k and j whose innermost loop,
 * {@code c[j] += a_ik * b[k][j]}, the JIT compiles to vector FMAs. The packed, register-blocked
 * kernel is the fast-CPU issue's subject; this one must be correct and not absurdly slow.
 */
final class Sgemm {
  private static final int KC = 256; // a k-block of B rows stays in L2
  private static final int NC = 1024; // and a j-block of C row in L1

  private Sgemm() {}

  /** Per-thread scratch for packed operands: no allocation in steady state. */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

  static float[] scratch(int which, int size) {
    float[][] s = SCRATCH.get();
    if (s[which].length < size) s[which] = new float[size];
    return s[which];
  }

  /**
   * Single-threaded product of rows {@code [i0, i1)} of C.
   *
   * @param a op(A) is m x k: A is m x k (lda = k) or, transposed, k x m (lda = m)
   * @param b op(B) is k x n: B is k x n or, transposed, n x k
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, int i0, int i1) {
    for (int i = i0; i < i1; i++) {
      int ci = cOff + i * n;
      if (beta == 0) java.util.Arrays.fill(c, ci, ci + n, 0f);
      else if (beta != 1) for (int j = 0; j < n; j++) c[ci + j] *= beta;
    }
    if (k == 0 || alpha == 0 || i1 <= i0) return;
    float[] bp = b;
    int bpOff = bOff;
    if (transB) { // pack B^T (n x k) into k x n
      bp = scratch(0, k * n);
      bpOff = 0;
      for (int j = 0; j < n; j++) {
        int src = bOff + j * k;
        for (int q = 0; q < k; q++) bp[q * n + j] = b[src + q];
      }
    }
    for (int q0 = 0; q0 < k; q0 += KC) {
      int q1 = Math.min(k, q0 + KC);
      for (int j0 = 0; j0 < n; j0 += NC) {
        int j1 = Math.min(n, j0 + NC);
        for (int i = i0; i < i1; i++) {
          int ci = cOff + i * n;
          for (int q = q0; q < q1; q++) {
            float aiq = alpha * (transA ? a[aOff + q * m + i] : a[aOff + i * k + q]);
            int bq = bpOff + q * n;
            axpy(aiq, bp, bq, c, ci, j0, j1);
          }
        }
      }
    }
  }

  // Kept as its own method so C2 compiles one tight, vectorised loop.
  private static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int j0, int j1) {
    for (int j = j0; j < j1; j++) y[yOff + j] += s * x[xOff + j];
  }
}

package org.jdnn.cpu;

import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.cpu.gemm.PackedSgemm;

/**
 * Single-precision GEMM on row-major arrays, {@code C = alpha * op(A) op(B) + beta * C}, as the
 * CPU backend calls it: contiguous operands at offsets, the product through {@link PackedSgemm}
 * with the micro-kernel {@link GemmKernels} chose for this JVM. Also the per-thread scratch
 * buffers of the convolutions.
 */
final class Sgemm {
  private static final PackedSgemm PREFERRED = new PackedSgemm(GemmKernels.preferred());

  private Sgemm() {}

  /** Per-thread scratch (0: spare, 1: im2col columns, 2: gathered operands): no allocation in steady state. */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

  static float[] scratch(int which, int size) {
    float[][] s = SCRATCH.get();
    if (s[which].length < size) s[which] = new float[size];
    return s[which];
  }

  static PackedSgemm preferred() {
    return PREFERRED;
  }

  /**
   * Rows {@code [i0, i1)} of the product on the calling thread, with the preferred kernel.
   *
   * @param a op(A) is m x k: A is m x k (lda = k) or, transposed, k x m (lda = m)
   * @param b op(B) is k x n: B is k x n or, transposed, n x k
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, int i0, int i1) {
    gemm(PREFERRED, transA, transB, m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff, i0, i1);
  }

  /** As above, with the given GEMM. */
  static void gemm(PackedSgemm g, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff, int i0, int i1) {
    if (i1 <= i0) return;
    int lda = transA ? m : k;
    int ao = transA ? aOff + i0 : aOff + i0 * lda;
    g.serial(transA, transB, i1 - i0, n, k, alpha, a, ao, lda, b, bOff, transB ? k : n, beta, c, cOff + i0 * n, n);
  }
}

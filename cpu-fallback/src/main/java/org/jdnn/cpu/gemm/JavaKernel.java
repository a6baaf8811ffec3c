package org.jdnn.cpu.gemm;

/**
 * The plain-Java micro-kernel, for JVMs without the Vector API: the tile accumulates in a small
 * per-thread array through a loop over the tile's columns, {@code t[j] += a * b[j]}, which C2
 * compiles to vector FMAs. Each multiply-add loads and stores its accumulator (the JIT keeps no
 * array in registers), so this runs several times slower than {@link VectorKernel}; it is the
 * fallback, not the fast path.
 */
final class JavaKernel extends GemmKernel {
  static final int MR = 6;
  static final int NR = 64;

  private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

  JavaKernel() {
    super(MR, NR, 1);
  }

  @Override
  public String name() {
    return "plain Java loops (JIT auto-vectorised), " + MR + "x" + NR + " tile";
  }

  @Override
  public void tile(int kc, float[] a, int ai, int ars, int aps, float[] b, int bi, int width, float[] c, int ci,
      int ldc, int rows, int cols, float alpha, float beta) {
    float[] t = TILE.get();
    java.util.Arrays.fill(t, 0, MR * width, 0f);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * width;
      int ap = ai + p * aps;
      for (int r = 0; r < MR; r++) axpy(a[ap + r * ars], b, bp, t, r * width, width);
    }
    merge(t, width, c, ci, ldc, rows, cols, alpha, beta);
  }

  // Its own method so that C2 compiles one small vectorised loop.
  private static void axpy(float s, float[] x, int xi, float[] y, int yi, int n) {
    for (int j = 0; j < n; j++) y[yi + j] += s * x[xi + j];
  }
}

package org.jdnn.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a {@code 6 x 4L} tile of C ({@code L} = lanes of the preferred
 * species, 16 with AVX-512) held in 24 vector registers. Each step of k loads four vectors of the
 * B sliver, broadcasts six values of the A sliver and issues 24 FMAs, so the loop is bound by the
 * FMA units rather than by loads. On 256-bit machines (AVX2: 16 registers) the tile is
 * {@code 6 x 2L} so the 12 accumulators, two B vectors and a broadcast still fit.
 *
 * <p>Loaded only by {@link GemmKernels}, and only when the JVM has {@code jdk.incubator.vector}
 * in its boot layer: nothing else in jdnn refers to this class.
 */
final class VectorKernel extends GemmKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int MR = 6;
  /** Vectors per tile row: 4 where the ISA has 32 vector registers, 2 on AVX2's 16. */
  private static final int NV = S.vectorBitSize() == 256 ? 2 : 4;

  private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * 4 * L]);

  VectorKernel() {
    super(MR, NV * L, L);
  }

  /** Whether the preferred species is wide enough to beat the plain-Java kernel. */
  static boolean worthwhile() {
    return S.vectorBitSize() >= 128;
  }

  @Override
  public String name() {
    return "Vector API (jdk.incubator.vector) " + S.vectorBitSize() + "-bit, " + MR + "x" + (NV * L) + " tile";
  }

  @Override
  public void tile(int kc, float[] a, int ai, float[] b, int bi, int width, float[] c, int ci, int ldc,
      int rows, int cols, float alpha, float beta) {
    // The kernels store raw sums into a small tile that stays in L1 and merge() applies alpha and
    // beta: this keeps the kernels small enough for C2 to compile whole (a store helper that took
    // alpha and beta was not inlined, and boxed every vector), and gives edge and inner tiles the
    // same rounding.
    float[] t = TILE.get();
    int j = 0;
    if (NV == 4) {
      for (; j + 4 * L <= width; j += 4 * L) k4(kc, a, ai, b, bi + j, width, t, j, width);
    }
    for (; j + 2 * L <= width; j += 2 * L) k2(kc, a, ai, b, bi + j, width, t, j, width);
    for (; j < width; j += L) k1(kc, a, ai, b, bi + j, width, t, j, width);
    merge(t, width, c, ci, ldc, rows, cols, alpha, beta);
  }

  /** 6 x 4L: 24 accumulators. */
  private static void k4(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] d, int di, int ldd) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
    FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      c02 = x.fma(b2, c02);
      c03 = x.fma(b3, c03);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      c12 = x.fma(b2, c12);
      c13 = x.fma(b3, c13);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      c22 = x.fma(b2, c22);
      c23 = x.fma(b3, c23);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      c32 = x.fma(b2, c32);
      c33 = x.fma(b3, c33);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      c42 = x.fma(b2, c42);
      c43 = x.fma(b3, c43);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      c52 = x.fma(b2, c52);
      c53 = x.fma(b3, c53);
    }
    int r = di;
    c00.intoArray(d, r);
    c01.intoArray(d, r + L);
    c02.intoArray(d, r + 2 * L);
    c03.intoArray(d, r + 3 * L);
    r += ldd;
    c10.intoArray(d, r);
    c11.intoArray(d, r + L);
    c12.intoArray(d, r + 2 * L);
    c13.intoArray(d, r + 3 * L);
    r += ldd;
    c20.intoArray(d, r);
    c21.intoArray(d, r + L);
    c22.intoArray(d, r + 2 * L);
    c23.intoArray(d, r + 3 * L);
    r += ldd;
    c30.intoArray(d, r);
    c31.intoArray(d, r + L);
    c32.intoArray(d, r + 2 * L);
    c33.intoArray(d, r + 3 * L);
    r += ldd;
    c40.intoArray(d, r);
    c41.intoArray(d, r + L);
    c42.intoArray(d, r + 2 * L);
    c43.intoArray(d, r + 3 * L);
    r += ldd;
    c50.intoArray(d, r);
    c51.intoArray(d, r + L);
    c52.intoArray(d, r + 2 * L);
    c53.intoArray(d, r + 3 * L);
  }

  /** 6 x 2L: the main tile on AVX2, and the 2-vector remainder on AVX-512. */
  private static void k2(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] d, int di, int ldd) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00;
    FloatVector c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00;
    FloatVector c50 = c00, c51 = c00;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    int r = di;
    c00.intoArray(d, r);
    c01.intoArray(d, r + L);
    r += ldd;
    c10.intoArray(d, r);
    c11.intoArray(d, r + L);
    r += ldd;
    c20.intoArray(d, r);
    c21.intoArray(d, r + L);
    r += ldd;
    c30.intoArray(d, r);
    c31.intoArray(d, r + L);
    r += ldd;
    c40.intoArray(d, r);
    c41.intoArray(d, r + L);
    r += ldd;
    c50.intoArray(d, r);
    c51.intoArray(d, r + L);
  }

  /** 6 x L: the last vector of a tile that is not a multiple of 2L wide. */
  private static void k1(int kc, float[] a, int ai, float[] b, int bi, int ldb, float[] d, int di, int ldd) {
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
    for (int p = 0; p < kc; p++) {
      int ap = ai + p * MR;
      FloatVector b0 = FloatVector.fromArray(S, b, bi + p * ldb);
      c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[ap + 1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[ap + 2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[ap + 3]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, a[ap + 4]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, a[ap + 5]).fma(b0, c5);
    }
    int r = di;
    c0.intoArray(d, r);
    r += ldd;
    c1.intoArray(d, r);
    r += ldd;
    c2.intoArray(d, r);
    r += ldd;
    c3.intoArray(d, r);
    r += ldd;
    c4.intoArray(d, r);
    r += ldd;
    c5.intoArray(d, r);
  }
}

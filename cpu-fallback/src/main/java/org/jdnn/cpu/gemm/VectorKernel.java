package org.jdnn.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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
  /** The sixteen running sums of {@link #dotRows}. */
  private static final ThreadLocal<float[]> DOTS = ThreadLocal.withInitial(() -> new float[16 * L]);

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
  public void tile(int kc, float[] a, int ai, int ars, int aps, float[] b, int bi, int width, float[] c, int ci,
      int ldc, int rows, int cols, float alpha, float beta) {
    // The kernels store raw sums: straight into C for a whole tile with alpha 1 and beta 0 (the
    // common case), else into a small tile in L1 that merge() scales and adds. Both store the same
    // rounded sums, so edge and inner tiles agree bit for bit. (A store helper taking alpha and
    // beta was not inlined into the big kernels and boxed every vector.)
    boolean direct = rows == MR && cols == width && alpha == 1 && beta == 0;
    float[] d = direct ? c : TILE.get();
    int di = direct ? ci : 0;
    int ldd = direct ? ldc : width;
    int j = 0;
    if (NV == 4) {
      for (; j + 4 * L <= width; j += 4 * L) k4(kc, a, ai, ars, aps, b, bi + j, width, d, di + j, ldd);
    }
    for (; j + 2 * L <= width; j += 2 * L) k2(kc, a, ai, ars, aps, b, bi + j, width, d, di + j, ldd);
    for (; j < width; j += L) k1(kc, a, ai, ars, aps, b, bi + j, width, d, di + j, ldd);
    if (!direct) merge(d, width, c, ci, ldc, rows, cols, alpha, beta);
  }

  /**
   * Blocks of 4 rows of A by 4 rows of B: 16 vector accumulators, 8 loads per 16 FMAs. Blocks at
   * the edge repeat the last row (the extra sums are computed and dropped), so every block runs
   * the same code.
   */
  @Override
  public void addTo(float[] src, int so, float[] dst, int dOff, int n) {
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector.fromArray(S, dst, dOff + i).add(FloatVector.fromArray(S, src, so + i)).intoArray(dst, dOff + i);
    }
    for (; i < n; i++) dst[dOff + i] += src[so + i];
  }

  @Override
  public void addScalar(float[] a, int ao, float s, float[] o, int oo, int n) {
    int i = 0;
    for (; i <= n - L; i += L) FloatVector.fromArray(S, a, ao + i).add(s).intoArray(o, oo + i);
    for (; i < n; i++) o[oo + i] = a[ao + i] + s;
  }

  @Override
  public void relu(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(y, yo + i);
    for (; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
  }

  @Override
  public void reluBackward(float[] x, int xo, float[] dy, int go, float[] dx, int dxo, int n) {
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (; i <= n - L; i += L) {
      FloatVector xv = FloatVector.fromArray(S, x, xo + i);
      zero.blend(FloatVector.fromArray(S, dy, go + i), xv.compare(VectorOperators.GT, 0f)).intoArray(dx, dxo + i);
    }
    super.reluBackward(x, xo + i, dy, go + i, dx, dxo + i, n - i);
  }

  // Lane shuffles of 2x2 pooling: swap the lanes of each pair; even lanes gathered (lane i takes
  // lane 2i mod L: into the low half from one vector, the high half from the next); lanes
  // 0..L/2-1 (or L/2..L-1) each doubled.
  private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);
  private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> (2 * i) % L);
  private static final VectorShuffle<Float> DOUBLE_LOW = VectorShuffle.fromOp(S, i -> i / 2);
  private static final VectorShuffle<Float> DOUBLE_HIGH = VectorShuffle.fromOp(S, i -> L / 2 + i / 2);
  private static final VectorMask<Float> HIGH = VectorMask.fromLong(S, -1L << (L / 2));
  private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);

  /** L outputs per step: two input vectors per row, pair maxima by a lane swap, evens gathered. */
  @Override
  public void maxPool2x2(float[] x, int a, int b, float[] y, int yo, int n) {
    int c = 0;
    for (; c <= n - L; c += L) {
      FloatVector v0 = FloatVector.fromArray(S, x, a + 2 * c).max(FloatVector.fromArray(S, x, b + 2 * c));
      FloatVector v1 = FloatVector.fromArray(S, x, a + 2 * c + L).max(FloatVector.fromArray(S, x, b + 2 * c + L));
      v0 = v0.max(v0.rearrange(SWAP)).rearrange(EVENS);
      v1 = v1.max(v1.rearrange(SWAP)).rearrange(EVENS);
      v0.blend(v1, HIGH).intoArray(y, yo + c);
    }
    super.maxPool2x2(x, a + 2 * c, b + 2 * c, y, yo + c, n - c);
  }

  @Override
  public void maxPool2x2Backward(float[] x, int a, int b, float[] y, int yo, float[] dy, int go, float[] dx, int da,
      int db, int n) {
    int c = 0;
    FloatVector zero = FloatVector.zero(S);
    for (; c <= n - L; c += L) {
      FloatVector m = FloatVector.fromArray(S, y, yo + c);
      FloatVector g = FloatVector.fromArray(S, dy, go + c);
      for (int h = 0; h < 2; h++) { // the low, then the high half of the L windows: 2L inputs per row
        VectorShuffle<Float> twice = h == 0 ? DOUBLE_LOW : DOUBLE_HIGH;
        FloatVector mm = m.rearrange(twice);
        FloatVector gg = g.rearrange(twice);
        int o = 2 * c + h * L;
        FloatVector x0 = FloatVector.fromArray(S, x, a + o);
        FloatVector x1 = FloatVector.fromArray(S, x, b + o);
        VectorMask<Float> e0 = equal(x0, mm);
        VectorMask<Float> e1 = equal(x1, mm);
        VectorMask<Float> s0 = swap(e0);
        VectorMask<Float> s1 = swap(e1);
        // first match in the order (row a: even, odd), (row b: even, odd)
        VectorMask<Float> hit0 = e0.andNot(ODD.and(s0));
        VectorMask<Float> taken = e0.or(s0);
        VectorMask<Float> hit1 = e1.andNot(taken).andNot(ODD.and(s1));
        zero.blend(gg, hit0).intoArray(dx, da + o);
        zero.blend(gg, hit1).intoArray(dx, db + o);
      }
    }
    super.maxPool2x2Backward(x, a + 2 * c, b + 2 * c, y, yo + c, dy, go + c, dx, da + 2 * c, db + 2 * c, n - c);
  }

  private static VectorMask<Float> equal(FloatVector v, FloatVector m) {
    return v.compare(VectorOperators.EQ, m).or(v.test(VectorOperators.IS_NAN).and(m.test(VectorOperators.IS_NAN)));
  }

  /** The mask with the lanes of each pair swapped. */
  private static VectorMask<Float> swap(VectorMask<Float> k) {
    FloatVector ones = FloatVector.broadcast(S, 1f);
    return FloatVector.zero(S).blend(ones, k).rearrange(SWAP).compare(VectorOperators.NE, 0f);
  }

  @Override
  public boolean hasDotRows() {
    return true;
  }

  @Override
  public boolean dotRows(int m, int n, int k, int batch, float[] a, int aOff, int lda, int aStride, float[] b,
      int bOff, int[] rows, int bStride, float beta, float[] c, int cOff, int ldc) {
    if (k % L != 0) return false; // callers round their rows up to whole vectors
    float[] acc = DOTS.get();
    for (int i0 = 0; i0 < m; i0 += 4) {
      int a0 = aOff + i0 * lda;
      int a1 = aOff + Math.min(i0 + 1, m - 1) * lda;
      int a2 = aOff + Math.min(i0 + 2, m - 1) * lda;
      int a3 = aOff + Math.min(i0 + 3, m - 1) * lda;
      for (int j0 = 0; j0 < n; j0 += 4) {
        int b0 = bOff + rows[j0];
        int b1 = bOff + rows[Math.min(j0 + 1, n - 1)];
        int b2 = bOff + rows[Math.min(j0 + 2, n - 1)];
        int b3 = bOff + rows[Math.min(j0 + 3, n - 1)];
        java.util.Arrays.fill(acc, 0f);
        for (int q = 0; q < batch; q++) {
          int da = q * aStride;
          int db = q * bStride;
          dot4x4(k, a, a0 + da, a1 + da, a2 + da, a3 + da, b, b0 + db, b1 + db, b2 + db, b3 + db, acc);
        }
        for (int i = 0; i < 4 && i0 + i < m; i++) {
          int ci = cOff + (i0 + i) * ldc + j0;
          for (int j = 0; j < 4 && j0 + j < n; j++) {
            float sum = FloatVector.fromArray(S, acc, (i * 4 + j) * L).reduceLanes(VectorOperators.ADD);
            c[ci + j] = beta == 0 ? sum : c[ci + j] + sum;
          }
        }
      }
    }
    return true;
  }

  /**
   * One sample's share of a 4x4 block of dot products, {@code k} a multiple of L: the sixteen
   * running sums come from and go back to {@code acc}, so that the loop is the method's only one.
   * (With the sample loop inside, C2 in JDK 17 boxed every FMA's result: 6 GFLOP/s.)
   */
  private static void dot4x4(int k, float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2,
      int b3, float[] acc) {
    FloatVector c00 = FloatVector.fromArray(S, acc, 0 * L);
    FloatVector c01 = FloatVector.fromArray(S, acc, 1 * L);
    FloatVector c02 = FloatVector.fromArray(S, acc, 2 * L);
    FloatVector c03 = FloatVector.fromArray(S, acc, 3 * L);
    FloatVector c10 = FloatVector.fromArray(S, acc, 4 * L);
    FloatVector c11 = FloatVector.fromArray(S, acc, 5 * L);
    FloatVector c12 = FloatVector.fromArray(S, acc, 6 * L);
    FloatVector c13 = FloatVector.fromArray(S, acc, 7 * L);
    FloatVector c20 = FloatVector.fromArray(S, acc, 8 * L);
    FloatVector c21 = FloatVector.fromArray(S, acc, 9 * L);
    FloatVector c22 = FloatVector.fromArray(S, acc, 10 * L);
    FloatVector c23 = FloatVector.fromArray(S, acc, 11 * L);
    FloatVector c30 = FloatVector.fromArray(S, acc, 12 * L);
    FloatVector c31 = FloatVector.fromArray(S, acc, 13 * L);
    FloatVector c32 = FloatVector.fromArray(S, acc, 14 * L);
    FloatVector c33 = FloatVector.fromArray(S, acc, 15 * L);
    for (int p = 0; p < k; p += L) {
      FloatVector va0 = FloatVector.fromArray(S, a, a0 + p);
      FloatVector va1 = FloatVector.fromArray(S, a, a1 + p);
      FloatVector va2 = FloatVector.fromArray(S, a, a2 + p);
      FloatVector va3 = FloatVector.fromArray(S, a, a3 + p);
      FloatVector vb0 = FloatVector.fromArray(S, b, b0 + p);
      FloatVector vb1 = FloatVector.fromArray(S, b, b1 + p);
      FloatVector vb2 = FloatVector.fromArray(S, b, b2 + p);
      FloatVector vb3 = FloatVector.fromArray(S, b, b3 + p);
      c00 = va0.fma(vb0, c00);
      c01 = va0.fma(vb1, c01);
      c02 = va0.fma(vb2, c02);
      c03 = va0.fma(vb3, c03);
      c10 = va1.fma(vb0, c10);
      c11 = va1.fma(vb1, c11);
      c12 = va1.fma(vb2, c12);
      c13 = va1.fma(vb3, c13);
      c20 = va2.fma(vb0, c20);
      c21 = va2.fma(vb1, c21);
      c22 = va2.fma(vb2, c22);
      c23 = va2.fma(vb3, c23);
      c30 = va3.fma(vb0, c30);
      c31 = va3.fma(vb1, c31);
      c32 = va3.fma(vb2, c32);
      c33 = va3.fma(vb3, c33);
    }
    c00.intoArray(acc, 0 * L);
    c01.intoArray(acc, 1 * L);
    c02.intoArray(acc, 2 * L);
    c03.intoArray(acc, 3 * L);
    c10.intoArray(acc, 4 * L);
    c11.intoArray(acc, 5 * L);
    c12.intoArray(acc, 6 * L);
    c13.intoArray(acc, 7 * L);
    c20.intoArray(acc, 8 * L);
    c21.intoArray(acc, 9 * L);
    c22.intoArray(acc, 10 * L);
    c23.intoArray(acc, 11 * L);
    c30.intoArray(acc, 12 * L);
    c31.intoArray(acc, 13 * L);
    c32.intoArray(acc, 14 * L);
    c33.intoArray(acc, 15 * L);
  }

  /** 6 x 4L: 24 accumulators. */
  private static void k4(int kc, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, float[] d, int di,
      int ldd) {
    int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars;
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
    FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * aps;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      c02 = x.fma(b2, c02);
      c03 = x.fma(b3, c03);
      x = FloatVector.broadcast(S, a[ap + r1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      c12 = x.fma(b2, c12);
      c13 = x.fma(b3, c13);
      x = FloatVector.broadcast(S, a[ap + r2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      c22 = x.fma(b2, c22);
      c23 = x.fma(b3, c23);
      x = FloatVector.broadcast(S, a[ap + r3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      c32 = x.fma(b2, c32);
      c33 = x.fma(b3, c33);
      x = FloatVector.broadcast(S, a[ap + r4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      c42 = x.fma(b2, c42);
      c43 = x.fma(b3, c43);
      x = FloatVector.broadcast(S, a[ap + r5]);
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
  private static void k2(int kc, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, float[] d, int di,
      int ldd) {
    int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars;
    FloatVector c00 = FloatVector.zero(S), c01 = c00;
    FloatVector c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00;
    FloatVector c50 = c00, c51 = c00;
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * ldb;
      int ap = ai + p * aps;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + r1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + r2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + r3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + r4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + r5]);
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
  private static void k1(int kc, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, float[] d, int di,
      int ldd) {
    int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars;
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
    for (int p = 0; p < kc; p++) {
      int ap = ai + p * aps;
      FloatVector b0 = FloatVector.fromArray(S, b, bi + p * ldb);
      c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, a[ap + r1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, a[ap + r2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, a[ap + r3]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, a[ap + r4]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, a[ap + r5]).fma(b0, c5);
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

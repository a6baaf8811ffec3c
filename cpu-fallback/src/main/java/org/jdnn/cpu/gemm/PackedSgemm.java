package org.jdnn.cpu.gemm;

import org.jdnn.cpu.CpuThreads;

/**
 * Single-precision GEMM, {@code C = alpha * op(A) op(B) + beta * C}, on row-major arrays with
 * leading dimensions: the loop nest of Goto and van de Geijn ("Anatomy of High-Performance Matrix
 * Multiplication", 2008) and BLIS.
 *
 * <pre>
 * for jc in N by NC:                    B block, kc x nc, packed once: stays in L2/L3
 *   for pc in K by KC:
 *     pack op(B)[pc:, jc:] into slivers of nr columns
 *     for ic in M by MC:                A block, mc x kc: stays in L2 (read in place, see run)
 *       pack op(A)[ic:, pc:] into slivers of mr rows
 *       for jr in nc by nr, ir in mc by mr:  kernel: mr x nr tile in registers, kc long
 * </pre>
 *
 * Transposes are taken care of by the packing, which reads the caller's arrays where they are;
 * the packed blocks live in per-thread buffers that grow once and are reused. Unlike BLIS, whole
 * row tiles of A are read in place (measurements in {@code run}); only the edge tile is packed. The first k-block
 * applies {@code beta}, later ones accumulate. Threads split C into row or column ranges (whole
 * tiles), each packing what it needs; every element of C is computed the same way whatever the
 * split, so results do not depend on the thread count.
 */
public final class PackedSgemm {
  /**
   * Largest depth of a packed block; K is cut into equal blocks no deeper than this. Deep blocks
   * amortise the kernel's tile store (measured on Zen 5, 1024^3: 190 GFLOP/s at 128, 220 at 256,
   * 245 at 512, 260 at 1024); a B sliver of 768 x 64 floats (192 KiB) still streams from L2.
   */
  static final int KC = Integer.getInteger("jdnn.gemm.kc", 768);
  /** Rows of an A block (MC x KC x 4 bytes = 432 KiB: half the L2 of one core). */
  static final int MC = Integer.getInteger("jdnn.gemm.mc", 144);
  /** Columns of a packed B block (KC x NC x 4 bytes = 6 MiB, in L3). */
  static final int NC = Integer.getInteger("jdnn.gemm.nc", 2048);
  /** Multiply-adds below which a product is not worth splitting over threads. */
  private static final long PARALLEL_WORK = 1L << 18;

  private final GemmKernel kernel;
  private final int mc;
  private final int nc;

  /** Per-thread packing buffers: grown on first use, then reused by every call. */
  private static final ThreadLocal<float[][]> PACK = ThreadLocal.withInitial(() -> new float[2][0]);

  public PackedSgemm(GemmKernel kernel) {
    this.kernel = kernel;
    this.mc = Math.max(kernel.mr, MC / kernel.mr * kernel.mr);
    this.nc = Math.max(kernel.nr, NC / kernel.nr * kernel.nr);
  }

  public GemmKernel kernel() {
    return kernel;
  }

  /**
   * The product on the calling thread, over {@link CpuThreads} when large enough.
   *
   * @param lda row stride of A as stored: A is m x k (transA false) or k x m (transA true)
   * @param ldb row stride of B as stored: B is k x n or, transposed, n x k
   * @param ldc row stride of C (m x n)
   */
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc);
  }

  /**
   * As {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)},
   * with B's stored rows at arbitrary offsets when {@code bRows} is not null: row {@code r} of B
   * as stored starts at {@code b[bOff + bRows[r]]} (ldb is then unused). That makes B an
   * implicit im2col matrix whose rows are shifted views of one zero-padded image: the packing
   * reads them where they are, and no column matrix is built.
   */
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows, float beta, float[] c, int cOff, int ldc) {
    CpuThreads pool = CpuThreads.get();
    long work = (long) m * n * k;
    int mTiles = (m + kernel.mr - 1) / kernel.mr;
    int nTiles = (n + kernel.nr - 1) / kernel.nr;
    if (pool.threads() == 1 || work < PARALLEL_WORK || Math.max(mTiles, nTiles) < 2) {
      run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bRows, 0, beta, c, cOff, ldc);
      return;
    }
    // Split the dimension with more tiles, in whole tiles.
    boolean byRows = mTiles >= nTiles;
    int tiles = byRows ? mTiles : nTiles;
    int unit = byRows ? kernel.mr : kernel.nr;
    pool.forRange(tiles, 1, (t0, t1) -> {
      if (byRows) {
        int i0 = t0 * unit;
        int i1 = Math.min(m, t1 * unit);
        int ao = transA ? aOff + i0 : aOff + i0 * lda;
        run(transA, transB, i1 - i0, n, k, alpha, a, ao, lda, b, bOff, ldb, bRows, 0, beta, c, cOff + i0 * ldc, ldc);
      } else {
        int j0 = t0 * unit;
        int j1 = Math.min(n, t1 * unit);
        // columns j0.. of op(B): further along each row of B, or (transposed) later rows of B
        int bo = transB ? (bRows == null ? bOff + j0 * ldb : bOff) : bOff + j0;
        run(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda, b, bo, ldb, bRows, transB ? j0 : 0, beta, c,
            cOff + j0, ldc);
      }
    });
  }

  /** The product on the calling thread only. */
  public void serial(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, 0, beta, c, cOff, ldc);
  }

  /** {@link #serial} with B's rows at offsets, as in {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, int[], float, float[], int, int)}. */
  public void serial(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows, float beta, float[] c, int cOff, int ldc) {
    run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bRows, 0, beta, c, cOff, ldc);
  }

  /** The loop nest; {@code bRows[bRow0 + r]} is where stored row r of B starts (when not null). */
  private void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows, int bRow0, float beta,
      float[] c, int cOff, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    int mr = kernel.mr;
    int kBlocks = (k + KC - 1) / KC;
    int kcMax = (k + kBlocks - 1) / kBlocks; // equal blocks: no thin last one
    float[][] pack = PACK.get();
    int aSize = mr * kcMax; // the edge tile of A
    int bSize = roundUp(Math.min(nc, n), kernel.nr) * kcMax;
    if (pack[0].length < aSize) pack[0] = new float[aSize];
    if (pack[1].length < bSize) pack[1] = new float[bSize];
    float[] ap = pack[0];
    float[] bp = pack[1];
    for (int jc = 0; jc < n; jc += nc) {
      int ncur = Math.min(nc, n - jc);
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        float betaNow = pc == 0 ? beta : 1f;
        packB(transB, b, bOff, ldb, bRows, bRow0, pc, kc, jc, ncur, bp);
        for (int ic = 0; ic < m; ic += mc) {
          int mcur = Math.min(mc, m - ic);
          // Whole row tiles of A are read where they lie, by row and column strides; only the
          // edge tile is packed (with zero rows). BLIS packs all of A; measured here (Zen 5, one
          // thread, GFLOP/s packed vs in place): 1024^3 250 / 249, 4096x4096x512 257 / 264,
          // 128x784x1152 219 / 234, 256x196x2304 177 / 220, 512x49x4608 107 / 192,
          // 1024x1024x4096 226 / 240, A transposed 1024^3 224 / 230. The six broadcast rows
          // stream well from L2, and packing A cost what the few tiles of a narrow C compute.
          int whole = mcur / mr * mr;
          if (whole < mcur) packA(transA, a, aOff, lda, ic + whole, mcur - whole, pc, kc, ap);
          for (int jr = 0; jr < ncur; jr += kernel.nr) {
            int cols = Math.min(kernel.nr, ncur - jr);
            int width = cols == kernel.nr ? kernel.nr : roundUp(cols, kernel.step);
            int bi = jr * kc; // every sliver before this one is nr wide
            for (int ir = 0; ir < mcur; ir += mr) {
              int rows = Math.min(mr, mcur - ir);
              int ci = cOff + (ic + ir) * ldc + jc + jr;
              if (rows < mr) {
                kernel.tile(kc, ap, 0, bp, bi, width, c, ci, ldc, rows, cols, alpha, betaNow);
              } else if (transA) { // A stored k x m
                kernel.tile(kc, a, aOff + pc * lda + ic + ir, 1, lda, bp, bi, width, c, ci, ldc, rows, cols, alpha, betaNow);
              } else {
                kernel.tile(kc, a, aOff + (ic + ir) * lda + pc, lda, 1, bp, bi, width, c, ci, ldc, rows, cols, alpha,
                    betaNow);
              }
            }
          }
        }
      }
    }
  }

  /** op(A)[i0:i0+mc, p0:p0+kc] into slivers of mr rows, zero past row m. */
  private void packA(boolean trans, float[] a, int aOff, int lda, int i0, int mcur, int p0, int kc, float[] ap) {
    int mr = kernel.mr;
    for (int ir = 0; ir < mcur; ir += mr) {
      int rows = Math.min(mr, mcur - ir);
      int base = ir * kc;
      if (trans) { // A stored k x m: a sliver's mr values of one p are contiguous
        for (int p = 0; p < kc; p++) {
          int src = aOff + (p0 + p) * lda + i0 + ir;
          int dst = base + p * mr;
          for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r];
          for (int r = rows; r < mr; r++) ap[dst + r] = 0f;
        }
      } else {
        for (int r = 0; r < rows; r++) {
          int src = aOff + (i0 + ir + r) * lda + p0;
          for (int p = 0; p < kc; p++) ap[base + p * mr + r] = a[src + p];
        }
        for (int r = rows; r < mr; r++) {
          for (int p = 0; p < kc; p++) ap[base + p * mr + r] = 0f;
        }
      }
    }
  }

  /** op(B)[p0:p0+kc, j0:j0+ncur] into slivers nr wide (the last one narrower), zero past column n. */
  private void packB(boolean trans, float[] b, int bOff, int ldb, int[] rows, int row0, int p0, int kc, int j0,
      int ncur, float[] bp) {
    int nr = kernel.nr;
    for (int jr = 0; jr < ncur; jr += nr) {
      int cols = Math.min(nr, ncur - jr);
      int width = cols == nr ? nr : roundUp(cols, kernel.step);
      int base = jr * kc;
      if (trans) { // B stored n x k: one column of op(B) is contiguous
        // A transpose: in chunks of 16 rows of the sliver, so that the rows being written (each
        // width floats apart) stay in L1 while every column visits them; one pass over all kc
        // rows per column missed L1 on every store.
        for (int q0 = 0; q0 < kc; q0 += 16) {
          int q1 = Math.min(kc, q0 + 16);
          for (int j = 0; j < cols; j++) {
            int r = j0 + jr + j;
            int src = bOff + (rows == null ? r * ldb : rows[row0 + r]) + p0;
            for (int p = q0; p < q1; p++) bp[base + p * width + j] = b[src + p];
          }
        }
        if (cols < width) { // a few columns of padding: loops, Arrays.fill's call cost more
          for (int p = 0; p < kc; p++) for (int j = cols; j < width; j++) bp[base + p * width + j] = 0f;
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int dst = base + p * width;
          int r = p0 + p;
          System.arraycopy(b, bOff + (rows == null ? r * ldb : rows[r]) + j0 + jr, bp, dst, cols);
          for (int j = cols; j < width; j++) bp[dst + j] = 0f;
        }
      }
    }
  }

  /** C = beta C, where beta 0 writes zeros without reading C. */
  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      if (beta == 0) java.util.Arrays.fill(c, row, row + n, 0f);
      else if (beta != 1) for (int j = 0; j < n; j++) c[row + j] *= beta;
    }
  }

  private static int roundUp(int v, int unit) {
    return (v + unit - 1) / unit * unit;
  }
}

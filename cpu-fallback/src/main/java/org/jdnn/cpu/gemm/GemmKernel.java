package org.jdnn.cpu.gemm;

/**
 * The register-blocked heart of {@link PackedSgemm}: one {@code mr x width} tile of C from a packed
 * sliver of A and a packed sliver of B.
 *
 * <p>Packed layouts (written by {@link PackedSgemm}): the A sliver holds {@code kc} columns of
 * {@code mr} values each, {@code a[ai + p*mr + r] = A(i0 + r, p0 + p)}; the B sliver holds
 * {@code kc} rows of {@code width} values, {@code b[bi + p*width + j] = B(p0 + p, j0 + j)}. Rows and
 * columns past the edge of the matrix are packed as zeros, so a kernel always computes a whole
 * tile and only its store looks at the edge.
 *
 * <p>Every implementation must give each element of C the same sequence of roundings wherever the
 * tile sits (an edge tile or an inner one): results then do not depend on how the threads split C.
 */
public abstract class GemmKernel {
  /** Rows of the register tile. */
  public final int mr;
  /** Widest tile, in columns: the width of B slivers except the last one of a block. */
  public final int nr;
  /** Column granularity: the last sliver of a block is padded to a multiple of this. */
  public final int step;

  protected GemmKernel(int mr, int nr, int step) {
    this.mr = mr;
    this.nr = nr;
    this.step = step;
  }

  /** For reports: what computes, e.g. {@code Vector API 512-bit, 6x64 tile}. */
  public abstract String name();

  /**
   * {@code C[i, j] = alpha * sum_p A(i, p) B(p, j) + beta * C[i, j]} for {@code i < rows},
   * {@code j < cols} of the tile at {@code c[ci]} (row stride {@code ldc}); {@code beta == 0} never
   * reads C. A is a packed sliver.
   *
   * @param width the packed B sliver's width: a multiple of {@link #step}, at most {@link #nr},
   *     at least {@code cols}
   * @param rows at most {@link #mr}
   */
  public final void tile(int kc, float[] a, int ai, float[] b, int bi, int width,
      float[] c, int ci, int ldc, int rows, int cols, float alpha, float beta) {
    tile(kc, a, ai, 1, mr, b, bi, width, c, ci, ldc, rows, cols, alpha, beta);
  }

  /**
   * As above with A read where it lies: {@code A(r, p) = a[ai + r*ars + p*aps]} for every one of
   * the {@link #mr} rows (a packed sliver is {@code ars = 1, aps = mr}; rows of a row-major matrix
   * are {@code ars = lda, aps = 1}). Lets the driver skip packing A when the tile row is used
   * only once or twice.
   */
  public abstract void tile(int kc, float[] a, int ai, int ars, int aps, float[] b, int bi, int width,
      float[] c, int ci, int ldc, int rows, int cols, float alpha, float beta);

  /**
   * {@code C[i, j] = sum_s sum_p A_s[i, p] B_s,j[p] + beta C[i, j]} ({@code beta} 0 or 1) for
   * {@code i < m}, {@code j < n}, {@code p < k}, {@code s < batch}, where row i of A_s is at
   * {@code a[aOff + s*aStride + i*lda]} and B_s,j at {@code b[bOff + s*bStride + rows[j]]}: a
   * product whose operands both run along k, read in place with no packing, as dot products
   * reduced once at the end (over the whole batch). Convolution filter gradients are this shape,
   * with few rows in A: packing B for the GEMM (a transpose) cost many times the arithmetic.
   * Returns false where a kernel has no such path; the caller then uses the packed GEMM.
   */
  public boolean dotRows(int m, int n, int k, int batch, float[] a, int aOff, int lda, int aStride, float[] b,
      int bOff, int[] rows, int bStride, float beta, float[] c, int cOff, int ldc) {
    return false;
  }

  // ---- element-wise loops that ride along with the kernel choice. C2 (JDK 17) does not vectorise
  // a loop that stores to one float[] and loads from another it cannot prove distinct, so these
  // plain versions run scalar; the Vector API kernel overrides them with explicit vectors.

  /** {@code dst[dOff + i] += src[so + i]} for {@code i < n}. */
  public void addTo(float[] src, int so, float[] dst, int dOff, int n) {
    for (int i = 0; i < n; i++) dst[dOff + i] += src[so + i];
  }

  /** {@code o[oo + i] = a[ao + i] + s} for {@code i < n}. */
  public void addScalar(float[] a, int ao, float s, float[] o, int oo, int n) {
    for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + s;
  }

  /** {@code y = max(x, 0)}, NaN staying NaN (as {@link Math#max}). */
  public void relu(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
  }

  /**
   * {@code dx = x > 0 ? dy : 0}, without a branch: on real activations the sign is a coin toss,
   * and the mispredicted branch cost more than the loop's arithmetic. The mask is all ones
   * exactly when x's bits are those of a positive number that is not NaN.
   */
  public void reluBackward(float[] x, int xo, float[] dy, int go, float[] dx, int dxo, int n) {
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToRawIntBits(x[xo + i]);
      int mask = (-bits >> 31) & ((bits - 0x7f800001) >> 31); // 0 < bits <= +infinity
      dx[dxo + i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[go + i]) & mask);
    }
  }

  /**
   * One output row of 2x2, stride-2 max pooling: {@code y[yo + c]} is the maximum of
   * {@code x[a + 2c], x[a + 2c + 1], x[b + 2c], x[b + 2c + 1]} for {@code c < n} ({@code a} and
   * {@code b} the two input rows); NaN wins, as in {@link Math#max}.
   */
  public void maxPool2x2(float[] x, int a, int b, float[] y, int yo, int n) {
    for (int c = 0; c < n; c++) {
      y[yo + c] = Math.max(Math.max(x[a + 2 * c], x[a + 2 * c + 1]), Math.max(x[b + 2 * c], x[b + 2 * c + 1]));
    }
  }

  /**
   * The backward of {@link #maxPool2x2} for one output row: each gradient {@code dy[go + c]} goes
   * to the first of its window's four inputs equal to {@code y[yo + c]} (the first NaN when that is
   * NaN), in the order a+2c, a+2c+1, b+2c, b+2c+1; the other three get 0 (every element of the
   * two dx rows {@code da}, {@code db} is written).
   */
  public void maxPool2x2Backward(float[] x, int a, int b, float[] y, int yo, float[] dy, int go, float[] dx, int da,
      int db, int n) {
    for (int c = 0; c < n; c++) {
      float m = y[yo + c];
      int g = Float.floatToRawIntBits(dy[go + c]);
      int h0 = same(x[a + 2 * c], m);
      int h1 = same(x[a + 2 * c + 1], m) & ~h0;
      int h2 = same(x[b + 2 * c], m) & ~(h0 | h1);
      int h3 = ~(h0 | h1 | h2);
      dx[da + 2 * c] = Float.intBitsToFloat(g & h0);
      dx[da + 2 * c + 1] = Float.intBitsToFloat(g & h1);
      dx[db + 2 * c] = Float.intBitsToFloat(g & h2);
      dx[db + 2 * c + 1] = Float.intBitsToFloat(g & h3);
    }
  }

  /** All ones when {@code v} is the maximum {@code m} (both NaN counts), else 0: no branch. */
  private static int same(float v, float m) {
    return (v == m) | (v != v & m != m) ? -1 : 0;
  }

  /** Whether {@link #dotRows} is implemented. */
  public boolean hasDotRows() {
    return false;
  }

  /**
   * {@code C = alpha T + beta C} over a tile's valid part, from the raw sums {@code t} (row stride
   * {@code ldt}). Every kernel ends here, so every element of C gets the same roundings.
   */
  protected static void merge(float[] t, int ldt, float[] c, int ci, int ldc, int rows, int cols,
      float alpha, float beta) {
    for (int r = 0; r < rows; r++) {
      int tr = r * ldt;
      int cr = ci + r * ldc;
      if (alpha == 1) {
        if (beta == 0) System.arraycopy(t, tr, c, cr, cols);
        else if (beta == 1) for (int j = 0; j < cols; j++) c[cr + j] += t[tr + j];
        else for (int j = 0; j < cols; j++) c[cr + j] = t[tr + j] + beta * c[cr + j];
      } else {
        if (beta == 0) for (int j = 0; j < cols; j++) c[cr + j] = alpha * t[tr + j];
        else for (int j = 0; j < cols; j++) c[cr + j] = alpha * t[tr + j] + beta * c[cr + j];
      }
    }
  }

  @Override
  public String toString() {
    return name();
  }
}

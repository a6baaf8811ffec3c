package org.jdnn.cuda;

/**
 * A row-major {@code c = alpha op(a) op(b) + beta c} (the SPI's gemm, batched over a leading axis)
 * as cuBLAS's column-major {@code cublas<T>gemmStridedBatched} arguments.
 *
 * <p>A row-major matrix is its column-major transpose, so {@code C^T = op(B)^T op(A)^T}: cuBLAS
 * computes with the operands swapped, {@code b} first. Its first operand is {@code b}: {@code (k, n)}
 * row-major is column-major {@code (n, k)} with leading dimension {@code n} and no transpose, or, if
 * {@code b} is stored transposed {@code (n, k)}, column-major {@code (k, n)} with leading dimension
 * {@code k} and a transpose. The same for {@code a} with {@code (m, k)}. The result's leading
 * dimension is {@code n}. A rank-2 operand shared by every batch entry has stride 0.
 *
 * @param transFirst transpose of cuBLAS's first operand ({@code b})
 * @param transSecond transpose of cuBLAS's second operand ({@code a})
 * @param rows cuBLAS's m: columns of the row-major result, {@code n}
 * @param cols cuBLAS's n: rows of the row-major result, {@code m}
 * @param depth k
 * @param ldFirst leading dimension of {@code b}
 * @param ldSecond leading dimension of {@code a}
 * @param ldResult leading dimension of {@code c} ({@code n})
 * @param strideFirst elements between batch entries of {@code b} (0 when shared)
 * @param strideSecond elements between batch entries of {@code a} (0 when shared)
 * @param strideResult elements between batch entries of {@code c}
 * @param batch number of products
 */
public record GemmPlan(boolean transFirst, boolean transSecond, int rows, int cols, int depth, int ldFirst,
    int ldSecond, int ldResult, long strideFirst, long strideSecond, long strideResult, int batch) {

  /**
   * The plan for operand shapes as the SPI passes them: {@code a} is {@code ([batch,] m, k)} or
   * its transpose, {@code b} {@code ([batch,] k, n)} or its transpose, {@code c} {@code ([batch,] m, n)}.
   */
  public static GemmPlan of(boolean transA, boolean transB, int[] a, int[] b, int[] c) {
    int m = c[c.length - 2];
    int n = c[c.length - 1];
    int k = transA ? a[a.length - 2] : a[a.length - 1];
    int batch = c.length == 3 ? c[0] : 1;
    long strideA = a.length == 3 ? (long) m * k : 0;
    long strideB = b.length == 3 ? (long) k * n : 0;
    return new GemmPlan(transB, transA, n, m, k, Math.max(1, transB ? k : n), Math.max(1, transA ? m : k),
        Math.max(1, n), strideB, strideA, (long) m * n, batch);
  }

  /**
   * Executes the plan the way cuBLAS defines it, column-major, on host arrays: the test oracle for
   * the mapping (a plan that passes this against row-major loops is what cuBLAS gets).
   */
  static void referenceColumnMajor(GemmPlan p, double alpha, double[] first, double[] second, double beta,
      double[] result) {
    for (int q = 0; q < p.batch; q++) {
      long fo = q * p.strideFirst;
      long so = q * p.strideSecond;
      long ro = q * p.strideResult;
      for (int i = 0; i < p.rows; i++) {
        for (int j = 0; j < p.cols; j++) {
          double acc = 0;
          for (int l = 0; l < p.depth; l++) {
            double x = first[(int) (fo + (p.transFirst ? (long) i * p.ldFirst + l : (long) l * p.ldFirst + i))];
            double y = second[(int) (so + (p.transSecond ? (long) l * p.ldSecond + j : (long) j * p.ldSecond + l))];
            acc += x * y;
          }
          int ri = (int) (ro + (long) j * p.ldResult + i);
          result[ri] = alpha * acc + (beta == 0 ? 0 : beta * result[ri]);
        }
      }
    }
  }
}

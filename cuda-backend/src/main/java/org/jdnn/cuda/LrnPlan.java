package org.jdnn.cuda;

import org.jdnn.tensor.Shape;

/**
 * How one local response normalisation over {@code x (N, C, *)} is computed: by cuDNN
 * ({@code cudnnLRNCrossChannelForward/Backward}) where its definition is PyTorch's, or by jdnn's
 * kernels ({@code lrn_*}).
 *
 * <p>cuDNN's LRN is {@code y = x / (k + alpha/n * sum x^2)^beta} over a window of {@code n}
 * channels: {@code lrnAlpha} is divided by the window width inside cuDNN, as PyTorch divides its
 * alpha by {@code size}, so alpha, beta, k and size pass unchanged. The window is
 * {@code [c - (n-1)/2, c + n - 1 - (n-1)/2]} in cuDNN and {@code [c - size/2, c + (size-1)/2]}
 * in PyTorch: the same for odd sizes, mirrored for even ones, which therefore go to the kernels.
 * cuDNN also requires {@code 1 <= n <= 16} ({@code CUDNN_LRN_MIN_N}, {@code CUDNN_LRN_MAX_N}),
 * {@code k >= 1e-5} ({@code CUDNN_LRN_MIN_K}) and {@code beta >= 0.01} ({@code CUDNN_LRN_MIN_BETA});
 * outside those, and with {@code jdnn.cuda.normalization=jdnn}, the kernels compute. cuDNN sees
 * {@code x} as {@code (N, C, S, 1)}.
 *
 * @param cudnn whether cuDNN computes it
 * @param why why not, or null
 * @param n, c, s the tensor as {@code (N, C, S)}
 * @param dims cuDNN's tensor {@code (N, C, S, 1)}
 */
public record LrnPlan(boolean cudnn, String why, long n, long c, long s, int[] dims, int size, double alpha,
    double beta, double k) {
  public static final int CUDNN_LRN_MIN_N = 1;
  public static final int CUDNN_LRN_MAX_N = 16;
  public static final double CUDNN_LRN_MIN_K = 1e-5;
  public static final double CUDNN_LRN_MIN_BETA = 0.01;
  /** cudnnLRNMode_t CUDNN_LRN_CROSS_CHANNEL_DIM1. */
  public static final int CUDNN_LRN_CROSS_CHANNEL_DIM1 = 0;

  public static LrnPlan of(String op, Shape x, int size, double alpha, double beta, double k, boolean allowCudnn) {
    if (x.rank() < 2) throw new IllegalArgumentException(op + ": x must be (N, C, *), rank >= 2; received " + x);
    if (size < 1) throw new IllegalArgumentException(op + ": size must be >= 1; received " + size);
    if (!Double.isFinite(alpha) || !Double.isFinite(beta) || !Double.isFinite(k)) {
      throw new IllegalArgumentException(op + ": alpha, beta and k must be finite; received " + alpha + ", " + beta
          + ", " + k);
    }
    long n = x.dim(0);
    long c = x.dim(1);
    long s = x.numel(2, x.rank());
    String why = null;
    if (!allowCudnn) why = "jdnn.cuda.normalization=jdnn";
    else if (size % 2 == 0) why = "even size " + size + ": cuDNN's window is PyTorch's mirrored";
    else if (size < CUDNN_LRN_MIN_N || size > CUDNN_LRN_MAX_N) why = "size " + size + " outside cuDNN's 1..16";
    else if (k < CUDNN_LRN_MIN_K) why = "k " + k + " below cuDNN's minimum 1e-5";
    else if (beta < CUDNN_LRN_MIN_BETA) why = "beta " + beta + " below cuDNN's minimum 0.01";
    else if (x.numel() > Integer.MAX_VALUE || s > Integer.MAX_VALUE) why = x + " is too large for a cuDNN descriptor";
    int[] dims = why == null ? new int[] {(int) n, (int) c, (int) s, 1} : null;
    return new LrnPlan(why == null, why, n, c, s, dims, size, alpha, beta, k);
  }
}

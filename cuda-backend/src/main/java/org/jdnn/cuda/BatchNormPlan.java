package org.jdnn.cuda;

import org.jdnn.tensor.Shape;

/**
 * How one batch norm over {@code x (N, C, *)} is computed: by cuDNN's spatial-mode batch
 * normalisation ({@code cudnnBatchNormalizationForwardTraining/Inference/Backward}) or by jdnn's
 * kernels ({@code bn_*}), with the arguments either needs.
 *
 * <p>cuDNN sees {@code x} as the 4-d {@code (N, C, S, 1)}, S the product of the spatial sizes (1
 * for {@code (N, C)}): spatial mode normalises each channel over all the other axes, which is the
 * SPI's definition whatever the spatial rank. Its per-channel tensors are {@code (1, C, 1, 1)}, as
 * {@code cudnnDeriveBNTensorDescriptor} derives them. Training passes a zero exponential-average
 * factor and no running buffers (core updates the running statistics from the saved ones);
 * cuDNN's {@code saveMean} and {@code saveInvVariance} are the SPI's {@code batchMean} and
 * {@code batchInvStd} ({@code 1/sqrt(biased var + eps)}), and the backward takes them back.
 *
 * <p>jdnn's kernels compute instead when {@code jdnn.cuda.normalization=jdnn}, when eps is below
 * {@link #CUDNN_MIN_EPS} (cuDNN 9's {@code CUDNN_BN_MIN_EPSILON} is 0, older releases' 1e-5: below
 * 1e-5 jdnn does not rely on either), or when the tensor is too large for cuDNN's 32-bit
 * descriptor.
 *
 * @param cudnn whether cuDNN computes it
 * @param why why not, or null
 * @param n, c, s the tensor as {@code (N, C, S)}
 * @param xDims cuDNN's data tensor {@code (N, C, S, 1)}
 * @param paramDims cuDNN's per-channel tensor {@code (1, C, 1, 1)}
 * @param eps added to the variance
 */
public record BatchNormPlan(boolean cudnn, String why, long n, long c, long s, int[] xDims, int[] paramDims,
    double eps) {
  /** The smallest eps jdnn gives cuDNN: the largest value {@code CUDNN_BN_MIN_EPSILON} has had. */
  public static final double CUDNN_MIN_EPS = 1e-5;

  /** cudnnBatchNormMode_t CUDNN_BATCHNORM_SPATIAL. */
  public static final int CUDNN_BATCHNORM_SPATIAL = 1;

  public static BatchNormPlan of(String op, Shape x, double eps, boolean allowCudnn) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(op + ": x must be (N, C, *), rank >= 2; received " + x);
    }
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException(op + ": eps must be finite and >= 0; received " + eps);
    }
    long n = x.dim(0);
    long c = x.dim(1);
    long s = x.numel(2, x.rank());
    String why = null;
    if (!allowCudnn) why = "jdnn.cuda.normalization=jdnn";
    else if (eps < CUDNN_MIN_EPS) why = "eps " + eps + " is below 1e-5, the CUDNN_BN_MIN_EPSILON of older cuDNN";
    else if (x.numel() > Integer.MAX_VALUE || s > Integer.MAX_VALUE) why = x + " is too large for a cuDNN descriptor";
    int[] xDims = why == null ? new int[] {(int) n, (int) c, (int) s, 1} : null;
    int[] paramDims = why == null ? new int[] {1, (int) c, 1, 1} : null;
    return new BatchNormPlan(why == null, why, n, c, s, xDims, paramDims, eps);
  }
}

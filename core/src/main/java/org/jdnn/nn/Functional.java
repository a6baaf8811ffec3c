package org.jdnn.nn;

import org.jdnn.ops.Convolution;
import org.jdnn.ops.Losses;
import org.jdnn.ops.MatMul;
import org.jdnn.ops.Movement;
import org.jdnn.ops.Pooling;
import org.jdnn.ops.Upsampling;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.Tensor;

/**
 * Stateless forms of the layers, as {@code torch.nn.functional}: the layers own parameters and
 * call these.
 */
public final class Functional {
  private Functional() {}

  /** 2-d convolution; {@code bias} may be null. */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
    int[] s = {stride, stride};
    int[] p = {padding, padding};
    int[] d = {dilation, dilation};
    return Convolution.conv(x, weight, bias, s, p, d, groups);
  }

  /** {@code x W^T + b} for {@code x (N, in)}; {@code bias} may be null. */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    Tensor y = MatMul.matmul(x, false, weight, true);
    return bias == null ? y : y.add(bias);
  }

  public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    return Pooling.pool(PoolGeometry.Mode.MAX, x, new int[] {kernel, kernel}, new int[] {stride, stride},
        new int[] {padding, padding}, new int[] {1, 1}, false);
  }

  public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding, boolean countIncludePad) {
    return Pooling.pool(countIncludePad ? PoolGeometry.Mode.AVG_INCLUDE_PAD : PoolGeometry.Mode.AVG_EXCLUDE_PAD, x,
        new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, false);
  }

  public static Tensor crossEntropy(Tensor logits, Tensor target) {
    return Losses.crossEntropy(logits, target);
  }

  /** 2-d transposed convolution; {@code bias} may be null. */
  public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding,
      int groups, int dilation) {
    int[] s = {stride, stride};
    int[] p = {padding, padding};
    int[] op = {outputPadding, outputPadding};
    int[] d = {dilation, dilation};
    return Convolution.convTranspose(x, weight, bias, s, p, op, d, groups);
  }

  /** Max pooling that also returns the indices {@link #maxUnpool2d} needs. */
  public static Pooling.WithIndices maxPool2dWithIndices(Tensor x, int kernel, int stride, int padding) {
    return Pooling.maxPoolWithIndices(x, new int[] {kernel, kernel}, new int[] {stride, stride},
        new int[] {padding, padding}, new int[] {1, 1}, false);
  }

  /** Max unpooling to a spatial {@code (H, W)}. */
  public static Tensor maxUnpool2d(Tensor x, Tensor indices, int height, int width) {
    return Pooling.maxUnpool(x, indices, new int[] {height, width});
  }

  public static Tensor adaptiveAvgPool2d(Tensor x, int height, int width) {
    return Pooling.adaptivePool(false, x, new int[] {height, width});
  }

  public static Tensor adaptiveMaxPool2d(Tensor x, int height, int width) {
    return Pooling.adaptivePool(true, x, new int[] {height, width});
  }

  /** {@code torch.nn.functional.pad}: (before, after) pairs from the last axis; mode constant, reflect, replicate or circular. */
  public static Tensor pad(Tensor x, int[] pads, String mode, double value) {
    return Movement.pad(x, pads, PadMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)), value);
  }

  /** {@code torch.nn.functional.interpolate} to a spatial size; mode nearest, linear, bilinear or trilinear. */
  public static Tensor interpolate(Tensor x, int[] size, String mode, boolean alignCorners) {
    UpsampleMode m = mode.equals("nearest") ? UpsampleMode.NEAREST : UpsampleMode.LINEAR;
    return Upsampling.interpolate(x, size, m, alignCorners);
  }

  /** One-hot F32 encoding of integer labels, a trailing axis of {@code classes}. */
  public static Tensor oneHot(Tensor labels, int classes) {
    return Losses.oneHot(labels, classes, org.jdnn.tensor.DType.F32);
  }


  // ---------------------------------------------------------------- normalisation, dropout,
  // activations, softmax and losses (the layers' stateless forms)

  /** As {@code F.batch_norm}; see {@link org.jdnn.ops.Normalization#batchNorm}. */
  public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, double momentum, double eps) {
    return org.jdnn.ops.Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /** As {@code F.local_response_norm}; {@code alpha} is divided by {@code size}. */
  public static Tensor localResponseNorm(Tensor x, int size, double alpha, double beta, double k) {
    return org.jdnn.ops.Normalization.localResponseNorm(x, size, alpha, beta, k);
  }

  /** Element-wise dropout; identity when not training. */
  public static Tensor dropout(Tensor x, double p, boolean training) {
    return org.jdnn.ops.Regularization.dropout(x, p, training);
  }

  /** Channel-wise dropout of {@code (N, C, H, W)}. */
  public static Tensor dropout2d(Tensor x, double p, boolean training) {
    return org.jdnn.ops.Regularization.channelDropout(x, p, training, 2);
  }

  /** Channel-wise dropout of {@code (N, C, D, H, W)}. */
  public static Tensor dropout3d(Tensor x, double p, boolean training) {
    return org.jdnn.ops.Regularization.channelDropout(x, p, training, 3);
  }

  /** Any activation by its descriptor, e.g. {@code activation(x, Activation.leakyRelu(0.2))}. */
  public static Tensor activation(Tensor x, org.jdnn.spi.Activation a) {
    return org.jdnn.ops.Activations.apply(a, x);
  }

  public static Tensor relu6(Tensor x) {
    return activation(x, org.jdnn.spi.Activation.RELU6);
  }

  public static Tensor leakyRelu(Tensor x, double negativeSlope) {
    return activation(x, org.jdnn.spi.Activation.leakyRelu(negativeSlope));
  }

  public static Tensor elu(Tensor x, double alpha) {
    return activation(x, org.jdnn.spi.Activation.elu(alpha));
  }

  public static Tensor selu(Tensor x) {
    return activation(x, org.jdnn.spi.Activation.SELU);
  }

  public static Tensor softplus(Tensor x, double beta, double threshold) {
    return activation(x, org.jdnn.spi.Activation.softplus(beta, threshold));
  }

  public static Tensor softsign(Tensor x) {
    return activation(x, org.jdnn.spi.Activation.SOFTSIGN);
  }

  public static Tensor hardtanh(Tensor x, double min, double max) {
    return activation(x, org.jdnn.spi.Activation.hardtanh(min, max));
  }

  /** Exact GELU, {@code x * Phi(x)}. */
  public static Tensor gelu(Tensor x) {
    return activation(x, org.jdnn.spi.Activation.GELU);
  }

  public static Tensor softmax(Tensor x, int dim) {
    return x.softmax(dim);
  }

  public static Tensor logSoftmax(Tensor x, int dim) {
    return x.logSoftmax(dim);
  }

  /** As {@code F.cross_entropy} with class-index targets; {@code weight} may be null. */
  public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
      double labelSmoothing, org.jdnn.ops.Reduction reduction) {
    return Losses.crossEntropy(input, target, weight, ignoreIndex, labelSmoothing, reduction);
  }

  /** As {@code F.nll_loss}; {@code weight} may be null. */
  public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
      org.jdnn.ops.Reduction reduction) {
    return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
  }

  public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight,
      org.jdnn.ops.Reduction reduction) {
    return Losses.binaryCrossEntropy(input, target, weight, reduction);
  }

  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
      org.jdnn.ops.Reduction reduction) {
    return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
  }

  public static Tensor mseLoss(Tensor input, Tensor target, org.jdnn.ops.Reduction reduction) {
    return Losses.mseLoss(input, target, reduction);
  }

  public static Tensor l1Loss(Tensor input, Tensor target, org.jdnn.ops.Reduction reduction) {
    return Losses.l1Loss(input, target, reduction);
  }

  public static Tensor smoothL1Loss(Tensor input, Tensor target, double beta, org.jdnn.ops.Reduction reduction) {
    return Losses.smoothL1Loss(input, target, beta, reduction);
  }

  public static Tensor diceLoss(Tensor input, Tensor target, Losses.DiceMode mode, boolean fromLogits, double smooth,
      org.jdnn.ops.Reduction reduction) {
    return Losses.diceLoss(input, target, mode, fromLogits, smooth, reduction);
  }
}

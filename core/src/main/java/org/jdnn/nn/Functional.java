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
}

package org.jdnn.nn;

import org.jdnn.ops.Convolution;
import org.jdnn.ops.Losses;
import org.jdnn.ops.MatMul;
import org.jdnn.ops.Pooling;
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
}

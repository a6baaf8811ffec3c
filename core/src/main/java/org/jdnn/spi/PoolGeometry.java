package org.jdnn.spi;

import java.util.Arrays;
import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;

/**
 * A validated N-d pooling window (1 to 3 spatial axes) over input {@code (N, C, *in)}, the
 * analogue of cuDNN's pooling descriptor. Output size per axis follows PyTorch:
 * {@code out = floor_or_ceil((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1}, and in ceil
 * mode the last window must start inside the input or the left padding.
 */
public final class PoolGeometry {
  /** What a window computes. Average pooling either divides by the whole window or only by its in-bounds part. */
  public enum Mode { MAX, AVG_INCLUDE_PAD, AVG_EXCLUDE_PAD }

  public final Mode mode;
  public final int batch;
  public final int channels;
  public final int[] inSize;
  public final int[] kernel;
  public final int[] stride;
  public final int[] padding;
  public final int[] dilation;
  public final boolean ceilMode;
  public final int[] outSize;

  private PoolGeometry(Mode mode, int batch, int channels, int[] inSize, int[] kernel, int[] stride,
      int[] padding, int[] dilation, boolean ceilMode, int[] outSize) {
    this.mode = mode;
    this.batch = batch;
    this.channels = channels;
    this.inSize = inSize;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.ceilMode = ceilMode;
    this.outSize = outSize;
  }

  public static PoolGeometry of(Mode mode, Shape x, int[] kernel, int[] stride, int[] padding,
      int[] dilation, boolean ceilMode) {
    int sr = kernel.length;
    String name = (mode == Mode.MAX ? "max_pool" : "avg_pool") + sr + "d";
    Check.shape(sr >= 1 && sr <= 3, "pool: 1 to 3 spatial axes are supported; received kernel %s", kernel);
    Check.shape(x.rank() == sr + 2, "%s: input must have rank %s (N, C, %s); received shape %s",
        name, sr + 2, sr == 1 ? "L" : sr == 2 ? "H, W" : "D, H, W", x);
    Check.shape(stride.length == sr && padding.length == sr && dilation.length == sr,
        "%s: kernel, stride, padding and dilation need %s values each; received %s, %s, %s, %s",
        name, sr, kernel, stride, padding, dilation);
    Check.shape(mode == Mode.MAX || Arrays.stream(dilation).allMatch(d -> d == 1),
        "%s: average pooling has no dilation; received %s", name, dilation);
    int[] in = new int[sr];
    int[] out = new int[sr];
    for (int i = 0; i < sr; i++) {
      in[i] = x.dim(2 + i);
      Check.shape(kernel[i] >= 1, "%s: kernel_size must be >= 1; received %s", name, kernel);
      Check.shape(stride[i] >= 1, "%s: stride must be >= 1; received %s", name, stride);
      Check.shape(dilation[i] >= 1, "%s: dilation must be >= 1; received %s", name, dilation);
      int span = dilation[i] * (kernel[i] - 1) + 1;
      // PyTorch's rule: padding at most half the kernel, dilated or not. (Half the dilated window
      // would admit windows of padding only, whose max is -infinity.)
      Check.shape(padding[i] >= 0 && 2 * padding[i] <= kernel[i],
          "%s: padding must be between 0 and half the window size; received padding %s, kernel %s",
          name, padding, kernel);
      int room = in[i] + 2 * padding[i] - span;
      Check.shape(room >= 0,
          "%s: window (kernel %s, dilation %s) is larger than the padded input; input shape %s",
          name, kernel, dilation, x);
      int o = (ceilMode ? (room + stride[i] - 1) / stride[i] : room / stride[i]) + 1;
      // PyTorch: in ceil mode the last window must start inside the input or the left padding.
      if (ceilMode && (o - 1) * stride[i] >= in[i] + padding[i]) o--;
      out[i] = o;
    }
    return new PoolGeometry(mode, x.dim(0), x.dim(1), in, kernel.clone(), stride.clone(),
        padding.clone(), dilation.clone(), ceilMode, out);
  }

  public int spatialRank() {
    return kernel.length;
  }

  public Shape inputShape() {
    return ConvGeometry.withSpatial(batch, channels, inSize);
  }

  public Shape outputShape() {
    return ConvGeometry.withSpatial(batch, channels, outSize);
  }

  public int inVolume() {
    return ConvGeometry.prod(inSize);
  }

  public int outVolume() {
    return ConvGeometry.prod(outSize);
  }

  @Override
  public String toString() {
    return "PoolGeometry{" + mode + ", in=" + inputShape() + ", out=" + outputShape() + ", kernel="
        + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
        + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", ceil=" + ceilMode + "}";
  }
}

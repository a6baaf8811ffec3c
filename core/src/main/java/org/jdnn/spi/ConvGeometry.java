package org.jdnn.spi;

import java.util.Arrays;
import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;

/**
 * A validated N-d convolution (1 to 3 spatial axes), the analogue of cuDNN's convolution and
 * filter descriptors: input {@code (N, C_in, *in)}, weight {@code (C_out, C_in/groups, *kernel)},
 * output {@code (N, C_out, *out)} with, per spatial axis,
 * {@code out = floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1}.
 *
 * <p>Built only by {@link #of}, which checks every rule; backends receive it and never re-derive a
 * shape.
 */
public final class ConvGeometry {
  public final int batch;
  public final int inChannels;
  public final int outChannels;
  public final int groups;
  public final int[] inSize;
  public final int[] kernel;
  public final int[] stride;
  public final int[] padding;
  public final int[] dilation;
  public final int[] outSize;

  private ConvGeometry(int batch, int inChannels, int outChannels, int groups, int[] inSize,
      int[] kernel, int[] stride, int[] padding, int[] dilation, int[] outSize) {
    this.batch = batch;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
    this.inSize = inSize;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.outSize = outSize;
  }

  /**
   * Validates a convolution of input shape {@code x} with weight shape {@code w}.
   *
   * @param stride, padding, dilation one value per spatial axis (symmetric padding)
   */
  public static ConvGeometry of(Shape x, Shape w, int[] stride, int[] padding, int[] dilation, int groups) {
    int sr = w.rank() - 2;
    Check.shape(sr >= 1 && sr <= 3, "conv: weight must have rank 3, 4 or 5 (C_out, C_in/groups, *kernel); received %s", w);
    String name = "conv" + sr + "d";
    Check.shape(x.rank() == sr + 2,
        "%s: input must have rank %s (N, C, %s); received shape %s", name, sr + 2,
        sr == 1 ? "L" : sr == 2 ? "H, W" : "D, H, W", x);
    Check.shape(stride.length == sr && padding.length == sr && dilation.length == sr,
        "%s: stride, padding and dilation need %s values each; received %s, %s, %s",
        name, sr, stride, padding, dilation);
    Check.shape(groups >= 1, "%s: groups must be >= 1; received %s", name, groups);
    int cin = x.dim(1);
    int cout = w.dim(0);
    Check.shape(cout % groups == 0,
        "%s: out_channels must be divisible by groups; received out_channels=%s, groups=%s", name, cout, groups);
    Check.shape(w.dim(1) * groups == cin,
        "%s: input channels must equal weight in_channels/groups (%s) x groups (%s) = %s; received input of shape %s",
        name, w.dim(1), groups, w.dim(1) * groups, x);
    int[] in = new int[sr];
    int[] k = new int[sr];
    int[] out = new int[sr];
    for (int i = 0; i < sr; i++) {
      in[i] = x.dim(2 + i);
      k[i] = w.dim(2 + i);
      Check.shape(stride[i] >= 1, "%s: stride must be >= 1; received %s", name, stride);
      Check.shape(padding[i] >= 0, "%s: padding must be >= 0; received %s", name, padding);
      Check.shape(dilation[i] >= 1, "%s: dilation must be >= 1; received %s", name, dilation);
      Check.shape(k[i] >= 1, "%s: kernel size must be >= 1; received weight shape %s", name, w);
      int span = dilation[i] * (k[i] - 1) + 1;
      Check.shape(in[i] + 2 * padding[i] >= span,
          "%s: kernel (%s, dilation %s) is larger than the padded input; input shape %s, padding %s",
          name, Arrays.toString(k), Arrays.toString(dilation), x, Arrays.toString(padding));
      out[i] = (in[i] + 2 * padding[i] - span) / stride[i] + 1;
    }
    return new ConvGeometry(x.dim(0), cin, cout, groups, in, k, stride.clone(), padding.clone(),
        dilation.clone(), out);
  }

  /** Number of spatial axes (1, 2 or 3). */
  public int spatialRank() {
    return kernel.length;
  }

  public Shape inputShape() {
    return withSpatial(batch, inChannels, inSize);
  }

  public Shape outputShape() {
    return withSpatial(batch, outChannels, outSize);
  }

  public Shape weightShape() {
    return withSpatial(outChannels, inChannels / groups, kernel);
  }

  /** Elements of one kernel window: {@code prod(kernel)}. */
  public int kernelVolume() {
    return prod(kernel);
  }

  public int inVolume() {
    return prod(inSize);
  }

  public int outVolume() {
    return prod(outSize);
  }

  /** Multiply-accumulates of the forward pass. */
  public long macs() {
    return (long) batch * outChannels * outVolume() * (inChannels / groups) * kernelVolume();
  }

  static int prod(int[] a) {
    int p = 1;
    for (int v : a) p *= v;
    return p;
  }

  static Shape withSpatial(int n, int c, int[] spatial) {
    int[] d = new int[spatial.length + 2];
    d[0] = n;
    d[1] = c;
    System.arraycopy(spatial, 0, d, 2, spatial.length);
    return Shape.of(d);
  }

  @Override
  public String toString() {
    return "ConvGeometry{in=" + inputShape() + ", weight=" + weightShape() + ", out=" + outputShape()
        + ", stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
        + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups + "}";
  }
}

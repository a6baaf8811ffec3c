package org.jdnn.nn;

import java.util.Arrays;
import org.jdnn.ops.Convolution;
import org.jdnn.spi.Backends;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Base of {@link Conv2d} and its 1-d and 3-d siblings: parameters {@code weight}
 * {@code (out_channels, in_channels/groups, *kernel_size)} and optional {@code bias}
 * {@code (out_channels)}, initialised as PyTorch does ({@link Init#pytorchDefault}).
 */
public abstract class ConvNd extends Module {
  protected final int inChannels;
  protected final int outChannels;
  protected final int[] kernelSize;
  protected final int[] stride;
  protected final int[] padding;
  protected final int[] dilation;
  protected final int groups;

  protected ConvNd(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
      int[] dilation, int groups, boolean bias) {
    String name = getClass().getSimpleName();
    Check.arg(inChannels > 0 && outChannels > 0,
        "%s: in_channels and out_channels must be positive; received %s and %s", name, inChannels, outChannels);
    Check.arg(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
        "%s: in_channels (%s) and out_channels (%s) must be divisible by groups (%s)",
        name, inChannels, outChannels, groups);
    for (int[] a : new int[][] {kernelSize, stride, dilation}) {
      for (int v : a) Check.arg(v > 0, "%s: kernel_size, stride and dilation must be positive; received %s, %s, %s",
          name, kernelSize, stride, dilation);
    }
    for (int v : padding) Check.arg(v >= 0, "%s: padding must be >= 0; received %s", name, padding);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize.clone();
    this.stride = stride.clone();
    this.padding = padding.clone();
    this.dilation = dilation.clone();
    this.groups = groups;
    int[] w = new int[kernelSize.length + 2];
    w[0] = outChannels;
    w[1] = inChannels / groups;
    System.arraycopy(kernelSize, 0, w, 2, kernelSize.length);
    Tensor weight = registerParameter("weight", Tensor.empty(Shape.of(w), DType.F32, Backends.cpu()));
    Tensor b = bias ? registerParameter("bias", Tensor.empty(Shape.of(outChannels), DType.F32, Backends.cpu())) : null;
    Init.pytorchDefault(weight, b);
  }

  public Tensor weight() {
    return param("weight");
  }

  /** The bias, or null when built without one. */
  public Tensor bias() {
    return param("bias");
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return Convolution.conv(x, weight(), bias(), stride, padding, dilation, groups);
  }

  /** The validated geometry for an input shape; used by {@code summary} and shape inference. */
  public ConvGeometry geometry(Shape input) {
    return ConvGeometry.of(input, weight().shape(), stride, padding, dilation, groups);
  }

  /** Repeats a single size over {@code rank} axes, as PyTorch's {@code _pair}/{@code _triple}. */
  protected static int[] repeat(int value, int rank) {
    int[] a = new int[rank];
    Arrays.fill(a, value);
    return a;
  }

  @Override
  protected String extraRepr() {
    StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
        .append(", kernel_size=").append(tuple(kernelSize)).append(", stride=").append(tuple(stride));
    if (Arrays.stream(padding).anyMatch(p -> p != 0)) sb.append(", padding=").append(tuple(padding));
    if (Arrays.stream(dilation).anyMatch(d -> d != 1)) sb.append(", dilation=").append(tuple(dilation));
    if (groups != 1) sb.append(", groups=").append(groups);
    if (bias() == null) sb.append(", bias=False");
    return sb.toString();
  }

  static String tuple(int[] a) {
    return "(" + Arrays.toString(a).replace("[", "").replace("]", "") + (a.length == 1 ? ",)" : ")");
  }
}

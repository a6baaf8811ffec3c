package org.jdnn.nn;

import java.util.Arrays;
import java.util.Locale;
import org.jdnn.ops.Convolution;
import org.jdnn.spi.Backends;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PadMode;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Base of {@link Conv1d}, {@link Conv2d} and {@link Conv3d}, as PyTorch's {@code _ConvNd}:
 * parameters {@code weight (out_channels, in_channels/groups, *kernel_size)} and optional
 * {@code bias (out_channels)}, initialised as PyTorch does ({@link Init#pytorchDefault}); padding
 * per axis, per side, {@code same} or {@code valid}, with mode {@code zeros}, {@code reflect},
 * {@code replicate} or {@code circular}.
 */
public abstract class ConvNd extends Module {
  protected final int inChannels;
  protected final int outChannels;
  protected final int[] kernelSize;
  protected final int[] stride;
  protected final int[] padBefore;
  protected final int[] padAfter;
  protected final int[] dilation;
  protected final int groups;
  protected final PadMode paddingMode;
  private final String paddingSpec;

  protected ConvNd(Builder<?, ?> b) {
    String name = getClass().getSimpleName();
    int rank = b.rank;
    Check.arg(b.in > 0 && b.out > 0,
        "%s: in_channels and out_channels must be positive; received %s and %s", name, b.in, b.out);
    Check.arg(b.groups > 0 && b.in % b.groups == 0 && b.out % b.groups == 0,
        "%s: in_channels (%s) and out_channels (%s) must be divisible by groups (%s)", name, b.in, b.out, b.groups);
    kernelSize = expand(name, "kernel_size", b.kernel, rank);
    stride = expand(name, "stride", b.stride, rank);
    dilation = expand(name, "dilation", b.dilation, rank);
    for (int i = 0; i < rank; i++) {
      Check.arg(kernelSize[i] > 0 && stride[i] > 0 && dilation[i] > 0,
          "%s: kernel_size, stride and dilation must be positive; received %s, %s, %s", name, kernelSize, stride, dilation);
    }
    if (b.same) {
      Check.arg(Arrays.stream(stride).allMatch(s -> s == 1),
          "%s: padding='same' is not supported for strided convolutions; received stride %s", name, stride);
      padBefore = new int[rank];
      padAfter = new int[rank];
      for (int i = 0; i < rank; i++) { // as PyTorch: the extra element goes after
        int total = dilation[i] * (kernelSize[i] - 1);
        padBefore[i] = total / 2;
        padAfter[i] = total - padBefore[i];
      }
      paddingSpec = "same";
    } else {
      padBefore = expand(name, "padding", b.padBefore, rank);
      padAfter = b.padAfter == null ? padBefore.clone() : expand(name, "padding", b.padAfter, rank);
      for (int i = 0; i < rank; i++) {
        Check.arg(padBefore[i] >= 0 && padAfter[i] >= 0, "%s: padding must be >= 0; received %s and %s",
            name, padBefore, padAfter);
      }
      paddingSpec = b.valid ? "valid" : null;
    }
    this.inChannels = b.in;
    this.outChannels = b.out;
    this.groups = b.groups;
    this.paddingMode = b.mode;
    int[] w = new int[rank + 2];
    w[0] = outChannels;
    w[1] = inChannels / groups;
    System.arraycopy(kernelSize, 0, w, 2, rank);
    Tensor weight = registerParameter("weight", Tensor.empty(Shape.of(w), DType.F32, Backends.cpu()));
    Tensor bias = b.bias ? registerParameter("bias", Tensor.empty(Shape.of(outChannels), DType.F32, Backends.cpu())) : null;
    Init.pytorchDefault(weight, bias);
  }

  /** One value repeated over {@code rank} axes, or exactly {@code rank} values. */
  static int[] expand(String layer, String arg, int[] values, int rank) {
    if (values.length == 1 && rank > 1) {
      int[] a = new int[rank];
      Arrays.fill(a, values[0]);
      return a;
    }
    Check.arg(values.length == rank, "%s: %s needs 1 or %s values; received %s", layer, arg, rank, values);
    return values.clone();
  }

  public Tensor weight() {
    return param("weight");
  }

  /** The bias, or null when built without one. */
  public Tensor bias() {
    return param("bias");
  }

  private boolean symmetricZeros() {
    return paddingMode == PadMode.CONSTANT && Arrays.equals(padBefore, padAfter);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    if (symmetricZeros()) return Convolution.conv(x, weight(), bias(), stride, padBefore, dilation, groups);
    return Convolution.conv(x, weight(), bias(), stride, padBefore, padAfter, paddingMode, dilation, groups);
  }

  /**
   * The geometry of the convolution proper for an input shape (after any explicit padding); used
   * by {@code summary} and shape inference.
   */
  public ConvGeometry geometry(Shape input) {
    if (symmetricZeros()) return ConvGeometry.of(input, weight().shape(), stride, padBefore, dilation, groups);
    int[] padded = input.toArray();
    for (int i = 0; i < kernelSize.length && i + 2 < padded.length; i++) padded[i + 2] += padBefore[i] + padAfter[i];
    return ConvGeometry.of(Shape.of(padded), weight().shape(), stride, new int[kernelSize.length], dilation, groups);
  }

  @Override
  protected String extraRepr() {
    StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
        .append(", kernel_size=").append(tuple(kernelSize)).append(", stride=").append(tuple(stride));
    if (paddingSpec != null) {
      sb.append(", padding=").append(paddingSpec);
    } else if (!Arrays.equals(padBefore, padAfter)) {
      sb.append(", padding=(").append(tuple(padBefore)).append(", ").append(tuple(padAfter)).append(')');
    } else if (Arrays.stream(padBefore).anyMatch(p -> p != 0)) {
      sb.append(", padding=").append(tuple(padBefore));
    }
    if (Arrays.stream(dilation).anyMatch(d -> d != 1)) sb.append(", dilation=").append(tuple(dilation));
    if (groups != 1) sb.append(", groups=").append(groups);
    if (bias() == null) sb.append(", bias=False");
    if (paddingMode != PadMode.CONSTANT) sb.append(", padding_mode=").append(modeName(paddingMode));
    return sb.toString();
  }

  static String tuple(int[] a) {
    return "(" + Arrays.toString(a).replace("[", "").replace("]", "") + (a.length == 1 ? ",)" : ")");
  }

  static String modeName(PadMode m) {
    return m == PadMode.CONSTANT ? "zeros" : m.name().toLowerCase(Locale.ROOT);
  }

  /** Parses PyTorch's {@code padding_mode} names. */
  static PadMode parseMode(String mode) {
    switch (mode) {
      case "zeros": return PadMode.CONSTANT;
      case "reflect": return PadMode.REFLECT;
      case "replicate": return PadMode.REPLICATE;
      case "circular": return PadMode.CIRCULAR;
      default:
        throw new IllegalArgumentException(
            "padding_mode must be one of zeros, reflect, replicate, circular; received '" + mode + "'");
    }
  }

  /**
   * Optional arguments with PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1, bias,
   * padding mode zeros. Sizes take one value for every axis or one per axis.
   */
  public abstract static class Builder<B extends Builder<B, M>, M extends ConvNd> {
    final int rank;
    final int in;
    final int out;
    int[] kernel;
    int[] stride = {1};
    int[] padBefore = {0};
    int[] padAfter;
    int[] dilation = {1};
    int groups = 1;
    boolean bias = true;
    boolean same;
    boolean valid;
    PadMode mode = PadMode.CONSTANT;

    protected Builder(int rank, int in, int out, int kernel) {
      this.rank = rank;
      this.in = in;
      this.out = out;
      this.kernel = new int[] {kernel};
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    public B kernel(int... k) {
      kernel = k.clone();
      return self();
    }

    public B stride(int... s) {
      stride = s.clone();
      return self();
    }

    /** Symmetric padding: one value for every axis, or one per axis. */
    public B padding(int... p) {
      padBefore = p.clone();
      padAfter = null;
      same = false;
      valid = false;
      return self();
    }

    /** Different padding before and after each axis (per-side). */
    public B padding(int[] before, int[] after) {
      padBefore = before.clone();
      padAfter = after.clone();
      same = false;
      valid = false;
      return self();
    }

    /** PyTorch's {@code padding='same'} (stride 1) or {@code 'valid'} (no padding). */
    public B padding(String spec) {
      switch (spec) {
        case "same":
          same = true;
          valid = false;
          break;
        case "valid":
          padding(0);
          valid = true;
          break;
        default:
          throw new IllegalArgumentException("padding must be 'same', 'valid' or sizes; received '" + spec + "'");
      }
      return self();
    }

    /** {@code zeros}, {@code reflect}, {@code replicate} or {@code circular}. */
    public B paddingMode(String m) {
      mode = parseMode(m);
      return self();
    }

    public B dilation(int... d) {
      dilation = d.clone();
      return self();
    }

    public B groups(int g) {
      groups = g;
      return self();
    }

    public B bias(boolean b) {
      bias = b;
      return self();
    }

    public abstract M build();
  }
}

package org.jdnn.nn;

import java.util.Arrays;
import org.jdnn.ops.Convolution;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Base of {@link ConvTranspose1d}, {@link ConvTranspose2d} and {@link ConvTranspose3d}, as
 * PyTorch's {@code _ConvTransposeNd}: weight {@code (in_channels, out_channels/groups, *kernel_size)},
 * bias {@code (out_channels)}, PyTorch's default initialisation.
 *
 * <p>Shape: {@code out = (in - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1}.
 */
public abstract class ConvTransposeNd extends Module {
  protected final int inChannels;
  protected final int outChannels;
  protected final int[] kernelSize;
  protected final int[] stride;
  protected final int[] padding;
  protected final int[] outputPadding;
  protected final int[] dilation;
  protected final int groups;

  protected ConvTransposeNd(Builder<?, ?> b) {
    String name = getClass().getSimpleName();
    int rank = b.rank;
    Check.arg(b.in > 0 && b.out > 0,
        "%s: in_channels and out_channels must be positive; received %s and %s", name, b.in, b.out);
    Check.arg(b.groups > 0 && b.in % b.groups == 0 && b.out % b.groups == 0,
        "%s: in_channels (%s) and out_channels (%s) must be divisible by groups (%s)", name, b.in, b.out, b.groups);
    kernelSize = ConvNd.expand(name, "kernel_size", b.kernel, rank);
    stride = ConvNd.expand(name, "stride", b.stride, rank);
    padding = ConvNd.expand(name, "padding", b.padding, rank);
    outputPadding = ConvNd.expand(name, "output_padding", b.outputPadding, rank);
    dilation = ConvNd.expand(name, "dilation", b.dilation, rank);
    for (int i = 0; i < rank; i++) {
      Check.arg(kernelSize[i] > 0 && stride[i] > 0 && dilation[i] > 0 && padding[i] >= 0,
          "%s: kernel_size, stride and dilation must be positive and padding >= 0; received %s, %s, %s, %s",
          name, kernelSize, stride, dilation, padding);
      Check.arg(outputPadding[i] >= 0 && (outputPadding[i] < stride[i] || outputPadding[i] < dilation[i]),
          "%s: output_padding must be smaller than either stride or dilation; received output_padding %s, stride %s, dilation %s",
          name, outputPadding, stride, dilation);
    }
    inChannels = b.in;
    outChannels = b.out;
    groups = b.groups;
    int[] w = new int[rank + 2];
    w[0] = inChannels;
    w[1] = outChannels / groups;
    System.arraycopy(kernelSize, 0, w, 2, rank);
    Tensor weight = registerParameter("weight", Tensor.empty(Shape.of(w), DType.F32, Backends.cpu()));
    Tensor bias = b.bias ? registerParameter("bias", Tensor.empty(Shape.of(outChannels), DType.F32, Backends.cpu())) : null;
    Init.pytorchDefault(weight, bias); // fan_in from weight.size(1) * prod(kernel), as PyTorch
  }

  public Tensor weight() {
    return param("weight");
  }

  public Tensor bias() {
    return param("bias");
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return Convolution.convTranspose(x, weight(), bias(), stride, padding, outputPadding, dilation, groups);
  }

  @Override
  protected String extraRepr() {
    StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
        .append(", kernel_size=").append(ConvNd.tuple(kernelSize)).append(", stride=").append(ConvNd.tuple(stride));
    if (Arrays.stream(padding).anyMatch(p -> p != 0)) sb.append(", padding=").append(ConvNd.tuple(padding));
    if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) sb.append(", output_padding=").append(ConvNd.tuple(outputPadding));
    if (Arrays.stream(dilation).anyMatch(d -> d != 1)) sb.append(", dilation=").append(ConvNd.tuple(dilation));
    if (groups != 1) sb.append(", groups=").append(groups);
    if (bias() == null) sb.append(", bias=False");
    return sb.toString();
  }

  /** Optional arguments with PyTorch's defaults: stride 1, padding 0, output_padding 0, dilation 1, groups 1, bias. */
  public abstract static class Builder<B extends Builder<B, M>, M extends ConvTransposeNd> {
    final int rank;
    final int in;
    final int out;
    int[] kernel;
    int[] stride = {1};
    int[] padding = {0};
    int[] outputPadding = {0};
    int[] dilation = {1};
    int groups = 1;
    boolean bias = true;

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

    public B padding(int... p) {
      padding = p.clone();
      return self();
    }

    public B outputPadding(int... p) {
      outputPadding = p.clone();
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

package org.jdnn.nn;

/**
 * 2-d convolution over {@code (N, C_in, H, W)}, as {@code torch.nn.Conv2d}.
 *
 * <p>Shape: output {@code (N, C_out, H_out, W_out)} with
 * {@code H_out = floor((H + pad_top + pad_bottom - dilation*(kernel-1) - 1) / stride) + 1}, likewise W.
 *
 * <pre>{@code
 * Conv2d c3 = new Conv2d(6, 16, 5);                                     // LeNet-5's C3
 * Conv2d c1 = Conv2d.builder(1, 6, 5).padding(2).build();               // C1 on 28x28 input
 * Conv2d dw = Conv2d.builder(32, 32, 3).padding(1).groups(32).build();  // depthwise
 * Conv2d rf = Conv2d.builder(3, 8, 3).padding("same").paddingMode("reflect").build();
 * }</pre>
 */
public final class Conv2d extends ConvNd {
  /** Stride 1, no padding, bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  private Conv2d(Builder b) {
    super(b);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** See {@link ConvNd.Builder}. */
  public static final class Builder extends ConvNd.Builder<Builder, Conv2d> {
    private Builder(int in, int out, int kernel) {
      super(2, in, out, kernel);
    }

    @Override
    public Conv2d build() {
      return new Conv2d(this);
    }
  }
}

package org.jdnn.nn;

/**
 * 2-d convolution over {@code (N, C_in, H, W)}, as {@code torch.nn.Conv2d}.
 *
 * <p>Shape: output {@code (N, C_out, H_out, W_out)} with
 * {@code H_out = floor((H + 2*padding - dilation*(kernel-1) - 1) / stride) + 1}, likewise W.
 *
 * <pre>{@code
 * Conv2d c3 = new Conv2d(6, 16, 5);                                  // LeNet-5's C3
 * Conv2d c1 = Conv2d.builder(1, 6, 5).padding(2).build();            // C1 on 28x28 input
 * Conv2d dw = Conv2d.builder(32, 32, 3).padding(1).groups(32).build(); // depthwise
 * }</pre>
 */
public final class Conv2d extends ConvNd {
  /** Stride 1, no padding, bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, repeat(1, 2), repeat(0, 2), repeat(1, 2), 1, true);
  }

  private Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {
    super(in, out, kernel, stride, padding, dilation, groups, bias);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** Optional arguments with PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1, bias. */
  public static final class Builder {
    private final int in;
    private final int out;
    private int[] kernel;
    private int[] stride = repeat(1, 2);
    private int[] padding = repeat(0, 2);
    private int[] dilation = repeat(1, 2);
    private int groups = 1;
    private boolean bias = true;

    private Builder(int in, int out, int kernel) {
      this.in = in;
      this.out = out;
      this.kernel = repeat(kernel, 2);
    }

    public Builder kernel(int h, int w) {
      kernel = new int[] {h, w};
      return this;
    }

    public Builder stride(int s) {
      stride = repeat(s, 2);
      return this;
    }

    public Builder stride(int sh, int sw) {
      stride = new int[] {sh, sw};
      return this;
    }

    public Builder padding(int p) {
      padding = repeat(p, 2);
      return this;
    }

    public Builder padding(int ph, int pw) {
      padding = new int[] {ph, pw};
      return this;
    }

    public Builder dilation(int d) {
      dilation = repeat(d, 2);
      return this;
    }

    public Builder groups(int g) {
      groups = g;
      return this;
    }

    public Builder bias(boolean b) {
      bias = b;
      return this;
    }

    public Conv2d build() {
      return new Conv2d(in, out, kernel, stride, padding, dilation, groups, bias);
    }
  }
}

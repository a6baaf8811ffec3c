package org.jdnn.nn;

/**
 * 1-d transposed convolution over {@code (N, C_in, L)}, as {@code torch.nn.ConvTranspose1d}: the gradient of a
 * convolution with respect to its input, used to upsample (U-Net's up-convolutions, FCN).
 *
 * <pre>{@code
 * ConvTranspose1d up = ConvTranspose1d.builder(64, 32, 2).stride(2).build();   // doubles each spatial size
 * }</pre>
 */
public final class ConvTranspose1d extends ConvTransposeNd {
  /** Stride 1, no padding, bias. */
  public ConvTranspose1d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  private ConvTranspose1d(Builder b) {
    super(b);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** See {@link ConvTransposeNd.Builder}. */
  public static final class Builder extends ConvTransposeNd.Builder<Builder, ConvTranspose1d> {
    private Builder(int in, int out, int kernel) {
      super(1, in, out, kernel);
    }

    @Override
    public ConvTranspose1d build() {
      return new ConvTranspose1d(this);
    }
  }
}

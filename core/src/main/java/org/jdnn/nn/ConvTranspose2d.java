package org.jdnn.nn;

/**
 * 2-d transposed convolution over {@code (N, C_in, H, W)}, as {@code torch.nn.ConvTranspose2d}: the gradient of a
 * convolution with respect to its input, used to upsample (U-Net's up-convolutions, FCN).
 *
 * <pre>{@code
 * ConvTranspose2d up = ConvTranspose2d.builder(64, 32, 2).stride(2).build();   // doubles each spatial size
 * }</pre>
 */
public final class ConvTranspose2d extends ConvTransposeNd {
  /** Stride 1, no padding, bias. */
  public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  private ConvTranspose2d(Builder b) {
    super(b);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** See {@link ConvTransposeNd.Builder}. */
  public static final class Builder extends ConvTransposeNd.Builder<Builder, ConvTranspose2d> {
    private Builder(int in, int out, int kernel) {
      super(2, in, out, kernel);
    }

    @Override
    public ConvTranspose2d build() {
      return new ConvTranspose2d(this);
    }
  }
}

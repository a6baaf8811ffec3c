package org.jdnn.nn;

/**
 * 3-d transposed convolution over {@code (N, C_in, D, H, W)}, as {@code torch.nn.ConvTranspose3d}: the gradient of a
 * convolution with respect to its input, used to upsample (U-Net's up-convolutions, FCN).
 *
 * <pre>{@code
 * ConvTranspose3d up = ConvTranspose3d.builder(64, 32, 2).stride(2).build();   // doubles each spatial size
 * }</pre>
 */
public final class ConvTranspose3d extends ConvTransposeNd {
  /** Stride 1, no padding, bias. */
  public ConvTranspose3d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  private ConvTranspose3d(Builder b) {
    super(b);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** See {@link ConvTransposeNd.Builder}. */
  public static final class Builder extends ConvTransposeNd.Builder<Builder, ConvTranspose3d> {
    private Builder(int in, int out, int kernel) {
      super(3, in, out, kernel);
    }

    @Override
    public ConvTranspose3d build() {
      return new ConvTranspose3d(this);
    }
  }
}

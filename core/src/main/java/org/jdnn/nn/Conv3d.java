package org.jdnn.nn;

/**
 * 3-d convolution over {@code (N, C_in, D, H, W)}, as {@code torch.nn.Conv3d}; options as {@link Conv2d}.
 */
public final class Conv3d extends ConvNd {
  /** Stride 1, no padding, bias. */
  public Conv3d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  private Conv3d(Builder b) {
    super(b);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** See {@link ConvNd.Builder}. */
  public static final class Builder extends ConvNd.Builder<Builder, Conv3d> {
    private Builder(int in, int out, int kernel) {
      super(3, in, out, kernel);
    }

    @Override
    public Conv3d build() {
      return new Conv3d(this);
    }
  }
}

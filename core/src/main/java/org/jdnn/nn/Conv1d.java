package org.jdnn.nn;

/**
 * 1-d convolution over {@code (N, C_in, L)}, as {@code torch.nn.Conv1d}; options as {@link Conv2d}.
 */
public final class Conv1d extends ConvNd {
  /** Stride 1, no padding, bias. */
  public Conv1d(int inChannels, int outChannels, int kernelSize) {
    this(builder(inChannels, outChannels, kernelSize));
  }

  private Conv1d(Builder b) {
    super(b);
  }

  public static Builder builder(int inChannels, int outChannels, int kernelSize) {
    return new Builder(inChannels, outChannels, kernelSize);
  }

  /** See {@link ConvNd.Builder}. */
  public static final class Builder extends ConvNd.Builder<Builder, Conv1d> {
    private Builder(int in, int out, int kernel) {
      super(1, in, out, kernel);
    }

    @Override
    public Conv1d build() {
      return new Conv1d(this);
    }
  }
}

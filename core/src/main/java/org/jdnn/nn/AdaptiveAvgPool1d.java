package org.jdnn.nn;

/** Adaptive avg pooling over 1 spatial axes, as {@code torch.nn.AdaptiveAvgPool1d}; see {@link AdaptivePoolNd}. */
public final class AdaptiveAvgPool1d extends AdaptivePoolNd {
  /** One size for every axis, or one per axis. */
  public AdaptiveAvgPool1d(int... outputSize) {
    super(false, 1, outputSize);
  }
}

package org.jdnn.nn;

/** Adaptive avg pooling over 3 spatial axes, as {@code torch.nn.AdaptiveAvgPool3d}; see {@link AdaptivePoolNd}. */
public final class AdaptiveAvgPool3d extends AdaptivePoolNd {
  /** One size for every axis, or one per axis. */
  public AdaptiveAvgPool3d(int... outputSize) {
    super(false, 3, outputSize);
  }
}

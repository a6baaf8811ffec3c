package org.jdnn.nn;

/** Adaptive avg pooling over 2 spatial axes, as {@code torch.nn.AdaptiveAvgPool2d}; see {@link AdaptivePoolNd}. */
public final class AdaptiveAvgPool2d extends AdaptivePoolNd {
  /** One size for every axis, or one per axis. */
  public AdaptiveAvgPool2d(int... outputSize) {
    super(false, 2, outputSize);
  }
}

package org.jdnn.nn;

/** Adaptive max pooling over 3 spatial axes, as {@code torch.nn.AdaptiveMaxPool3d}; see {@link AdaptivePoolNd}. */
public final class AdaptiveMaxPool3d extends AdaptivePoolNd {
  /** One size for every axis, or one per axis. */
  public AdaptiveMaxPool3d(int... outputSize) {
    super(true, 3, outputSize);
  }
}

package org.jdnn.nn;

/** Adaptive max pooling over 2 spatial axes, as {@code torch.nn.AdaptiveMaxPool2d}; see {@link AdaptivePoolNd}. */
public final class AdaptiveMaxPool2d extends AdaptivePoolNd {
  /** One size for every axis, or one per axis. */
  public AdaptiveMaxPool2d(int... outputSize) {
    super(true, 2, outputSize);
  }
}

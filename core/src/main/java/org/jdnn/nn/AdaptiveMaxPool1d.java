package org.jdnn.nn;

/** Adaptive max pooling over 1 spatial axes, as {@code torch.nn.AdaptiveMaxPool1d}; see {@link AdaptivePoolNd}. */
public final class AdaptiveMaxPool1d extends AdaptivePoolNd {
  /** One size for every axis, or one per axis. */
  public AdaptiveMaxPool1d(int... outputSize) {
    super(true, 1, outputSize);
  }
}

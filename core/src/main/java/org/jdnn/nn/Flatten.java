package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/** Flattens axes {@code startDim..} into one, as {@code torch.nn.Flatten} (default start 1). */
public final class Flatten extends Module {
  private final int startDim;

  public Flatten() {
    this(1);
  }

  public Flatten(int startDim) {
    this.startDim = startDim;
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return x.flatten(startDim);
  }

  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=-1";
  }
}

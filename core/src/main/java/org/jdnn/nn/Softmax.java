package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/**
 * Softmax along {@code dim} (negative counts from the end), as {@code torch.nn.Softmax(dim)}; the
 * axis is required, as PyTorch's implicit choice is deprecated. Any shape, output as input.
 */
public final class Softmax extends Module {
  private final int dim;

  public Softmax(int dim) {
    this.dim = dim;
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return x.softmax(dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}

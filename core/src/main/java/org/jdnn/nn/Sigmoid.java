package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/** Element-wise {@code sigmoid}, as {@code torch.nn.Sigmoid}; any shape. */
public final class Sigmoid extends Module {
  @Override
  protected Tensor forwardImpl(Tensor x) {
    return x.sigmoid();
  }
}

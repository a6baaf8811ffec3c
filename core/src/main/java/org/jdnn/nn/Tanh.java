package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/** Element-wise {@code tanh}, as {@code torch.nn.Tanh}; any shape. */
public final class Tanh extends Module {
  @Override
  protected Tensor forwardImpl(Tensor x) {
    return x.tanh();
  }
}

package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/** Element-wise {@code relu}, as {@code torch.nn.ReLU}; any shape. */
public final class ReLU extends Module {
  @Override
  protected Tensor forwardImpl(Tensor x) {
    return x.relu();
  }
}

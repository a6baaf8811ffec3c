package org.jdnn.nn;

import org.jdnn.spi.Activation;

/** {@code min(max(0, x), 6)}, as {@code torch.nn.ReLU6}; any shape. */
public final class ReLU6 extends ActivationLayer {
  public ReLU6() {
    super(Activation.RELU6);
  }
}

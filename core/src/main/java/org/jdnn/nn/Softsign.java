package org.jdnn.nn;

import org.jdnn.spi.Activation;

/** {@code x / (1 + |x|)}, as {@code torch.nn.Softsign}; any shape. */
public final class Softsign extends ActivationLayer {
  public Softsign() {
    super(Activation.SOFTSIGN);
  }
}

package org.jdnn.nn;

import org.jdnn.spi.Activation;

/**
 * {@code x * Phi(x)} with the exact normal CDF, as {@code torch.nn.GELU()} (approximate='none';
 * Hendrycks and Gimpel 2016, https://arxiv.org/abs/1606.08415); any shape.
 */
public final class GELU extends ActivationLayer {
  public GELU() {
    super(Activation.GELU);
  }
}

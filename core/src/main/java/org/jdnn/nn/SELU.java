package org.jdnn.nn;

import org.jdnn.spi.Activation;

/**
 * {@code scale * (x > 0 ? x : alpha * (exp(x) - 1))} with the fixed constants of Klambauer et al.
 * 2017 (https://arxiv.org/abs/1706.02515), as {@code torch.nn.SELU}; any shape.
 */
public final class SELU extends ActivationLayer {
  public SELU() {
    super(Activation.SELU);
  }
}

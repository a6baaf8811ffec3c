package org.jdnn.nn;

import org.jdnn.spi.Activation;

/**
 * {@code x > 0 ? x : alpha * (exp(x) - 1)}, as {@code torch.nn.ELU} (Clevert et al. 2015,
 * https://arxiv.org/abs/1511.07289; default alpha 1); any shape.
 */
public final class ELU extends ActivationLayer {
  private final double alpha;

  public ELU() {
    this(1.0);
  }

  public ELU(double alpha) {
    super(Activation.elu(alpha));
    this.alpha = alpha;
  }

  @Override
  protected String extraRepr() {
    return "alpha=" + alpha;
  }
}

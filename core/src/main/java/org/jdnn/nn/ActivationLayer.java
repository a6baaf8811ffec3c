package org.jdnn.nn;

import org.jdnn.ops.Activations;
import org.jdnn.spi.Activation;
import org.jdnn.tensor.Tensor;

/**
 * Base of the point-wise activation layers: one {@link Activation} (kind and coefficients, with
 * PyTorch's definitions) applied to every element; any shape, output as input. The subclasses
 * only name the kind and its arguments.
 */
public abstract class ActivationLayer extends Module {
  private final Activation activation;

  protected ActivationLayer(Activation activation) {
    this.activation = activation;
  }

  /** The function this layer applies. */
  public final Activation activation() {
    return activation;
  }

  @Override
  protected final Tensor forwardImpl(Tensor x) {
    return Activations.apply(activation, x);
  }
}

package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.Activation;
import org.jdnn.tensor.Tensor;

/** Point-wise activations through the backend's activation primitive. */
public final class Activations {
  private Activations() {}

  public static Tensor apply(Activation a, Tensor x) {
    Ops.floating(a.kind().name().toLowerCase(), "input", x);
    Tensor y = Ops.empty(x.shape(), x.dtype(), x.backend());
    x.backend().activation(a, x, y);
    return new ActivationFn(a, x, y).attach(y);
  }

  private static final class ActivationFn extends Function {
    private final Activation a;
    private final Tensor x; // ReLU's derivative reads the input
    private final Tensor y; // sigmoid's and tanh's read the output

    ActivationFn(Activation a, Tensor x, Tensor y) {
      super(x);
      this.a = a;
      this.x = x;
      this.y = y;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(x.shape(), x.dtype(), x.backend());
      x.backend().activationBackward(a, x, y, dy, dx);
      return new Tensor[] {dx};
    }
  }
}

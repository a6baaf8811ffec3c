package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.tensor.Tensor;

/** Softmax and log-softmax along one axis. */
public final class Softmax {
  private Softmax() {}

  public static Tensor apply(boolean log, Tensor x, int axis) {
    Ops.floating(log ? "log_softmax" : "softmax", "input", x);
    int a = x.shape().axis(axis);
    Tensor y = Ops.empty(x.shape(), x.dtype(), x.backend());
    x.backend().softmax(log, a, x, y);
    return new SoftmaxFn(log, a, x, y).attach(y);
  }

  private static final class SoftmaxFn extends Function {
    private final boolean log;
    private final int axis;
    private final Tensor y; // both gradients are functions of the output alone

    SoftmaxFn(boolean log, int axis, Tensor x, Tensor y) {
      super(x);
      this.log = log;
      this.axis = axis;
      this.y = y;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(y.shape(), y.dtype(), y.backend());
      y.backend().softmaxBackward(log, axis, y, dy, dx);
      return new Tensor[] {dx};
    }
  }
}

package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/**
 * {@code log(softmax(x))} along {@code dim}, computed stably in one step, as
 * {@code torch.nn.LogSoftmax(dim)}; pairs with {@link NLLLoss}. Any shape, output as input.
 */
public final class LogSoftmax extends Module {
  private final int dim;

  public LogSoftmax(int dim) {
    this.dim = dim;
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return x.logSoftmax(dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}

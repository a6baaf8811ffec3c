package org.jdnn.autograd;

/**
 * Switches graph recording off until closed, like PyTorch's {@code torch.no_grad()}:
 * <pre>{@code try (NoGrad ignored = NoGrad.enter()) { logits = model.forward(x); } }</pre>
 */
public final class NoGrad implements AutoCloseable {
  private final boolean previous;

  private NoGrad() {
    previous = GradMode.isEnabled();
    GradMode.set(false);
  }

  public static NoGrad enter() {
    return new NoGrad();
  }

  @Override
  public void close() {
    GradMode.set(previous);
  }
}

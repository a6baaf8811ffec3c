package org.jdnn.autograd;

import org.jdnn.tensor.Tensor;

/**
 * A node of the autograd graph: one differentiable operation, holding what its backward needs.
 * Each op is a small class whose static forward and whose {@link #backward} sit side by side.
 *
 * <pre>{@code
 * final class ReluFn extends Function {
 *   private final Tensor x;
 *   static Tensor apply(Tensor x) { Tensor y = ...; return new ReluFn(x).attach(y); }
 *   protected Tensor[] backward(Tensor dy) { return new Tensor[] {dy * (x > 0)}; }
 * }
 * }</pre>
 */
public abstract class Function {
  private Tensor[] inputs;

  /** {@code inputs} are the operation's tensor arguments, in the order {@link #backward} answers. */
  protected Function(Tensor... inputs) {
    this.inputs = inputs;
  }

  /**
   * Gradients with respect to each input, given the gradient of the output; {@code null} for an
   * input that needs none ({@link #needsGrad}). Each gradient has its input's shape.
   */
  protected abstract Tensor[] backward(Tensor gradOutput);

  /** Whether input {@code i} needs a gradient. */
  protected final boolean needsGrad(int i) {
    return inputs[i] != null && inputs[i].requiresGrad();
  }

  final Tensor[] inputs() {
    return inputs;
  }

  /** Drops references to inputs and saved tensors once backward has run (no retain_graph). */
  final void release() {
    inputs = null;
  }

  /**
   * Makes this node the creator of {@code output} when grad mode is on and some input requires
   * grad; returns {@code output} either way.
   */
  public final Tensor attach(Tensor output) {
    OpObserver observer = OpObserver.current();
    if (observer != null) observer.onOp(this, inputs, output);
    if (!GradMode.isEnabled()) return output;
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad()) {
        Tensor.Internal.setGradFn(output, this);
        return output;
      }
    }
    return output;
  }

  /** The op's name for error messages and graph dumps, e.g. {@code Conv2dFn}. */
  public String name() {
    return getClass().getSimpleName();
  }
}

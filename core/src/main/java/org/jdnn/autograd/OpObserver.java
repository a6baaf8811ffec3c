package org.jdnn.autograd;

import org.jdnn.tensor.Tensor;

/**
 * Sees every recorded operation on the current thread, whether or not a graph is built: the
 * inputs and output of each {@link Function}. Used by tools that trace a forward pass (the
 * model summary follows receptive fields through additions and concatenations).
 */
public interface OpObserver {
  void onOp(Function fn, Tensor[] inputs, Tensor output);

  /** Installs {@code observer} on this thread until the returned handle is closed. */
  static AutoCloseable install(OpObserver observer) {
    OpObserver previous = Holder.CURRENT.get();
    Holder.CURRENT.set(observer);
    return () -> Holder.CURRENT.set(previous);
  }

  /** The observer of this thread, or null. */
  static OpObserver current() {
    return Holder.CURRENT.get();
  }

  /** Keeps the thread-local out of the interface's public surface. */
  final class Holder {
    private static final ThreadLocal<OpObserver> CURRENT = new ThreadLocal<>();

    private Holder() {}
  }
}

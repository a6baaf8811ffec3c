package org.jdnn.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Owns the tensors created while it is open on the current thread, and releases them when closed:
 * device memory is not seen by the garbage collector, so lifetimes are explicit. Scopes nest.
 *
 * <pre>{@code
 * for (Batch batch : loader) {
 *   try (Scope step = Scope.open()) {          // every temporary of the step belongs here
 *     Tensor loss = lossFn.forward(model.forward(batch.x()), batch.y());
 *     loss.backward();                          // parameter gradients are owned by the parameters
 *     optimizer.step();
 *     lastLoss = loss.item();                   // a Java value survives the scope
 *   }                                           // activations and graph released here
 * }
 * }</pre>
 *
 * A tensor to be used after the scope closes is passed to {@link #keep}, which hands it to the
 * enclosing scope (or to no scope at all). Tensors created outside any scope are owned by the
 * caller and freed by {@link Tensor#close()} or, as a safety net, when garbage collected.
 */
public final class Scope implements AutoCloseable {
  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private final Scope parent;
  private final Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Thread thread = Thread.currentThread();
  private boolean closed;

  private Scope(Scope parent) {
    this.parent = parent;
  }

  /** Opens a scope nested in the current one and makes it current. */
  public static Scope open() {
    Scope s = new Scope(CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** The innermost open scope of this thread, or null. */
  public static Scope current() {
    return CURRENT.get();
  }

  static void register(Tensor t) {
    Scope s = CURRENT.get();
    if (s != null) {
      s.owned.add(t);
      t.owner = s;
    }
  }

  /** Removes {@code t} from whatever scope owns it: the caller now owns it. */
  public static <T extends Tensor> T untrack(T t) {
    if (t.owner != null) {
      t.owner.owned.remove(t);
      t.owner = null;
    }
    return t;
  }

  /** Moves {@code t} from this scope to the enclosing one (or to no scope) and returns it. */
  public <T extends Tensor> T keep(T t) {
    if (t.owner == this) {
      owned.remove(t);
      t.owner = null;
      if (parent != null) {
        parent.owned.add(t);
        t.owner = parent;
      }
    }
    return t;
  }

  /** Releases every tensor still owned and makes the enclosing scope current again. */
  @Override
  public void close() {
    if (closed) return;
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("a Scope must be closed on the thread that opened it");
    }
    closed = true;
    List<Tensor> toFree = new ArrayList<>(owned);
    owned.clear();
    for (Tensor t : toFree) {
      t.owner = null;
      t.close();
    }
    if (CURRENT.get() == this) {
      CURRENT.set(parent);
    } else {
      // An inner scope was left open: restore the chain as if it had been closed.
      Scope s = CURRENT.get();
      while (s != null && s != this) s = s.parent;
      CURRENT.set(s == this ? parent : CURRENT.get());
    }
  }

  /** Number of tensors this scope will release; for tests and memory diagnostics. */
  public int size() {
    return owned.size();
  }
}

package org.jdnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdnn.spi.Backend;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.Device;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;
import org.jdnn.util.ShapeException;

/**
 * A layer or a network: ordered parameters, buffers and child modules, and a forward function.
 * State-dict keys follow PyTorch ({@code features.0.weight}, {@code layer1.0.bn1.running_mean}),
 * built from the registration names, so weights travel between jdnn and PyTorch by key.
 *
 * <p>Subclasses register their state in the constructor and implement {@link #forwardImpl};
 * callers use {@link #forward}, which names the layer in any shape error raised inside it.
 * Layers read their parameters through {@link #param} rather than fields, so that {@link #to}
 * can move them.
 */
public abstract class Module {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private Module parent;
  private String nameInParent;
  private boolean training = true;

  /** Runs the layer on {@code x}; shape errors raised inside name this layer. */
  public final Tensor forward(Tensor x) {
    ForwardObserver observer = ForwardObserver.current();
    try {
      Tensor y = forwardImpl(x);
      if (observer != null) observer.onForward(this, x, y);
      return y;
    } catch (ShapeException e) {
      throw e.inLayer(describe());
    }
  }

  /**
   * Sees every module's forward on the current thread, innermost first (a layer's call is reported
   * before its parent's); the model summary is built from these.
   */
  public interface ForwardObserver {
    void onForward(Module module, Tensor input, Tensor output);

    /** Installs {@code observer} on this thread until the returned handle is closed. */
    static AutoCloseable install(ForwardObserver observer) {
      ForwardObserver previous = Holder.CURRENT.get();
      Holder.CURRENT.set(observer);
      return () -> Holder.CURRENT.set(previous);
    }

    static ForwardObserver current() {
      return Holder.CURRENT.get();
    }

    /** Keeps the thread-local out of the interface's public surface. */
    final class Holder {
      private static final ThreadLocal<ForwardObserver> CURRENT = new ThreadLocal<>();

      private Holder() {}
    }
  }

  /**
   * For layers with a second input ({@code MaxUnpool2d.forward(x, indices)}): reports the call to
   * the forward observer as {@link #forward} does, and returns {@code y}.
   */
  protected final Tensor reportForward(Tensor x, Tensor y) {
    ForwardObserver observer = ForwardObserver.current();
    if (observer != null) observer.onForward(this, x, y);
    return y;
  }

  /** The computation; {@code x} has not been checked, the ops check it. */
  protected abstract Tensor forwardImpl(Tensor x);

  // ---------------------------------------------------------------- registration

  /** Registers a trainable parameter: a leaf that requires grad, owned by this module (no scope). */
  protected final Tensor registerParameter(String name, Tensor value) {
    checkName(name);
    Scope.untrack(value);
    if (!value.requiresGrad()) value.requiresGrad(true);
    parameters.put(name, value);
    return value;
  }

  /** Registers persistent state that is not trained (batch-norm running statistics). */
  protected final Tensor registerBuffer(String name, Tensor value) {
    checkName(name);
    buffers.put(name, Scope.untrack(value));
    return value;
  }

  /** Registers a child; its state-dict keys are prefixed with {@code name.}. */
  protected final <M extends Module> M registerModule(String name, M child) {
    checkName(name);
    children.put(name, child);
    Module c = child;
    c.parent = this;
    c.nameInParent = name;
    return child;
  }

  private void checkName(String name) {
    Check.arg(name != null && !name.isEmpty() && !name.contains("."),
        "module member names must be non-empty and contain no '.'; received '%s'", name);
    Check.arg(!parameters.containsKey(name) && !buffers.containsKey(name) && !children.containsKey(name),
        "'%s' is already registered in %s", name, describe());
  }

  /** A registered parameter or buffer of this module by its local name. */
  protected final Tensor param(String name) {
    Tensor t = parameters.get(name);
    return t != null ? t : buffers.get(name);
  }

  /** Replaces a registered buffer's tensor (running statistics updated out of place). */
  protected final void setBuffer(String name, Tensor value) {
    Check.state(buffers.containsKey(name), "no buffer '%s' in %s", name, describe());
    Tensor old = buffers.put(name, Scope.untrack(value));
    if (old != null && old != value) old.close();
  }

  /** This module's own parameters (not its children's), by local name. */
  public final Map<String, Tensor> ownParameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Direct children in registration order. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  // ---------------------------------------------------------------- names and state

  /** Qualified name in the module tree ({@code features.0}); empty for the root. */
  public final String path() {
    if (parent == null) return "";
    String p = parent.path();
    return p.isEmpty() ? nameInParent : p + "." + nameInParent;
  }

  /** {@code `features.0` (Conv2d)}, or {@code LeNet5} for a root. */
  public final String describe() {
    String p = path();
    return p.isEmpty() ? getClass().getSimpleName() : "`" + p + "` (" + getClass().getSimpleName() + ")";
  }

  /** Every parameter of the tree with its qualified name, in registration order. */
  public final Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, false);
    return out;
  }

  public final List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Parameters and buffers with PyTorch-style keys, in registration order. */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, true);
    return out;
  }

  private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
    parameters.forEach((k, v) -> out.put(prefix + k, v));
    if (withBuffers) buffers.forEach((k, v) -> out.put(prefix + k, v));
    children.forEach((k, c) -> c.collect(prefix + k + ".", out, withBuffers));
  }

  /** Number of trainable scalars. */
  public final long parameterCount() {
    long n = 0;
    for (Tensor t : parameters()) n += t.numel();
    return n;
  }

  /**
   * Copies values from {@code state} into this module's parameters and buffers. In strict mode,
   * missing or unexpected keys fail with their lists, as PyTorch's {@code load_state_dict}; a
   * shape mismatch always fails with both shapes. Returns what did not match.
   */
  public final StateDictLoad loadStateDict(Map<String, Tensor> state, boolean strict) {
    Map<String, Tensor> own = stateDict();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
    for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
    for (Map.Entry<String, Tensor> e : own.entrySet()) {
      Tensor src = state.get(e.getKey());
      if (src != null && !src.shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException("size mismatch for " + e.getKey() + ": copying a param with shape "
            + src.shape() + " from checkpoint, the shape in current model is " + e.getValue().shape());
      }
    }
    StateDictLoad result = new StateDictLoad(missing, unexpected);
    if (strict && !result.isExact()) throw new IllegalArgumentException("error loading state dict into "
        + getClass().getSimpleName() + ": " + result);
    try (org.jdnn.autograd.NoGrad ignored = org.jdnn.autograd.NoGrad.enter()) {
      for (Map.Entry<String, Tensor> e : own.entrySet()) {
        Tensor src = state.get(e.getKey());
        if (src == null) continue;
        Tensor dst = e.getValue();
        try (Scope s = Scope.open()) {
          dst.copyFrom(src.to(dst.backend()).to(dst.dtype()));
        }
      }
    }
    return result;
  }

  /** Keys that did not match in {@link #loadStateDict}. */
  public static final class StateDictLoad {
    public final List<String> missingKeys;
    public final List<String> unexpectedKeys;

    StateDictLoad(List<String> missing, List<String> unexpected) {
      this.missingKeys = Collections.unmodifiableList(missing);
      this.unexpectedKeys = Collections.unmodifiableList(unexpected);
    }

    public boolean isExact() {
      return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
    }

    @Override
    public String toString() {
      return "missing keys " + missingKeys + ", unexpected keys " + unexpectedKeys;
    }
  }

  // ---------------------------------------------------------------- mode and device

  /** Training mode (dropout active, batch norm uses batch statistics); returns this. */
  public final Module train() {
    setTraining(true);
    return this;
  }

  /** Evaluation mode; returns this. */
  public final Module eval() {
    setTraining(false);
    return this;
  }

  private void setTraining(boolean t) {
    training = t;
    for (Module c : children.values()) c.setTraining(t);
  }

  public final boolean isTraining() {
    return training;
  }

  /** Moves every parameter and buffer to {@code device}; returns this. */
  public final Module to(Device device) {
    return to(Backends.forDevice(device));
  }

  public final Module to(Backend backend) {
    try (org.jdnn.autograd.NoGrad ignored = org.jdnn.autograd.NoGrad.enter()) {
      for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
        Tensor old = e.getValue();
        if (old.backend() == backend) continue;
        Tensor moved = Scope.untrack(old.to(backend)).requiresGrad(true);
        e.setValue(moved);
        old.close();
      }
      for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
        Tensor old = e.getValue();
        if (old.backend() == backend) continue;
        e.setValue(Scope.untrack(old.to(backend)));
        old.close();
      }
    }
    for (Module c : children.values()) c.to(backend);
    return this;
  }

  /** Clears the gradient of every parameter. */
  public final void zeroGrad() {
    for (Tensor p : parameters()) p.setGrad(null);
  }

  /** The constructor arguments shown in {@link #toString}, e.g. {@code 1, 6, kernel_size=(5, 5)}. */
  protected String extraRepr() {
    return "";
  }

  /** A PyTorch-style tree: {@code LeNet5(\n  (features): Sequential(...)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
    if (!children.isEmpty()) {
      sb.append('\n');
      children.forEach((k, c) -> sb.append("  (").append(k).append("): ")
          .append(c.toString().replace("\n", "\n  ")).append('\n'));
    }
    return sb.append(')').toString();
  }
}

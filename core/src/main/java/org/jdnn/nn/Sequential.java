package org.jdnn.nn;

import org.jdnn.tensor.Tensor;

/** Children applied in order, named {@code 0, 1, 2, ...} as in PyTorch. */
public final class Sequential extends Module {
  public Sequential(Module... layers) {
    for (Module m : layers) add(m);
  }

  /** Appends a layer under the next index; returns this. */
  public Sequential add(Module layer) {
    registerModule(Integer.toString(children().size()), layer);
    return this;
  }

  /** The layer at {@code index}. */
  public Module get(int index) {
    Module m = children().get(Integer.toString(index));
    if (m == null) throw new IndexOutOfBoundsException("Sequential has " + children().size() + " layers; asked for " + index);
    return m;
  }

  public int size() {
    return children().size();
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    Tensor y = x;
    for (Module m : children().values()) y = m.forward(y);
    return y;
  }
}

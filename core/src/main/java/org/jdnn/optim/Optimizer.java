package org.jdnn.optim;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Updates a fixed list of parameters from their gradients. */
public abstract class Optimizer {
  protected final List<Tensor> params;
  protected double lr;

  protected Optimizer(List<Tensor> params, double lr) {
    Check.arg(!params.isEmpty(), "%s: the parameter list is empty", getClass().getSimpleName());
    Check.arg(lr >= 0 && Double.isFinite(lr), "%s: lr must be a finite value >= 0; received %s", getClass().getSimpleName(), lr);
    this.params = new ArrayList<>(params);
    this.lr = lr;
  }

  /** Applies one update from the current gradients; parameters without a gradient are skipped. */
  public abstract void step();

  /** Clears every parameter's gradient (PyTorch's {@code set_to_none=True}). */
  public void zeroGrad() {
    for (Tensor p : params) p.setGrad(null);
  }

  public double lr() {
    return lr;
  }

  /** Sets the learning rate (for schedules). */
  public void setLr(double lr) {
    Check.arg(lr >= 0 && Double.isFinite(lr), "lr must be a finite value >= 0; received %s", lr);
    this.lr = lr;
  }
}

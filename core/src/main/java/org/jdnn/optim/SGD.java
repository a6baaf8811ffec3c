package org.jdnn.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jdnn.autograd.NoGrad;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
 * exactly as {@code torch.optim.SGD}:
 * <pre>
 *   g = grad + weight_decay * p
 *   buf = g                                   (first step)
 *   buf = momentum * buf + (1 - dampening) * g (later steps)
 *   g = nesterov ? g + momentum * buf : buf     (when momentum != 0)
 *   p = p - lr * g
 * </pre>
 */
public final class SGD extends Optimizer {
  private final double momentum;
  private final double dampening;
  private final double weightDecay;
  private final boolean nesterov;
  private final Map<Tensor, Tensor> momentumBuffers = new IdentityHashMap<>();

  /** Plain SGD. */
  public SGD(List<Tensor> params, double lr) {
    this(params, lr, 0, 0, 0, false);
  }

  public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    super(params, lr);
    Check.arg(momentum >= 0, "SGD: momentum must be >= 0; received %s", momentum);
    Check.arg(weightDecay >= 0, "SGD: weight_decay must be >= 0; received %s", weightDecay);
    Check.arg(!nesterov || (momentum > 0 && dampening == 0),
        "SGD: Nesterov momentum requires momentum > 0 and dampening = 0; received momentum=%s, dampening=%s",
        momentum, dampening);
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  /** SGD with momentum (and optionally Nesterov), no dampening. */
  public static SGD withMomentum(List<Tensor> params, double lr, double momentum, boolean nesterov, double weightDecay) {
    return new SGD(params, lr, momentum, 0, weightDecay, nesterov);
  }

  @Override
  public void step() {
    try (NoGrad ignored = NoGrad.enter()) {
      for (Tensor p : params) {
        if (p.grad() == null) continue;
        try (Scope temporaries = Scope.open()) {
          Tensor g = p.grad();
          if (weightDecay != 0) g = g.add(p.mul(weightDecay));
          if (momentum != 0) {
            Tensor buf = momentumBuffers.get(p);
            if (buf == null) {
              buf = Scope.untrack(g.mul(1.0));
              momentumBuffers.put(p, buf);
            } else {
              buf.mulInPlace(momentum).addInPlace(g, 1 - dampening);
            }
            g = nesterov ? g.add(buf.mul(momentum)) : buf;
          }
          p.addInPlace(g, -lr);
        }
      }
    }
  }

  /** The momentum buffer of a parameter, or null before its first step; for checkpoints and tests. */
  public Tensor momentumBuffer(Tensor param) {
    return momentumBuffers.get(param);
  }
}

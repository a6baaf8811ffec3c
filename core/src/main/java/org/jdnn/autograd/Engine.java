package org.jdnn.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Runs backward: walks the graph from a root in reverse topological order, summing gradients. */
public final class Engine {
  private Engine() {}

  /** Back-propagates {@code seed} (the gradient of {@code root}) into the {@code grad} of every leaf. */
  public static void backward(Tensor root, Tensor seed) {
    Check.arg(root.requiresGrad(),
        "backward: the tensor does not require grad and has no grad_fn (was it computed under NoGrad?)");
    Check.shape(seed.shape().equals(root.shape()),
        "backward: gradient shape %s does not match tensor shape %s", seed.shape(), root.shape());
    try (NoGrad ignored = NoGrad.enter()) {
      Function rootFn = Tensor.Internal.gradFn(root);
      if (rootFn == null) {
        Tensor.Internal.accumulateGrad(root, seed);
        return;
      }
      List<Function> order = topologicalOrder(rootFn);
      Map<Function, Tensor> pending = new IdentityHashMap<>();
      pending.put(rootFn, seed);
      for (Function fn : order) {
        Tensor g = pending.remove(fn);
        Tensor[] inputs = fn.inputs();
        if (g == null || inputs == null) continue;
        Tensor[] grads = fn.backward(g);
        for (int i = 0; i < inputs.length; i++) {
          Tensor in = inputs[i];
          if (in == null || !in.requiresGrad() || grads[i] == null) continue;
          Check.state(grads[i].shape().equals(in.shape()),
              "%s.backward returned a gradient of shape %s for input %s of shape %s",
              fn.name(), grads[i].shape(), i, in.shape());
          Function producer = Tensor.Internal.gradFn(in);
          if (producer == null) {
            Tensor.Internal.accumulateGrad(in, grads[i]);
          } else {
            Tensor prev = pending.get(producer);
            pending.put(producer, prev == null ? grads[i] : prev.add(grads[i]));
          }
        }
        fn.release();
      }
    }
  }

  // Iterative DFS (graphs of deep nets would overflow a recursive one); parents before children.
  private static List<Function> topologicalOrder(Function root) {
    List<Function> post = new ArrayList<>();
    Set<Function> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    seen.add(root);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Function fn = (Function) top[0];
      int next = (Integer) top[1];
      Tensor[] inputs = fn.inputs();
      if (inputs != null && next < inputs.length) {
        top[1] = next + 1;
        Tensor in = inputs[next];
        Function child = in == null ? null : Tensor.Internal.gradFn(in);
        if (child != null && child.inputs() != null && seen.add(child)) stack.push(new Object[] {child, 0});
      } else {
        stack.pop();
        post.add(fn);
      }
    }
    Collections.reverse(post);
    return post;
  }
}

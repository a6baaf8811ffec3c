package org.jdnn.models;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jdnn.nn.BatchNormNd;
import org.jdnn.nn.Module;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * The weights and input of scripts/models/torchvision_parity.py, regenerated from their formula:
 * each tensor's values are {@code Generator.uniform(fnv1a64(name), i)} mapped per kind of tensor
 * (He-uniform conv/linear weights, small biases, batch-norm statistics). The script's docstring
 * is the specification; the two must change together.
 */
final class FormulaWeights {
  private FormulaWeights() {}

  static long fnv1a64(String name) {
    long h = 0xCBF29CE484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** Fills every parameter and buffer of {@code model} by the formula. */
  static void fill(Module model) {
    Map<String, Tensor> state = model.stateDict();
    java.util.Set<String> bnPrefixes = new java.util.HashSet<>();
    collectBatchNorm(model, "", bnPrefixes);
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      String key = e.getKey();
      Tensor t = e.getValue();
      String prefix = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      int n = (int) t.numel();
      if (leaf.equals("num_batches_tracked")) {
        t.fill(0);
        continue;
      }
      long seed = fnv1a64(key);
      float[] v = new float[n];
      boolean bn = bnPrefixes.contains(prefix);
      double bound = t.rank() >= 2 ? Math.sqrt(6.0 / (n / t.dim(0))) : 0;
      for (int i = 0; i < n; i++) {
        double u = Generator.uniform(seed, i);
        if (bn) {
          v[i] = (float) (leaf.equals("weight") ? 0.2 + 0.4 * u : leaf.equals("running_var") ? 0.5 + u : (2 * u - 1) * 0.1);
        } else if (leaf.equals("weight") && t.rank() >= 2) {
          v[i] = (float) ((2 * u - 1) * bound);
        } else {
          v[i] = (float) ((2 * u - 1) * 0.1);
        }
      }
      try (org.jdnn.autograd.NoGrad ng = org.jdnn.autograd.NoGrad.enter()) {
        t.copyFrom(Tensor.fromArray(v, n, DType.F32, t.shape().toArray(), t.backend()));
      }
    }
  }

  private static void collectBatchNorm(Module m, String prefix, java.util.Set<String> out) {
    if (m instanceof BatchNormNd) out.add(prefix);
    m.children().forEach((name, c) -> collectBatchNorm(c, prefix.isEmpty() ? name : prefix + "." + name, out));
  }

  /** The script's input: {@code 2u - 1} with the seed of the name "input". */
  static Tensor input(Shape shape) {
    int n = (int) shape.numel();
    float[] v = new float[n];
    long seed = fnv1a64("input");
    for (int i = 0; i < n; i++) v[i] = (float) (2 * Generator.uniform(seed, i) - 1);
    return Tensor.of(v, shape.toArray());
  }
}

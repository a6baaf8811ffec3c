package org.jdnn.nn;

import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Weight initialisers with PyTorch's definitions ({@code torch.nn.init}), drawing seeds from the
 * default {@link Generator}. Fans follow PyTorch: for a weight {@code (out, in, *kernel)},
 * {@code fan_in = in * prod(kernel)} and {@code fan_out = out * prod(kernel)}.
 */
public final class Init {
  private Init() {}

  /** Fills {@code t} in place with U(low, high); returns it. */
  public static Tensor uniform(Tensor t, double low, double high) {
    t.backend().randomUniform(t, low, high, Generator.getDefault().nextSeed());
    return t;
  }

  /** Fills {@code t} in place with N(mean, std^2); returns it. */
  public static Tensor normal(Tensor t, double mean, double std) {
    t.backend().randomNormal(t, mean, std, Generator.getDefault().nextSeed());
    return t;
  }

  /** {@code fan_in} of a weight of rank >= 2. */
  public static int fanIn(Tensor w) {
    Check.shape(w.rank() >= 2, "fan_in needs a weight of rank >= 2; received %s", w.shape());
    return (int) (w.numel() / w.dim(0));
  }

  /** {@code fan_out} of a weight of rank >= 2. */
  public static int fanOut(Tensor w) {
    Check.shape(w.rank() >= 2, "fan_out needs a weight of rank >= 2; received %s", w.shape());
    return (int) (w.numel() / w.dim(1));
  }

  /**
   * He (Kaiming) uniform with fan-in and the leaky-ReLU gain {@code sqrt(2 / (1 + a^2))}:
   * U(-b, b), {@code b = gain * sqrt(3 / fan_in)}.
   */
  public static Tensor kaimingUniform(Tensor w, double a) {
    double gain = Math.sqrt(2.0 / (1 + a * a));
    double bound = gain * Math.sqrt(3.0 / fanIn(w));
    return uniform(w, -bound, bound);
  }

  /**
   * The default of PyTorch's {@code Linear} and {@code ConvNd}: weight kaiming-uniform with
   * {@code a = sqrt(5)} (so {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}) and bias
   * {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}.
   */
  public static void pytorchDefault(Tensor weight, Tensor bias) {
    kaimingUniform(weight, Math.sqrt(5));
    if (bias != null) {
      double bound = 1 / Math.sqrt(fanIn(weight));
      uniform(bias, -bound, bound);
    }
  }
}

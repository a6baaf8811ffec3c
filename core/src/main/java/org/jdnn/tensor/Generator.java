package org.jdnn.tensor;

/**
 * A seeded source of seeds for random tensors (weight init, dropout, shuffling). Each random
 * tensor takes one 64-bit seed from here and its values are a pure function of that seed and the
 * element index, so results do not depend on thread count or device. The default generator is
 * reseeded with {@link #manualSeed}, like {@code torch.manual_seed}.
 */
public final class Generator {
  private static final Generator DEFAULT = new Generator(0x5DEECE66DL);
  private long state;

  public Generator(long seed) {
    this.state = seed;
  }

  /** The process-wide generator used when no generator is passed. */
  public static Generator getDefault() {
    return DEFAULT;
  }

  /** Reseeds the default generator. */
  public static void manualSeed(long seed) {
    DEFAULT.setSeed(seed);
  }

  public synchronized void setSeed(long seed) {
    state = seed;
  }

  /** The next 64-bit seed (SplitMix64). */
  public synchronized long nextSeed() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** SplitMix64's finaliser: a bijective 64-bit hash with good avalanche. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniform double in [0, 1) that depends only on {@code seed} and {@code index}. */
  public static double uniform(long seed, long index) {
    return (mix(seed + mix(index + 0x632BE59BD9B4E019L)) >>> 11) * 0x1.0p-53;
  }

  /**
   * A standard normal value that depends only on {@code seed} and {@code index} (Box-Muller on two
   * independent uniforms); every backend uses this formula so that results agree across devices.
   */
  public static double normal(long seed, long index) {
    double u1 = uniform(seed, 2 * index);
    double u2 = uniform(seed, 2 * index + 1);
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }
}

package org.jdnn.cpu.gemm;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Chooses the GEMM micro-kernel once, at start-up: the Vector API kernel where the running JVM
 * has {@code jdk.incubator.vector} in its boot layer (the {@code ./jdnn} launcher and the test
 * runner add it with {@code --add-modules jdk.incubator.vector}), else the plain-Java kernel. The
 * same pattern as Lucene's {@code VectorizationProvider}: the vector class is compiled with the
 * module and only ever loaded by name, so a JVM without the module never sees it.
 *
 * <p>{@code -Djdnn.cpu.gemm=java} forces the plain-Java kernel, {@code =vector} requires the Vector
 * API one (failing if it cannot load), {@code =auto} (the default) takes the best available.
 */
public final class GemmKernels {
  private static final String VECTOR_CLASS = "org.jdnn.cpu.gemm.VectorKernel";
  private static final Choice PREFERRED = choose(System.getProperty("jdnn.cpu.gemm", "auto"));

  private GemmKernels() {}

  /** A kernel and why it was chosen. */
  public record Choice(GemmKernel kernel, String reason) {}

  /** The kernel chosen for this JVM. */
  public static GemmKernel preferred() {
    return PREFERRED.kernel();
  }

  /** The chosen kernel and the reason, for {@code jdnn devices} and benchmark reports. */
  public static String describe() {
    return PREFERRED.kernel().name() + " (" + PREFERRED.reason() + ")";
  }

  /** The plain-Java kernel, available on every JVM. */
  public static GemmKernel plainJava() {
    return new JavaKernel();
  }

  /** The Vector API kernel, or an exception saying why this JVM cannot run it. */
  public static GemmKernel vector() {
    String missing = vectorUnavailable();
    if (missing != null) throw new UnsupportedOperationException("the Vector API GEMM kernel is unavailable: " + missing);
    try {
      return (GemmKernel) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new UnsupportedOperationException("the Vector API GEMM kernel failed to load: " + e, e);
    }
  }

  /**
   * The F32 FMA peak in GFLOP/s that {@code threads} threads of the shared pool reach together
   * (at most the pool's size), measured by a register-only Vector API loop; NaN without the Vector
   * API. The best of three runs of about {@code seconds} each, after a warm-up.
   */
  public static double fmaPeak(int threads, double seconds) {
    if (vectorUnavailable() != null) return Double.NaN;
    try {
      Class<?> probe = Class.forName("org.jdnn.cpu.gemm.FmaProbe");
      java.lang.reflect.Method run = probe.getDeclaredMethod("run", long.class);
      run.setAccessible(true);
      java.lang.reflect.Field flops = probe.getDeclaredField("FLOPS_PER_ITERATION");
      flops.setAccessible(true);
      int perIteration = flops.getInt(null);
      for (int i = 0; i < 3; i++) run.invoke(null, 2_000_000L); // JIT warm-up
      long t0 = System.nanoTime();
      run.invoke(null, 2_000_000L);
      double perSecond = 2_000_000L / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
      long iterations = (long) (perSecond * seconds);
      org.jdnn.cpu.CpuThreads pool = org.jdnn.cpu.CpuThreads.get();
      int t = Math.min(threads, pool.threads());
      float[] sink = new float[t];
      double best = 0;
      for (int rep = 0; rep < 3; rep++) { // the best of three: a neighbour's burst lands in one
        long start = System.nanoTime();
        pool.forChunks(t, c -> {
          try {
            sink[c] = (float) run.invoke(null, iterations);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        best = Math.max(best, (double) perIteration * iterations * t / elapsed / 1e9);
      }
      return best;
    } catch (ReflectiveOperationException | LinkageError e) {
      return Double.NaN;
    }
  }

  /** Why the Vector API kernel cannot run here, or null when it can. */
  static String vectorUnavailable() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "jdk.incubator.vector is not in the boot layer; run java with --add-modules jdk.incubator.vector";
    }
    // Without C2 the Vector API is interpreted object by object: far slower than plain loops.
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String a : args) {
      if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4") || a.equals("-Xint")) {
        return "the JVM runs without the C2 compiler (" + a + ")";
      }
    }
    return null;
  }

  static Choice choose(String forced) {
    switch (forced) {
      case "java":
        return new Choice(plainJava(), "forced by -Djdnn.cpu.gemm=java");
      case "vector":
        return new Choice(vector(), "forced by -Djdnn.cpu.gemm=vector");
      case "auto":
        String missing = vectorUnavailable();
        if (missing != null) return new Choice(plainJava(), missing);
        try {
          GemmKernel k = vector();
          if (!(boolean) Class.forName(VECTOR_CLASS).getDeclaredMethod("worthwhile").invoke(null)) {
            return new Choice(plainJava(), "the preferred vector species is narrower than 128 bits");
          }
          return new Choice(k, "jdk.incubator.vector present");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
          return new Choice(plainJava(), "the Vector API kernel failed to load: " + e.getMessage());
        }
      default:
        throw new IllegalArgumentException("-Djdnn.cpu.gemm must be auto, vector or java; received '" + forced + "'");
    }
  }
}

package org.jdnn.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's F32 FMA peak as the JVM can reach it: a loop of 12 independent vector FMA chains
 * per thread (enough to cover the latency of two FMA pipes), nothing loaded or stored. The ceiling
 * against which a GEMM's GFLOP/s is read. Loaded by name from {@link GemmKernels#fmaPeak}, like
 * {@link VectorKernel}.
 */
final class FmaProbe {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Floating-point operations of one call of {@link #run}: 12 chains x lanes x 2 per iteration. */
  static final int FLOPS_PER_ITERATION = 12 * 2 * S.length();

  private FmaProbe() {}

  /** Runs {@code iterations} rounds of 12 FMAs; returns a value that depends on all of them. */
  static float run(long iterations) {
    FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    FloatVector x = FloatVector.broadcast(S, 0.9999999f);
    FloatVector y = FloatVector.broadcast(S, 1e-7f);
    for (long i = 0; i < iterations; i++) {
      a0 = a0.fma(x, y);
      a1 = a1.fma(x, y);
      a2 = a2.fma(x, y);
      a3 = a3.fma(x, y);
      a4 = a4.fma(x, y);
      a5 = a5.fma(x, y);
      a6 = a6.fma(x, y);
      a7 = a7.fma(x, y);
      a8 = a8.fma(x, y);
      a9 = a9.fma(x, y);
      a10 = a10.fma(x, y);
      a11 = a11.fma(x, y);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .reduceLanes(VectorOperators.ADD);
  }
}

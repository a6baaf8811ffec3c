package org.jdnn.cpu;

import org.jdnn.conformance.BackendConformanceSuite;
import org.jdnn.cpu.gemm.GemmKernels;
import org.jdnn.cpu.gemm.PackedSgemm;
import org.jdnn.spi.Backend;

/**
 * The conformance suite for the CPU backend on the plain-Java GEMM kernel, the one JVMs without
 * {@code jdk.incubator.vector} run. ({@link CpuConformanceTest} covers the kernel this JVM prefers,
 * the Vector API one under the test runner.)
 */
class CpuConformanceJavaKernelTest extends BackendConformanceSuite {
  @Override
  protected Backend backend() {
    return new CpuBackend(new PackedSgemm(GemmKernels.plainJava()));
  }

  @Override
  protected Backend reference() {
    return new NaiveBackend();
  }
}

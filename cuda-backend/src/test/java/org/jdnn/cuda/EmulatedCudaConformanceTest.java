package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jdnn.conformance.BackendConformanceSuite;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.spi.Backend;
import org.junit.jupiter.api.Test;

/**
 * The whole conformance suite through the real {@link CudaBackend} on an {@link EmulatedGpu}:
 * jdnn's kernels compiled for the host, cuBLAS and cuDNN replaced by the reference on the
 * dimensions the backend plans for them. Every own-kernel primitive (conversions, fill, random,
 * element-wise, reductions, argmax, one-hot, the pooling cases cuDNN does not cover) is checked
 * end to end on the CPU; what NVIDIA's libraries compute is left to the GPU suite.
 */
class EmulatedCudaConformanceTest extends BackendConformanceSuite {
  static final CudaBackend BACKEND = new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated on the CPU", true);

  @Override
  protected Backend backend() {
    return BACKEND;
  }

  @Override
  protected Backend reference() {
    return new NaiveBackend();
  }

  @Test
  void theEmulatorHasEveryKernelOfThePtx() {
    assertEquals(Kernels.ENTRIES.size(), EmulatedGpu.kernelCount0());
  }
}

package org.jdnn.cuda;

import org.jdnn.conformance.BackendConformanceSuite;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.spi.Backend;

/**
 * The whole conformance suite through the real {@link CudaBackend} on an {@link EmulatedGpu} with
 * jdnn's kernels in place of cuDNN for what cuDNN otherwise computes and the kernels can:
 * ReLU/sigmoid/tanh ({@code jdnn.cuda.activations=jdnn}) and batch norm and LRN
 * ({@code jdnn.cuda.normalization=jdnn}). The default configuration's suite
 * ({@link EmulatedCudaConformanceTest}) covers those through the emulated cuDNN instead.
 */
class EmulatedCudaKernelsConformanceTest extends BackendConformanceSuite {
  static final CudaBackend BACKEND = new CudaBackend(0, new EmulatedGpu(),
      "cuda:0 emulated on the CPU, jdnn activation and normalization kernels", false, false);

  @Override
  protected Backend backend() {
    return BACKEND;
  }

  @Override
  protected Backend reference() {
    return new NaiveBackend();
  }
}

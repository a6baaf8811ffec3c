package org.jdnn.cuda;

import org.jdnn.cuda.gpu.LeNetParityTest;
import org.junit.jupiter.api.Test;

/** The GPU suite's LeNet-5 training parity, run through the real CudaBackend on an {@link EmulatedGpu}. */
class EmulatedLeNetParityTest {
  @Test
  void fiveTrainingStepsMatchTheCpu() {
    LeNetParityTest.check(new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated on the CPU", true));
  }
}

package org.jdnn.cuda;

import org.jdnn.cuda.gpu.ResNetParityTest;
import org.junit.jupiter.api.Test;

/**
 * The GPU suite's ResNet-18 training parity through the real CudaBackend on an {@link EmulatedGpu}
 * (cuDNN's convolutions and batch norm computed by the reference's direct loops in double), at
 * 16x16 with a batch of 2 so that it takes seconds; the GPU suite runs 32x32 with a batch of 4.
 * Below 16x16 batch norm in layer4 is ill-conditioned (see {@link ResNetParityTest}).
 */
class EmulatedResNetParityTest {
  @Test
  void resnet18TrainingStepMatchesTheCpu() {
    ResNetParityTest.check(new CudaBackend(0, new EmulatedGpu(), "cuda:0 emulated on the CPU", true), 16, 2);
  }
}

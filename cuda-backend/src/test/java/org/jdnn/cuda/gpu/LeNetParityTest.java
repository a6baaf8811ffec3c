package org.jdnn.cuda.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.jdnn.conformance.Tolerance;
import org.jdnn.cpu.CpuBackend;
import org.jdnn.models.LeNet;
import org.jdnn.nn.CrossEntropyLoss;
import org.jdnn.optim.SGD;
import org.jdnn.spi.Backend;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 training steps on the GPU and on the CPU from the same weights and batch: the logits,
 * the losses and every parameter after five SGD-with-momentum steps agree. Both sides compute in
 * F32 in different orders (cuDNN and cuBLAS vs im2col and a blocked GEMM), and five steps carry
 * the differences forward, hence 1e-4 of each element plus 1e-4 of the tensor's RMS.
 */
public class LeNetParityTest {
  static final Tolerance STEPS = Tolerance.scaled(1e-4, "F32 training steps in two summation orders");
  static final int STEPS_RUN = 5;

  @Test
  void fiveTrainingStepsMatchTheCpu() {
    check(GpuBackends.cuda());
  }

  /** The parity check on any CUDA backend (the GPU's, or the emulated one in the CPU tests). */
  public static void check(Backend gpu) {
    Backend cpu = new CpuBackend();
    Generator.manualSeed(42);
    LeNet onCpu = new LeNet(28, 10);
    onCpu.to(cpu);
    LeNet onGpu = new LeNet(28, 10);
    onGpu.loadStateDict(onCpu.stateDict(), true);
    onGpu.to(gpu);
    int batch = 32;
    Tensor x = Tensor.randn(Shape.of(batch, 1, 28, 28), 0, 1, 7, DType.F32, cpu);
    long[] labels = new long[batch];
    for (int i = 0; i < batch; i++) labels[i] = (i * 7) % 10;
    Tensor y = Tensor.fromArray(labels, batch, DType.I64, new int[] {batch}, cpu);
    Tensor xg = x.to(gpu);
    Tensor yg = y.to(gpu);
    SGD optCpu = SGD.withMomentum(onCpu.parameters(), 0.05, 0.9, false, 0);
    SGD optGpu = SGD.withMomentum(onGpu.parameters(), 0.05, 0.9, false, 0);
    CrossEntropyLoss ce = new CrossEntropyLoss();
    try (Scope s = Scope.open()) {
      Tolerance.scaled(1e-5, "one F32 forward pass").assertClose("LeNet-5 logits, GPU vs CPU", Shape.of(batch, 10),
          onCpu.forward(x).toDoubleArray(), onGpu.forward(xg).toDoubleArray());
    }
    for (int step = 0; step < STEPS_RUN; step++) {
      try (Scope s = Scope.open()) {
        Tensor lc = ce.forward(onCpu.forward(x), y);
        optCpu.zeroGrad();
        lc.backward();
        optCpu.step();
        Tensor lg = ce.forward(onGpu.forward(xg), yg);
        optGpu.zeroGrad();
        lg.backward();
        optGpu.step();
        STEPS.assertClose("loss at step " + step, Shape.scalar(), new double[] {lc.item()}, new double[] {lg.item()});
      }
    }
    Map<String, Tensor> expected = onCpu.stateDict();
    Map<String, Tensor> actual = onGpu.stateDict();
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      STEPS.assertClose(k + " after " + STEPS_RUN + " steps, GPU vs CPU", expected.get(k).shape(),
          expected.get(k).toDoubleArray(), actual.get(k).toDoubleArray());
    }
  }
}

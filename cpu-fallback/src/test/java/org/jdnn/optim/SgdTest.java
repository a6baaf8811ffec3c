package org.jdnn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Three SGD steps in F64 against torch.optim.SGD (values from scripts/golden/sgd_steps.py). */
class SgdTest {
  private static final double[] P0 = {0.5, -1.0, 2.0, 0.25};
  private static final double[][] GRADS = {{0.1, -0.2, 0.3, -0.4}, {0.05, 0.1, -0.15, 0.2}, {-0.3, 0.2, 0.1, 0.0}};

  private static double[] run(double lr, double momentum, double dampening, double wd, boolean nesterov) {
    Tensor p = Tensor.of(P0.clone(), 4).requiresGrad(true);
    SGD sgd = new SGD(List.of(p), lr, momentum, dampening, wd, nesterov);
    for (double[] g : GRADS) {
      p.setGrad(Tensor.of(g.clone(), 4));
      sgd.step();
    }
    return p.toDoubleArray();
  }

  @Test
  void plain() {
    assertArrayEquals(new double[] {0.515, -1.01, 1.9749999999999999, 0.26999999999999996}, run(0.1, 0, 0, 0, false), 1e-12);
  }

  @Test
  void momentum() {
    assertArrayEquals(new double[] {0.49339999999999995, -0.9848, 1.9372, 0.3204}, run(0.1, 0.9, 0, 0, false), 1e-12);
  }

  @Test
  void dampening() {
    assertArrayEquals(new double[] {0.48314999999999997, -0.9652999999999999, 1.9279499999999998, 0.3394},
        run(0.1, 0.9, 0.5, 0, false), 1e-12);
  }

  @Test
  void nesterovWithWeightDecay() {
    assertArrayEquals(new double[] {0.5051634119805, -0.988454623961, 1.902664386512, 0.33101177964524997},
        run(0.1, 0.9, 0, 0.01, true), 1e-12);
  }

  @Test
  void rejectsInvalidSettings() {
    Tensor p = Tensor.of(new double[] {1}, 1).requiresGrad(true);
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -0.1));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, 0, 0, 0, true));
    assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
  }
}

package org.jdnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Per-epoch rates against torch.optim.lr_scheduler (values printed by PyTorch 1.13). */
class LrSchedulerTest {
  @Test
  void cosineAnnealingMatchesPyTorch() {
    double[] torch = {0.02, 0.019510565162951538, 0.018090169943749474, 0.015877852522924733, 0.013090169943749475,
        0.01, 0.006909830056250526, 0.0041221474770752695, 0.0019098300562505265, 0.0004894348370484647};
    LrScheduler s = LrScheduler.cosine(10, 0);
    for (int e = 0; e < torch.length; e++) assertEquals(torch[e], s.lr(e, 0.02), 1e-15, "epoch " + e);
  }

  @Test
  void stepMatchesPyTorch() {
    double[] torch = {0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002,
        0.0010000000000000002, 0.0010000000000000002};
    LrScheduler s = LrScheduler.step(3, 0.1);
    for (int e = 0; e < torch.length; e++) assertEquals(torch[e], s.lr(e, 0.1), 1e-15, "epoch " + e);
  }

  @Test
  void badArguments() {
    assertThrows(IllegalArgumentException.class, () -> LrScheduler.cosine(0, 0));
    assertThrows(IllegalArgumentException.class, () -> LrScheduler.step(0, 0.1));
  }
}

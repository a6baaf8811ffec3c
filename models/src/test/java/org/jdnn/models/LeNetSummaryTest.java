package org.jdnn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdnn.nn.Summary;
import org.jdnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/** LeNet-5's layer table, computed by hand from the architecture. */
class LeNetSummaryTest {
  @Test
  void layerTable() {
    Summary s = Summary.of(LeNet.lenet5(), Shape.of(1, 28, 28));
    Summary.Row c1 = s.row("features.0");
    assertEquals(Shape.of(6, 28, 28), c1.outputShape());
    assertEquals(156, c1.params());
    assertEquals(6L * 28 * 28 * 25, c1.macs());
    assertEquals(6L * 28 * 28 * 4, c1.activationBytes());
    assertArrayEquals(new int[] {5, 5}, c1.rf());
    Summary.Row s2 = s.row("features.2");
    assertArrayEquals(new int[] {6, 6}, s2.rf());
    assertArrayEquals(new double[] {2, 2}, s2.jump());
    Summary.Row c3 = s.row("features.3");
    assertEquals(2_416, c3.params());
    assertEquals(16L * 10 * 10 * 150, c3.macs());
    assertArrayEquals(new int[] {14, 14}, c3.rf(), "6 + (5 - 1) * 2");
    Summary.Row s4 = s.row("features.5");
    assertArrayEquals(new int[] {16, 16}, s4.rf());
    assertArrayEquals(new double[] {4, 4}, s4.jump());
    assertNull(s.row("classifier.1").rf(), "a linear layer sees the whole image");
    assertEquals(48_000, s.row("classifier.1").macs());
    assertEquals(61_706, s.totalParams());
    assertEquals(61_706, s.trainableParams());
    assertEquals(117_600 + 240_000 + 48_000 + 10_080 + 840, s.totalMacs());
    assertEquals(12, s.rows().size(), "every leaf layer (6 in features, 6 in classifier), in execution order");
    String table = s.toString();
    assertTrue(table.contains("features.0 (Conv2d)") && table.contains("total params 61,706"), table);
  }

  @Test
  void frozenParametersAreCountedApart() {
    LeNet net = LeNet.lenet5();
    net.stateDict().get("features.0.weight").requiresGrad(false);
    net.stateDict().get("features.0.bias").requiresGrad(false);
    Summary s = Summary.of(net, Shape.of(1, 28, 28));
    assertEquals(156, s.frozenParams());
    assertEquals(61_706 - 156, s.trainableParams());
    assertEquals(156, s.row("features.0").frozenParams());
  }
}

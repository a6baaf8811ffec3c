package org.jdnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

class LeNetTest {
  @Test
  void has61706Parameters() {
    // C1 156 + C3 2,416 + F5 48,120 + F6 10,164 + output 850
    assertEquals(61_706, LeNet.lenet5().parameterCount());
    assertEquals(61_706, new LeNet(32, 10).parameterCount());
  }

  @Test
  void stateDictKeysMatchTheTorchSequentialLayout() {
    assertEquals(List.of("features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
        "classifier.1.weight", "classifier.1.bias", "classifier.3.weight", "classifier.3.bias",
        "classifier.5.weight", "classifier.5.bias"), List.copyOf(LeNet.lenet5().stateDict().keySet()));
  }

  @Test
  void outputShapeFor28And32PixelInputs() {
    assertEquals(Shape.of(3, 10), LeNet.lenet5().forward(Tensor.zeros(3, 1, 28, 28)).shape());
    assertEquals(Shape.of(2, 10), new LeNet(32, 10).forward(Tensor.zeros(2, 1, 32, 32)).shape());
  }

  @Test
  void wrongImageShapesAreOneLineErrors() {
    ShapeException e = assertThrows(ShapeException.class, () -> LeNet.lenet5().forward(Tensor.zeros(2, 3, 28, 28)));
    assertEquals("LeNet-5 expects input (N, 1, H, W); received shape [2, 3, 28, 28] (layer LeNet)", e.getMessage());
    e = assertThrows(ShapeException.class, () -> LeNet.lenet5().forward(Tensor.zeros(2, 1, 32, 32)));
    assertTrue(e.getMessage().contains("linear: input's last axis must be in_features=400; received shape [2, 576]")
        && e.getMessage().contains("`classifier.1` (Linear)"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new LeNet(64, 10));
    assertTrue(bad.getMessage().contains("inputSize=64"), bad.getMessage());
  }
}

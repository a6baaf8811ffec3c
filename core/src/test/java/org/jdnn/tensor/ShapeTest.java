package org.jdnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

class ShapeTest {
  @Test
  void basicsAndNegativeAxes() {
    Shape s = Shape.of(8, 1, 28, 28);
    assertEquals(4, s.rank());
    assertEquals(8 * 784, s.numel());
    assertEquals(28, s.dim(-1));
    assertEquals(3, s.axis(-1));
    assertArrayEquals(new long[] {784, 784, 28, 1}, s.strides());
    assertEquals("[8, 1, 28, 28]", s.toString());
    assertEquals(Shape.of(8, 1, 28, 28), s);
    assertEquals(1, Shape.scalar().numel());
  }

  @Test
  void immutable() {
    int[] dims = {2, 3};
    Shape s = Shape.of(dims);
    dims[0] = 99;
    s.toArray()[1] = 99;
    assertEquals(Shape.of(2, 3), s);
  }

  @Test
  void reshapeInfersOneAxis() {
    assertEquals(Shape.of(8, 784), Shape.of(8, 1, 28, 28).reshape(8, -1));
    ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(2, 3).reshape(4, -1));
    assertTrue(e.getMessage().contains("cannot infer -1"), e.getMessage());
    e = assertThrows(ShapeException.class, () -> Shape.of(2, 3).reshape(5));
    assertTrue(e.getMessage().contains("has 5 elements but the tensor of shape [2, 3] has 6"), e.getMessage());
  }

  @Test
  void broadcastFollowsNumpy() {
    assertEquals(Shape.of(8, 6, 28, 28), Shape.broadcast(Shape.of(8, 6, 28, 28), Shape.of(1, 6, 1, 1)));
    assertEquals(Shape.of(4, 3), Shape.broadcast(Shape.of(4, 1), Shape.of(3)));
    ShapeException e = assertThrows(ShapeException.class, () -> Shape.broadcast(Shape.of(4, 3), Shape.of(2)));
    assertTrue(e.getMessage().contains("axis -1 has sizes 3 and 2"), e.getMessage());
  }

  @Test
  void rejectsNegativeSizesAndBadAxes() {
    assertThrows(ShapeException.class, () -> Shape.of(2, -1));
    ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(2, 3).dim(2));
    assertTrue(e.getMessage().contains("axis 2 is out of range for a tensor of rank 2"), e.getMessage());
  }
}

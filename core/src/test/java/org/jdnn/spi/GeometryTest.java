package org.jdnn.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdnn.tensor.Shape;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

/** Output-shape formulas and the messages of bad geometries, before any backend exists. */
class GeometryTest {
  private static int[] v(int... a) {
    return a;
  }

  @Test
  void convOutputShapes() {
    // LeNet-5 C1 on 28x28 with padding 2 keeps 28x28; AlexNet conv1 11x11/4 on 227 gives 55.
    assertEquals(Shape.of(8, 6, 28, 28),
        ConvGeometry.of(Shape.of(8, 1, 28, 28), Shape.of(6, 1, 5, 5), v(1, 1), v(2, 2), v(1, 1), 1).outputShape());
    ConvGeometry alex = ConvGeometry.of(Shape.of(1, 3, 227, 227), Shape.of(96, 3, 11, 11), v(4, 4), v(0, 0), v(1, 1), 1);
    assertEquals(Shape.of(1, 96, 55, 55), alex.outputShape());
    assertEquals(96L * 55 * 55 * 3 * 121, alex.macs());
    // dilation 2 on a 3x3 kernel spans 5; stride 2
    assertEquals(Shape.of(2, 4, 5, 3),
        ConvGeometry.of(Shape.of(2, 4, 11, 9), Shape.of(4, 2, 3, 3), v(2, 2), v(1, 0), v(2, 2), 2).outputShape());
    assertEquals(Shape.of(3, 5, 7),
        ConvGeometry.of(Shape.of(3, 2, 9), Shape.of(5, 2, 3), v(1), v(0), v(1), 1).outputShape());
    assertEquals(Shape.of(1, 2, 2, 3, 4),
        ConvGeometry.of(Shape.of(1, 1, 4, 5, 6), Shape.of(2, 1, 3, 3, 3), v(1, 1, 1), v(0, 0, 0), v(1, 1, 1), 1).outputShape());
  }

  @Test
  void convErrorsNameArgumentAndValues() {
    ShapeException e = assertThrows(ShapeException.class,
        () -> ConvGeometry.of(Shape.of(2, 3, 28, 28), Shape.of(6, 1, 5, 5), v(1, 1), v(2, 2), v(1, 1), 1));
    assertTrue(e.getMessage().contains("input channels must equal weight in_channels/groups (1) x groups (1) = 1")
        && e.getMessage().contains("[2, 3, 28, 28]"), e.getMessage());
    e = assertThrows(ShapeException.class,
        () -> ConvGeometry.of(Shape.of(2, 1, 28), Shape.of(6, 1, 5, 5), v(1, 1), v(0, 0), v(1, 1), 1));
    assertTrue(e.getMessage().contains("conv2d: input must have rank 4"), e.getMessage());
    e = assertThrows(ShapeException.class,
        () -> ConvGeometry.of(Shape.of(1, 4, 8, 8), Shape.of(6, 1, 3, 3), v(1, 1), v(0, 0), v(1, 1), 4));
    assertTrue(e.getMessage().contains("out_channels must be divisible by groups; received out_channels=6, groups=4"),
        e.getMessage());
    e = assertThrows(ShapeException.class,
        () -> ConvGeometry.of(Shape.of(1, 1, 4, 4), Shape.of(1, 1, 5, 5), v(1, 1), v(0, 0), v(1, 1), 1));
    assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
    e = assertThrows(ShapeException.class,
        () -> ConvGeometry.of(Shape.of(1, 1, 8, 8), Shape.of(1, 1, 3, 3), v(0, 1), v(0, 0), v(1, 1), 1));
    assertTrue(e.getMessage().contains("stride must be >= 1; received [0, 1]"), e.getMessage());
  }

  @Test
  void poolOutputShapesFollowPyTorch() {
    PoolGeometry.Mode max = PoolGeometry.Mode.MAX;
    assertEquals(Shape.of(8, 6, 14, 14),
        PoolGeometry.of(max, Shape.of(8, 6, 28, 28), v(2, 2), v(2, 2), v(0, 0), v(1, 1), false).outputShape());
    // 3x3/2 on 55 (AlexNet) gives 27
    assertEquals(Shape.of(1, 96, 27, 27),
        PoolGeometry.of(max, Shape.of(1, 96, 55, 55), v(3, 3), v(2, 2), v(0, 0), v(1, 1), false).outputShape());
    // ceil mode: 2x2/2 on 5 gives 3 (floor would give 2)
    assertEquals(Shape.of(1, 1, 3, 3),
        PoolGeometry.of(max, Shape.of(1, 1, 5, 5), v(2, 2), v(2, 2), v(0, 0), v(1, 1), true).outputShape());
    // ceil mode drops a last window that would start in the right padding: 6, k2 s2 p1 -> 4 (not 5)
    assertEquals(Shape.of(1, 1, 4, 4),
        PoolGeometry.of(max, Shape.of(1, 1, 6, 6), v(2, 2), v(2, 2), v(1, 1), v(1, 1), true).outputShape());
  }

  @Test
  void poolErrors() {
    ShapeException e = assertThrows(ShapeException.class, () -> PoolGeometry.of(PoolGeometry.Mode.AVG_INCLUDE_PAD,
        Shape.of(1, 1, 8, 8), v(2, 2), v(2, 2), v(2, 2), v(1, 1), false));
    assertTrue(e.getMessage().contains("padding must be between 0 and half the window size"), e.getMessage());
    e = assertThrows(ShapeException.class, () -> PoolGeometry.of(PoolGeometry.Mode.MAX,
        Shape.of(1, 8, 8), v(2, 2), v(2, 2), v(0, 0), v(1, 1), false));
    assertTrue(e.getMessage().contains("max_pool2d: input must have rank 4"), e.getMessage());
  }
}

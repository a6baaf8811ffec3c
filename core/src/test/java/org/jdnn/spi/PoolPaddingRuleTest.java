package org.jdnn.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jdnn.tensor.Shape;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

/**
 * PyTorch limits pooling padding to half the kernel size, dilated or not ("pad should be at most
 * half of kernel size"). Allowing half the dilated window instead admits windows that hold no
 * input element at all, e.g. kernel 2, dilation 3, padding 2 on a length-1 input: taps at -2 and
 * 1, both outside, and a max of -infinity.
 */
class PoolPaddingRuleTest {
  @Test
  void maxPoolingPaddingIsLimitedByTheKernelNotTheDilatedWindow() {
    ShapeException e = assertThrows(ShapeException.class, () -> PoolGeometry.of(PoolGeometry.Mode.MAX,
        Shape.of(1, 1, 1), new int[] {2}, new int[] {1}, new int[] {2}, new int[] {3}, false));
    assertEquals(true, e.getMessage().contains("padding"), e.getMessage());
    assertThrows(ShapeException.class, () -> PoolGeometry.of(PoolGeometry.Mode.MAX, Shape.of(1, 1, 9, 9),
        new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2}, false));
  }

  @Test
  void maxPoolingAcceptsPaddingOfHalfTheKernelWithDilation() {
    // PyTorch: max_pool2d(9x9, kernel 3, stride 1, padding 1, dilation 2) gives 7x7.
    assertEquals(Shape.of(1, 1, 7, 7), PoolGeometry.of(PoolGeometry.Mode.MAX, Shape.of(1, 1, 9, 9),
        new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {2, 2}, false).outputShape());
  }
}

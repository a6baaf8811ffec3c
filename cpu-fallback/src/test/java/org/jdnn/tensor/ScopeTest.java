package org.jdnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void releasesWhatItOwnsExceptKeptTensors() {
    Tensor kept;
    Tensor dropped;
    try (Scope outer = Scope.open()) {
      try (Scope inner = Scope.open()) {
        dropped = Tensor.ones(2, 2);
        kept = inner.keep(dropped.mul(3));
        assertSame(inner, Scope.current());
      }
      assertSame(outer, Scope.current());
      assertTrue(dropped.isClosed());
      assertFalse(kept.isClosed());
      assertEquals(12.0, kept.sum().item(), 0);
    }
    assertTrue(kept.isClosed(), "kept into the outer scope, released with it");
    IllegalStateException e = assertThrows(IllegalStateException.class, kept::toFloatArray);
    assertTrue(e.getMessage().contains("was released"), e.getMessage());
  }

  @Test
  void untrackedTensorsOutliveTheScope() {
    Tensor t;
    try (Scope s = Scope.open()) {
      t = Scope.untrack(Tensor.zeros(3));
      assertEquals(0, s.size());
    }
    assertFalse(t.isClosed());
  }

  @Test
  void viewsShareStorageUntilTheLastIsClosed() {
    Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor rows = base.slice(1, 3);
    base.close();
    assertEquals(18.0, rows.sum().item(), 0, "rows 1..2 = 3+4+5+6; the view keeps the storage alive");
    rows.close();
    assertTrue(rows.isClosed());
  }

  @Test
  void backwardThroughAStepScope() {
    Tensor w = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
    try (Scope step = Scope.open()) {
      w.mul(w).sum().backward();
    }
    // the gradient belongs to the parameter, not to the step's scope
    assertEquals(2.0, w.grad().toFloatArray()[0], 0);
    assertEquals(4.0, w.grad().toFloatArray()[1], 0);
  }
}

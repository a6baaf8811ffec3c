package org.jdnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdnn.tensor.Shape;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
  /** 10 one-pixel images whose value is their index, labels index % 3. */
  static ImageDataset tiny() {
    byte[] px = new byte[10];
    int[] labels = new int[10];
    for (int i = 0; i < 10; i++) {
      px[i] = (byte) (i * 25);
      labels[i] = i % 3;
    }
    return new ImageDataset(px, labels, Shape.of(1, 1, 1), 3, new float[] {0f}, new float[] {1f});
  }

  static List<Long> labelsOf(DataLoader dl, int epoch) {
    List<Long> seen = new ArrayList<>();
    for (Batch b : dl.epoch(epoch)) for (long y : b.y().toLongArray()) seen.add(y);
    return seen;
  }

  @Test
  void batchesCoverTheDataOnceWithASmallerLastBatch() {
    DataLoader dl = new DataLoader(tiny(), 4, false, 0, false);
    assertEquals(3, dl.batches());
    List<Integer> sizes = new ArrayList<>();
    List<Float> values = new ArrayList<>();
    for (Batch b : dl.epoch(0)) {
      sizes.add(b.size());
      assertEquals(Shape.of(b.size(), 1, 1, 1), b.x().shape());
      for (float v : b.x().toFloatArray()) values.add(v);
    }
    assertEquals(List.of(4, 4, 2), sizes);
    for (int i = 0; i < 10; i++) assertEquals(i * 25 / 255f, values.get(i), 1e-6);
    assertEquals(2, new DataLoader(tiny(), 4, false, 0, true).batches());
  }

  @Test
  void shuffleDependsOnlyOnSeedAndEpoch() {
    DataLoader a = new DataLoader(tiny(), 3, true, 7, false);
    DataLoader b = new DataLoader(tiny(), 3, true, 7, false);
    assertArrayEquals(a.order(2), b.order(2));
    assertFalse(Arrays.equals(a.order(0), a.order(1)), "each epoch a new order");
    assertFalse(Arrays.equals(a.order(0), new DataLoader(tiny(), 3, true, 8, false).order(0)));
    int[] sorted = a.order(3).clone();
    Arrays.sort(sorted);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "a permutation");
    assertEquals(labelsOf(a, 1), labelsOf(b, 1));
  }
}

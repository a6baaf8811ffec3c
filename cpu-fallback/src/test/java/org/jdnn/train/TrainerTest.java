package org.jdnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.data.DataLoader;
import org.jdnn.data.ImageDataset;
import org.jdnn.nn.CrossEntropyLoss;
import org.jdnn.nn.Linear;
import org.jdnn.nn.Module;
import org.jdnn.optim.SGD;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TrainerTest {
  /** 32 two-pixel images of 2 classes. */
  static ImageDataset data() {
    byte[] px = new byte[64];
    int[] labels = new int[32];
    for (int i = 0; i < 32; i++) {
      labels[i] = i % 2;
      px[2 * i] = (byte) (labels[i] == 0 ? 40 : 200);
      px[2 * i + 1] = (byte) (i * 7);
    }
    return new ImageDataset(px, labels, Shape.of(1, 1, 2), 2, new float[] {0.5f}, new float[] {0.25f});
  }

  /** A linear classifier with one auxiliary linear head on the same input. */
  static final class TwoHeads extends Module implements AuxiliaryHeads {
    TwoHeads() {
      registerModule("main", new Linear(2, 2));
      registerModule("aux", new Linear(2, 2));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      return children().get("main").forward(x.flatten(1));
    }

    @Override
    public Heads forwardHeads(Tensor x) {
      Tensor f = x.flatten(1);
      Tensor main = children().get("main").forward(f);
      return new Heads(main, isTraining() ? List.of(children().get("aux").forward(f)) : List.of());
    }

    @Override
    public double auxLossWeight() {
      return 0.3;
    }
  }

  @Test
  void auxiliaryLossesAreAddedWithTheirWeight() {
    Generator.manualSeed(5);
    TwoHeads net = new TwoHeads();
    CrossEntropyLoss ce = new CrossEntropyLoss();
    DataLoader loader = new DataLoader(data(), 32, false, 0, false);
    double expected;
    try (var batch = loader.epoch(0).iterator().next()) {
      Tensor f = batch.x();
      expected = ce.forward(net.children().get("main").forward(f.flatten(1)), batch.y()).item()
          + 0.3 * ce.forward(net.children().get("aux").forward(f.flatten(1)), batch.y()).item();
    }
    List<StepResult> steps = new ArrayList<>();
    Trainer trainer = new Trainer(net, ce, new SGD(net.parameters(), 0.1));
    trainer.fit(loader, null, 1, List.of(new TrainListener() {
      @Override
      public void onStep(StepResult s) {
        steps.add(s);
      }
    }));
    assertEquals(1, steps.size());
    assertEquals(expected, steps.get(0).loss(), 1e-6, "main loss + 0.3 x auxiliary loss");
    assertTrue(net.children().get("aux").parameters().get(0).grad() != null, "the auxiliary head was trained");
  }

  @Test
  void aDivergingRunStopsWithTheStepAndRate() {
    Generator.manualSeed(6);
    TwoHeads net = new TwoHeads();
    Trainer trainer = new Trainer(net, new CrossEntropyLoss(), new SGD(net.parameters(), 1e39));
    DataLoader loader = new DataLoader(data(), 4, false, 0, false);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> trainer.fit(loader, null, 3, List.of()));
    assertTrue(e.getMessage().contains("training diverged") && e.getMessage().contains("1.0E39"), e.getMessage());
  }
}

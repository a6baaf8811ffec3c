package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.Test;

class ModuleStateDictTest {
  /** A small net with the layout of torchvision's features/classifier models. */
  static final class Net extends Module {
    Net() {
      registerModule("features", new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2)));
      registerModule("classifier", new Sequential(new Flatten(), new Linear(4 * 3 * 3, 5)));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      return children().get("classifier").forward(children().get("features").forward(x));
    }
  }

  @Test
  void keysFollowPyTorch() {
    Net net = new Net();
    assertEquals(List.of("features.0.weight", "features.0.bias", "classifier.1.weight", "classifier.1.bias"),
        List.copyOf(net.stateDict().keySet()));
    assertEquals(4 * 9 + 4 + 36 * 5 + 5, net.parameterCount());
    assertEquals("features.0", ((Sequential) net.children().get("features")).get(0).path());
  }

  @Test
  void defaultInitIsPyTorchs() {
    Generator.manualSeed(3);
    Linear big = new Linear(400, 120);
    double bound = 1 / Math.sqrt(400);
    float[] w = big.weight().toFloatArray();
    double max = 0;
    double sq = 0;
    for (float v : w) {
      max = Math.max(max, Math.abs(v));
      sq += v * v;
    }
    assertTrue(max <= bound && max > 0.99 * bound, "U(-1/sqrt(fan_in), 1/sqrt(fan_in)), max |w| = " + max);
    assertEquals(bound / Math.sqrt(3), Math.sqrt(sq / w.length), 0.02 * bound, "uniform standard deviation");
  }

  @Test
  void loadCopiesValuesAndReportsMismatches() {
    Net a = new Net();
    Net b = new Net();
    assertFalse(Float.compare(a.stateDict().get("features.0.bias").toFloatArray()[0],
        b.stateDict().get("features.0.bias").toFloatArray()[0]) == 0);
    Module.StateDictLoad r = b.loadStateDict(a.stateDict(), true);
    assertTrue(r.isExact());
    for (String k : a.stateDict().keySet()) {
      assertArrayEquals(a.stateDict().get(k).toFloatArray(), b.stateDict().get(k).toFloatArray(), k);
    }

    Map<String, Tensor> partial = new LinkedHashMap<>(a.stateDict());
    partial.remove("classifier.1.bias");
    partial.put("fc.extra", Tensor.zeros(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(partial, true));
    assertTrue(e.getMessage().contains("missing keys [classifier.1.bias]") && e.getMessage().contains("unexpected keys [fc.extra]"),
        e.getMessage());
    Module.StateDictLoad loose = b.loadStateDict(partial, false);
    assertEquals(List.of("classifier.1.bias"), loose.missingKeys);
    assertEquals(List.of("fc.extra"), loose.unexpectedKeys);

    Map<String, Tensor> wrong = new LinkedHashMap<>(a.stateDict());
    wrong.put("features.0.weight", Tensor.zeros(4, 1, 5, 5));
    e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong, false));
    assertEquals("size mismatch for features.0.weight: copying a param with shape [4, 1, 5, 5] from checkpoint, "
        + "the shape in current model is [4, 1, 3, 3]", e.getMessage());
  }

  @Test
  void shapeErrorsNameTheLayer() {
    Net net = new Net();
    ShapeException e = assertThrows(ShapeException.class, () -> net.forward(Tensor.zeros(2, 3, 8, 8)));
    assertEquals("`features.0` (Conv2d)", e.layer());
    assertTrue(e.getMessage().contains("input channels must equal weight in_channels/groups (1) x groups (1) = 1")
        && e.getMessage().endsWith("(layer `features.0` (Conv2d))"), e.getMessage());
    e = assertThrows(ShapeException.class, () -> net.forward(Tensor.zeros(2, 1, 10, 10)));
    assertTrue(e.getMessage().contains("linear: input's last axis must be in_features=36; received shape [2, 64]")
        && e.getMessage().contains("`classifier.1` (Linear)"), e.getMessage());
  }

  @Test
  void trainAndEvalPropagate() {
    Net net = new Net();
    net.eval();
    assertFalse(((Sequential) net.children().get("features")).get(1).isTraining());
    net.train();
    assertTrue(((Sequential) net.children().get("classifier")).get(1).isTraining());
  }

  @Test
  void reprLooksLikePyTorch() {
    assertEquals("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))",
        Conv2d.builder(1, 6, 5).padding(2).build().toString());
    assertEquals("Linear(in_features=400, out_features=120, bias=True)", new Linear(400, 120).toString());
  }
}

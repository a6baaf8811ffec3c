package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Losses.DiceMode;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The loss classes' behaviour at the edges PyTorch defines (values against PyTorch are in the
 * golden files, gradients in GradCheckTest): shapes of each reduction, ignored targets, the BCE
 * clamp, large logits, Dice worked by hand.
 */
class LossesTest {
  static final Tensor LOGITS = Tensor.of(new float[] {1, 2, 0.5f, -1, 0, 3, 2, 2, -2, 0.1f, 0.2f, 0.3f}, 4, 3);
  static final Tensor LABELS = Tensor.of(new long[] {2, 0, 1, 2}, 4);

  @Test
  void defaultCrossEntropyIsTheBatchMeanAndMatchesTheOriginalOp() {
    double viaClass = new CrossEntropyLoss().forward(LOGITS, LABELS).item();
    double viaOp = Losses.crossEntropy(LOGITS, LABELS).item();
    float[] logp = LOGITS.logSoftmax(1).toFloatArray();
    double byHand = -(logp[2] + logp[3] + logp[7] + logp[11]) / 4;
    assertEquals(byHand, viaClass, 1e-6);
    assertEquals(byHand, viaOp, 1e-6);
  }

  @Test
  void reductionNoneKeepsTheTargetsShape() {
    Tensor seg = Tensor.randn(2, 3, 4, 5);
    Tensor labels = Tensor.of(new long[40], 2, 4, 5);
    Loss none = CrossEntropyLoss.builder().reduction(Reduction.NONE).build();
    assertEquals(Shape.of(2, 4, 5), none.forward(seg, labels).shape());
    assertEquals(Shape.scalar(), new CrossEntropyLoss().forward(seg, labels).shape());
    assertEquals(Shape.scalar(), none.forward(Tensor.randn(3), Tensor.of(new long[] {1})
        .reshape()).shape(), "an unbatched (C) input gives one value");
    assertEquals(Shape.of(4, 3), new MSELoss(Reduction.NONE).forward(LOGITS, LOGITS).shape());
  }

  @Test
  void ignoredTargetsAddNothingAndAllIgnoredIsNaN() {
    Loss ignore2 = CrossEntropyLoss.builder().ignoreIndex(2).build();
    float[] logp = LOGITS.logSoftmax(1).toFloatArray();
    assertEquals(-(logp[3] + logp[7]) / 2, ignore2.forward(LOGITS, LABELS).item(), 1e-6,
        "the mean over the two targets that are not 2");
    Tensor allIgnored = Tensor.of(new long[] {-100, -100, -100, -100}, 4);
    assertTrue(Double.isNaN(new CrossEntropyLoss().forward(LOGITS, allIgnored).item()), "0/0, as PyTorch");
    Tensor none = CrossEntropyLoss.builder().ignoreIndex(2).reduction(Reduction.NONE).build().forward(LOGITS, LABELS);
    assertEquals(0, none.toFloatArray()[0], 0.0, "an ignored position's loss");
  }

  @Test
  void classWeightsFollowTheInputsDtype() {
    Tensor w = Tensor.of(new float[] {1, 2, 3}, 3);
    Tensor logits64 = LOGITS.to(org.jdnn.tensor.DType.F64);
    double loss = CrossEntropyLoss.builder().weight(w).build().forward(logits64, LABELS).item();
    double[] logp = logits64.logSoftmax(1).toDoubleArray();
    double byHand = -(3 * logp[2] + 1 * logp[3] + 2 * logp[7] + 3 * logp[11]) / (3 + 1 + 2 + 3);
    assertEquals(byHand, loss, 1e-12, "weighted mean divides by the summed weights of the targets");
  }

  @Test
  void bceClampsTheLogAtMinus100AndKeepsAFiniteGradient() {
    Tensor x = Tensor.of(new float[] {0, 1, 0.5f}, 3).requiresGrad(true);
    Tensor t = Tensor.of(new float[] {1, 0, 1}, 3);
    Tensor loss = new BCELoss(null, Reduction.NONE).forward(x, t);
    assertArrayEquals(new float[] {100, 100, (float) Math.log(2)}, loss.toFloatArray(), 1e-5f);
    loss.sum().backward();
    float[] g = x.grad().toFloatArray();
    assertEquals(-1e12, g[0], 1e6, "(x - t) / max(x (1 - x), 1e-12) at x = 0, t = 1");
    assertEquals(1e12, g[1], 1e6);
    assertEquals(-2, g[2], 1e-6);
  }

  @Test
  void bceWithLogitsIsStableForLargeLogits() {
    Tensor x = Tensor.of(new float[] {100, -100, 30}, 3);
    Tensor t = Tensor.of(new float[] {0, 1, 1}, 3);
    float[] loss = new BCEWithLogitsLoss(null, null, Reduction.NONE).forward(x, t).toFloatArray();
    assertArrayEquals(new float[] {100, 100, 0}, loss, 1e-5f);
    float[] weighted = new BCEWithLogitsLoss(null, Tensor.of(new float[] {3}, 1), Reduction.NONE).forward(x, t)
        .toFloatArray();
    assertArrayEquals(new float[] {100, 300, 0}, weighted, 1e-4f, "pos_weight scales the positive term");
  }

  @Test
  void smoothL1IsQuadraticInsideBetaAndLinearOutside() {
    Tensor x = Tensor.of(new float[] {0.25f, 3, -2}, 3);
    Tensor zero = Tensor.zeros(3);
    assertArrayEquals(new float[] {0.03125f, 2.5f, 1.5f},
        new SmoothL1Loss(1, Reduction.NONE).forward(x, zero).toFloatArray(), 1e-7f);
    assertArrayEquals(new float[] {0.25f, 3, 2}, new SmoothL1Loss(0, Reduction.NONE).forward(x, zero).toFloatArray());
  }

  /**
   * Two classes over 2x2 maps of one sample, probabilities given: class 0 predicted
   * (0.9, 0.2, 0.6, 0.1) against (1, 0, 1, 0) gives dice (2*1.5 + 1)/(1.8 + 2 + 1) = 4/4.8.
   */
  @Test
  void diceWorkedByHand() {
    Tensor p = Tensor.of(new float[] {0.9f, 0.2f, 0.6f, 0.1f, 0.1f, 0.8f, 0.4f, 0.9f}, 1, 2, 2, 2);
    Tensor labels = Tensor.of(new long[] {0, 1, 0, 1}, 1, 2, 2);
    DiceLoss perClass = DiceLoss.builder().fromLogits(false).reduction(Reduction.NONE).build();
    double d0 = 1 - 4 / 4.8;
    double d1 = 1 - (2 * 1.7 + 1) / (2.2 + 2 + 1);
    assertArrayEquals(new float[] {(float) d0, (float) d1}, perClass.forward(p, labels).toFloatArray(), 1e-6f);
    assertEquals((d0 + d1) / 2, DiceLoss.builder().fromLogits(false).build().forward(p, labels).item(), 1e-6);
    Tensor oneHot = Tensor.of(new float[] {1, 0, 1, 0, 0, 1, 0, 1}, 1, 2, 2, 2);
    assertArrayEquals(perClass.forward(p, labels).toFloatArray(), perClass.forward(p, oneHot).toFloatArray(), 1e-7f,
        "class indices and their one-hot targets agree");
    Tensor binary = DiceLoss.builder().mode(DiceMode.BINARY).fromLogits(false).reduction(Reduction.NONE).build()
        .forward(p.slice(0, 1).reshape(2, 2, 2), oneHot.reshape(2, 2, 2));
    assertEquals(Shape.of(1), binary.shape());
  }

  @Test
  void diceOfAPerfectPredictionIsZero() {
    Tensor t = Tensor.of(new float[] {1, 0, 0, 1}, 1, 1, 2, 2);
    assertEquals(0, DiceLoss.builder().mode(DiceMode.MULTILABEL).fromLogits(false).smooth(0).build().forward(t, t)
        .item(), 1e-7);
  }
}

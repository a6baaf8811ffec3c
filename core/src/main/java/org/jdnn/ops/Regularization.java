package org.jdnn.ops;

import java.util.Arrays;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Dropout, a composite of {@link Backend#randomBernoulli} and a broadcasting multiply: in training
 * each kept element (or channel) is scaled by {@code 1/(1-p)}, so that the expectation is
 * unchanged, and the scaled mask is what the multiply's backward uses. Seeds come from the
 * default {@link Generator}, so {@link Generator#manualSeed} makes the masks reproducible.
 */
public final class Regularization {
  private Regularization() {}

  /** Element-wise dropout of any tensor, as {@code torch.nn.functional.dropout}; identity when not training. */
  public static Tensor dropout(Tensor x, double p, boolean training) {
    checkProbability("dropout", p);
    Ops.floating("dropout", "input", x);
    return drop(x, p, training, x.shape());
  }

  /**
   * Channel-wise dropout of {@code x (N, C, *spatial)} with {@code spatialRank} spatial axes, as
   * {@code dropout1d/2d/3d}: one draw per {@code (n, c)} zeroes or keeps a whole feature map.
   */
  public static Tensor channelDropout(Tensor x, double p, boolean training, int spatialRank) {
    String op = "dropout" + spatialRank + "d";
    checkProbability(op, p);
    Ops.floating(op, "input", x);
    Check.shape(x.rank() == spatialRank + 2, "%s: input must have shape (N, C%s), rank %s; received shape %s", op,
        spatialRank == 1 ? ", L" : spatialRank == 2 ? ", H, W" : ", D, H, W", spatialRank + 2, x.shape());
    int[] mask = new int[x.rank()];
    Arrays.fill(mask, 1);
    mask[0] = x.dim(0);
    mask[1] = x.dim(1);
    return drop(x, p, training, Shape.of(mask));
  }

  /** Throws unless {@code 0 <= p <= 1}, naming {@code who} (an op or a layer) and the value. */
  public static void checkProbability(String who, double p) {
    Check.arg(p >= 0 && p <= 1, "%s: dropout probability p must be in [0, 1]; received %s", who, p);
  }

  private static Tensor drop(Tensor x, double p, boolean training, Shape maskShape) {
    if (!training || p == 0) return x;
    if (p == 1) return x.mul(0.0); // every element dropped (NaN stays NaN, as in PyTorch)
    Backend be = x.backend();
    Tensor mask = Ops.empty(maskShape, x.dtype(), be);
    be.randomBernoulli(mask, 1 - p, Generator.getDefault().nextSeed()); // 1 = kept
    be.binaryScalar(BinaryOp.MUL, mask, 1 / (1 - p), mask);
    return x.mul(mask);
  }
}

package org.jdnn.ops;

import java.util.Arrays;
import org.jdnn.autograd.Function;
import org.jdnn.autograd.NoGrad;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Loss functions composed from differentiable primitives. */
public final class Losses {
  private Losses() {}

  /**
   * Mean cross-entropy of {@code logits (N, C)} against integer class indices {@code target (N)}:
   * {@code -mean_n log_softmax(logits)[n, target[n]]}, as {@code torch.nn.functional.cross_entropy}.
   */
  public static Tensor crossEntropy(Tensor logits, Tensor target) {
    Check.shape(logits.rank() == 2,
        "cross_entropy: input must have shape (N, C); received %s", logits.shape());
    Check.shape(target.rank() == 1 && target.dim(0) == logits.dim(0),
        "cross_entropy: target must have shape [%s] (one class index per row of the input); received %s",
        logits.dim(0), target.shape());
    return crossEntropy(logits, target, null, DEFAULT_IGNORE_INDEX, 0, Reduction.MEAN);
  }

  /**
   * {@code (shape of labels, classes)} with a 1 at each label; every label must lie in
   * {@code [0, classes)}.
   */
  public static Tensor oneHot(Tensor labels, int classes, DType dtype) {
    Check.arg(labels.dtype() == DType.I64 || labels.dtype() == DType.I32 || labels.dtype() == DType.U8,
        "one_hot: labels must be integers (I64, I32 or U8); received %s", labels.dtype());
    Check.positive(classes, "one_hot: classes");
    long[] values = labels.toLongArray();
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      Check.arg(v >= 0 && v < classes,
          "target label %s at position %s is out of range [0, %s) for %s classes", v, i, classes, classes);
    }
    int[] dims = java.util.Arrays.copyOf(labels.shape().toArray(), labels.rank() + 1);
    dims[labels.rank()] = classes;
    Tensor out = Ops.empty(Shape.of(dims), dtype, labels.backend());
    labels.backend().oneHot(labels, out);
    return out;
  }

  // ==========================================================================================
  // The losses with PyTorch's options. Each validates its arguments before computing, naming the
  // loss, the argument, the rule and the value received; each is a composite of differentiable
  // ops except binary cross-entropy, whose backward is PyTorch's clamped formula.

  /** PyTorch's default {@code ignore_index}: a value no class index has. */
  public static final long DEFAULT_IGNORE_INDEX = -100;

  /**
   * Softmax cross-entropy of {@code input (N, C, d1..dk)} (or {@code (C)}) against class indices
   * {@code target (N, d1..dk)} (or a scalar), as {@code torch.nn.functional.cross_entropy} with
   * class-index targets: {@code (1 - ls) * nll + ls/C * smooth}, where per position
   * {@code nll = -w[t] log p[t]} and {@code smooth = -sum_c w[c] log p[c]}, both 0 where
   * {@code t == ignoreIndex}. The mean divides both sums by the summed {@code w[t]} of the positions
   * not ignored (their count without weights), as PyTorch 1.13; all ignored gives NaN.
   *
   * @param weight per-class weights {@code (C)}, or null for 1
   * @param labelSmoothing in [0, 1]
   */
  public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
      double labelSmoothing, Reduction reduction) {
    String op = "cross_entropy";
    Check.arg(labelSmoothing >= 0 && labelSmoothing <= 1, "%s: label_smoothing must be in [0, 1]; received %s", op,
        labelSmoothing);
    reduction(op, reduction);
    ClassTargets ct = ClassTargets.of(op, input, target, weight, ignoreIndex);
    return ct.loss(ct.input.logSoftmax(1), labelSmoothing, reduction);
  }

  /**
   * Negative log-likelihood of log-probabilities {@code input (N, C, d1..dk)} (or {@code (C)}), as
   * {@code torch.nn.functional.nll_loss}: {@code -w[t] input[t]} per position, 0 where ignored;
   * the mean divides by the summed {@code w[t]} of the positions not ignored.
   */
  public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
    reduction("nll_loss", reduction);
    ClassTargets ct = ClassTargets.of("nll_loss", input, target, weight, ignoreIndex);
    return ct.loss(ct.input, 0, reduction);
  }

  /** Validated class-index targets and the masks the losses multiply with (no gradient). */
  private static final class ClassTargets {
    final Tensor input; // (N, C, *): an unbatched (C) input seen as (1, C)
    final Shape lossShape; // the unreduced loss: the target's shape
    final int classes;
    final Tensor weight; // (C) or null
    final Tensor weightedHot; // (N, C, *): w[t] at the target's class; 0 elsewhere and where ignored
    final Tensor keep; // (N, *): 1 where not ignored

    private ClassTargets(Tensor input, Shape lossShape, int classes, Tensor weight, Tensor weightedHot, Tensor keep) {
      this.input = input;
      this.lossShape = lossShape;
      this.classes = classes;
      this.weight = weight;
      this.weightedHot = weightedHot;
      this.keep = keep;
    }

    /** {@code ignoreIndex} null: every target must be a class index. */
    static ClassTargets of(String op, Tensor input, Tensor target, Tensor weight, Long ignoreIndex) {
      Backend be = Ops.backendOf(op, input, target, weight);
      Ops.floating(op, "input", input);
      Check.arg(!target.dtype().isFloating(),
          "%s: target must hold integer class indices (I64, I32 or U8); received %s (class-probability targets "
              + "are not supported)", op, target.dtype());
      Check.shape(input.rank() >= 1, "%s: input must have shape (N, C, *) or (C); received a scalar", op);
      Tensor x = input.rank() == 1 ? input.reshape(1, input.dim(0)) : input;
      int classes = x.dim(1);
      Check.shape(classes > 0, "%s: input must have at least one class along axis 1; received shape %s", op,
          input.shape());
      int[] lossDims = withoutAxis1(input.rank() == 1 ? new int[] {input.dim(0)} : input.shape().toArray(),
          input.rank() == 1);
      Shape lossShape = Shape.of(lossDims);
      Check.shape(target.shape().equals(lossShape),
          "%s: target must have shape %s (the input %s without its class axis 1); received %s", op, lossShape,
          input.shape(), target.shape());
      if (weight != null) {
        Check.shape(weight.rank() == 1 && weight.dim(0) == classes,
            "%s: weight must have shape [%s] (one per class); received %s", op, classes, weight.shape());
        Check.arg(weight.dtype() == input.dtype(), "%s: weight must have the input's dtype %s; received %s", op,
            input.dtype(), weight.dtype());
      }
      long[] t = target.toLongArray();
      double[] classOf = new double[t.length];
      double[] keep = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        if (ignoreIndex != null && t[i] == ignoreIndex) {
          classOf[i] = -1; // matches no class: a zero row
          continue;
        }
        int at = i;
        Check.arg(t[i] >= 0 && t[i] < classes,
            "%s: target value %s at %s is not a class index in [0, %s) (%s classes)%s", op, t[i],
            coordinates(target.shape(), at), classes, classes,
            ignoreIndex == null ? "" : " nor ignore_index " + ignoreIndex);
        classOf[i] = t[i];
        keep[i] = 1;
      }
      int[] batch = x.shape().toArray(); // (N, 1, d...): the target beside the class axis
      batch[1] = 1;
      int[] classAxis = new int[x.rank()]; // (1, C, 1, ...)
      Arrays.fill(classAxis, 1);
      classAxis[1] = classes;
      double[] indices = new double[classes];
      for (int c = 0; c < classes; c++) indices[c] = c;
      Tensor hot = Elementwise.binary(BinaryOp.EQ, constant(classOf, batch, x.dtype(), be),
          constant(indices, classAxis, x.dtype(), be));
      Tensor weightedHot = weight == null ? hot : hot.mul(weight.reshape(classAxis));
      Tensor keepMask = constant(keep, withoutAxis1(x.shape().toArray(), false), x.dtype(), be);
      return new ClassTargets(x, lossShape, classes, weight, weightedHot, keepMask);
    }

    /** {@code (1 - ls) * nll + ls/C * smooth} from log-probabilities {@code logp (N, C, *)}, reduced. */
    Tensor loss(Tensor logp, double labelSmoothing, Reduction reduction) {
      int[] classAxis = {1};
      Tensor nll = logp.mul(weightedHot).sum(classAxis, false).neg();
      Tensor denominator = reduction == Reduction.MEAN ? weightedHot.sum() : null;
      Tensor out = reduce(nll, reduction, denominator);
      if (labelSmoothing > 0) {
        Tensor weighted = weight == null ? logp : logp.mul(weight.reshape(channelView(logp.rank(), classes)));
        Tensor smooth = weighted.sum(classAxis, false).neg().mul(keep);
        out = out.mul(1 - labelSmoothing).add(reduce(smooth, reduction, denominator).mul(labelSmoothing / classes));
      }
      return reduction == Reduction.NONE ? out.reshape(lossShape.toArray()) : out;
    }

    private static Tensor reduce(Tensor perPosition, Reduction reduction, Tensor denominator) {
      switch (reduction) {
        case MEAN: return perPosition.sum().div(denominator);
        case SUM: return perPosition.sum();
        default: return perPosition;
      }
    }

    private static int[] withoutAxis1(int[] dims, boolean unbatched) {
      if (unbatched) return new int[0];
      int[] out = new int[dims.length - 1];
      out[0] = dims[0];
      System.arraycopy(dims, 2, out, 1, dims.length - 2);
      return out;
    }
  }

  /**
   * Binary cross-entropy of probabilities {@code input} against {@code target} of the same shape,
   * as {@code torch.nn.functional.binary_cross_entropy}:
   * {@code -w (t log x + (1 - t) log(1 - x))}, each log clamped at -100 as PyTorch does (so
   * {@code x = 0} or 1 give a finite loss). The gradient is PyTorch's,
   * {@code (x - t) / max(x (1 - x), 1e-12)}. Both input and target must lie in [0, 1] (PyTorch
   * checks the input only; a target outside computes no meaningful loss, so jdnn rejects it).
   *
   * @param weight broadcastable to the input's shape, or null
   */
  public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
    String op = "binary_cross_entropy";
    reduction(op, reduction);
    pointwise(op, input, target);
    broadcastable(op, "weight", weight, input);
    inUnitInterval(op, "input", input);
    inUnitInterval(op, "target", target);
    Tensor loss = BinaryCrossEntropyFn.apply(input, target);
    if (weight != null) loss = loss.mul(weight);
    return reduce(loss, reduction);
  }

  /** Per element, unweighted: {@code -(t log x + (1 - t) log(1 - x))} with logs clamped at -100. */
  private static final class BinaryCrossEntropyFn extends Function {
    /** PyTorch's floor under {@code x (1 - x)} in the gradient. */
    private static final double EPSILON = 1e-12;
    private final Tensor x;
    private final Tensor t;
    private final Tensor logX; // max(log x, -100)
    private final Tensor logOneMinusX; // max(log(1 - x), -100)

    private BinaryCrossEntropyFn(Tensor x, Tensor t, Tensor logX, Tensor logOneMinusX) {
      super(x, t);
      this.x = x;
      this.t = t;
      this.logX = logX;
      this.logOneMinusX = logOneMinusX;
    }

    static Tensor apply(Tensor x, Tensor t) {
      Tensor logX;
      Tensor logOneMinusX;
      Tensor loss;
      try (NoGrad ignored = NoGrad.enter()) {
        logX = Elementwise.scalar(BinaryOp.MAX, x.log(), -100);
        logOneMinusX = Elementwise.scalar(BinaryOp.MAX, x.neg().add(1.0).log(), -100);
        loss = logOneMinusX.add(t.mul(logX.sub(logOneMinusX))).neg();
      }
      return new BinaryCrossEntropyFn(x, t, logX, logOneMinusX).attach(loss);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx = null;
      Tensor dt = null;
      if (needsGrad(0)) {
        Tensor floor = Elementwise.scalar(BinaryOp.MAX, x.mul(x.neg().add(1.0)), EPSILON);
        dx = g.mul(x.sub(t)).div(floor);
      }
      if (needsGrad(1)) dt = g.mul(logOneMinusX.sub(logX));
      return new Tensor[] {dx, dt};
    }
  }

  /**
   * Binary cross-entropy of logits, as {@code torch.nn.functional.binary_cross_entropy_with_logits}
   * and with its numerically stable form: with {@code m = max(-x, 0)} and
   * {@code l = 1 + (posWeight - 1) t} (1 without posWeight),
   * {@code loss = (1 - t) x + l (m + log(exp(-m) + exp(-x - m)))}, times {@code weight}. Targets
   * must lie in [0, 1].
   *
   * @param weight broadcastable to the input's shape, or null
   * @param posWeight the weight of positive examples, broadcastable to the input's shape (per class
   *     {@code (C)} for an input {@code (N, C)}), or null
   */
  public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
      Reduction reduction) {
    String op = "binary_cross_entropy_with_logits";
    reduction(op, reduction);
    pointwise(op, input, target);
    broadcastable(op, "weight", weight, input);
    broadcastable(op, "pos_weight", posWeight, input);
    inUnitInterval(op, "target", target);
    Tensor m = input.neg().relu();
    Tensor softplus = m.neg().exp().add(input.neg().sub(m).exp()).log().add(m); // log(1 + exp(-x)), stably
    if (posWeight != null) softplus = posWeight.sub(1.0).mul(target).add(1.0).mul(softplus);
    Tensor loss = target.neg().add(1.0).mul(input).add(softplus);
    if (weight != null) loss = loss.mul(weight);
    return reduce(loss, reduction);
  }

  /** {@code (x - t)^2}, as {@code torch.nn.functional.mse_loss}; input and target of one shape. */
  public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
    reduction("mse_loss", reduction);
    pointwise("mse_loss", input, target);
    return reduce(input.sub(target).square(), reduction);
  }

  /** {@code |x - t|}, as {@code torch.nn.functional.l1_loss}; the gradient at {@code x = t} is 0. */
  public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
    reduction("l1_loss", reduction);
    pointwise("l1_loss", input, target);
    return reduce(input.sub(target).abs(), reduction);
  }

  /**
   * Huber-style smooth L1, as {@code torch.nn.functional.smooth_l1_loss}: with {@code d = x - t},
   * {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}; {@code beta = 0}
   * is the L1 loss.
   */
  public static Tensor smoothL1Loss(Tensor input, Tensor target, double beta, Reduction reduction) {
    String op = "smooth_l1_loss";
    reduction(op, reduction);
    pointwise(op, input, target);
    Check.arg(beta >= 0 && Double.isFinite(beta), "%s: beta must be finite and >= 0; received %s", op, beta);
    Tensor d = input.sub(target);
    Tensor ad = d.abs();
    if (beta == 0) return reduce(ad, reduction);
    Tensor quadratic = Elementwise.scalar(BinaryOp.LT, ad, beta); // a 0/1 mask, no gradient
    Tensor linear = quadratic.neg().add(1.0);
    Tensor loss = d.square().mul(0.5 / beta).mul(quadratic).add(ad.sub(0.5 * beta).mul(linear));
    return reduce(loss, reduction);
  }

  /** How {@link #diceLoss} reads its input and target. */
  public enum DiceMode {
    /**
     * One foreground class: input and target of one shape {@code (N, *)}, every element one
     * prediction; logits go through a sigmoid. The per-class result has one entry.
     */
    BINARY,
    /**
     * Independent classes {@code (N, C, *)} (several may be on at a pixel): target of the input's
     * shape; logits go through a sigmoid.
     */
    MULTILABEL,
    /**
     * Exclusive classes {@code (N, C, *)}: target class indices {@code (N, *)} (one-hot encoded)
     * or per-class probabilities of the input's shape; logits go through a softmax over axis 1.
     */
    MULTICLASS
  }

  /**
   * Soft Dice loss (Milletari et al. 2016, https://arxiv.org/abs/1606.04797, with an additive
   * smoothing term): per class {@code c}, over the batch and every spatial position together,
   * {@code dice_c = (2 sum(p t) + smooth) / (sum(p) + sum(t) + smooth)} and
   * {@code loss_c = 1 - dice_c}. {@code Reduction.MEAN} averages over classes, {@code SUM} adds
   * them and {@code NONE} returns the per-class losses {@code (C)} ({@code (1)} for BINARY). There is
   * no PyTorch built-in; its tests derive the reference from this formula.
   *
   * @param fromLogits whether {@code input} holds logits (sigmoid or softmax applied here, see
   *     {@link DiceMode}) rather than probabilities
   * @param smooth added to numerator and denominator, >= 0; it keeps a class absent from both
   *     prediction and target at loss 0 instead of 0/0
   */
  public static Tensor diceLoss(Tensor input, Tensor target, DiceMode mode, boolean fromLogits, double smooth,
      Reduction reduction) {
    String op = "dice_loss";
    reduction(op, reduction);
    Check.arg(mode != null, "%s: mode must be BINARY, MULTILABEL or MULTICLASS; received null", op);
    Ops.backendOf(op, input, target);
    Ops.floating(op, "input", input);
    Check.arg(smooth >= 0 && Double.isFinite(smooth), "%s: smooth must be finite and >= 0; received %s", op, smooth);
    Tensor p;
    Tensor t;
    int[] axes; // summed over: everything but the class axis
    if (mode == DiceMode.BINARY) {
      Check.shape(input.rank() >= 1, "%s: BINARY input must have shape (N, *); received a scalar", op);
      pointwise(op, input, target);
      inUnitInterval(op, "target", target);
      p = fromLogits ? input.sigmoid() : input;
      t = target;
      axes = allAxes(input.rank());
    } else {
      Check.shape(input.rank() >= 2, "%s: %s input must have shape (N, C, *); received %s", op, mode, input.shape());
      p = !fromLogits ? input : mode == DiceMode.MULTILABEL ? input.sigmoid() : input.softmax(1);
      if (mode == DiceMode.MULTICLASS && !target.dtype().isFloating()) {
        t = ClassTargets.of(op, input, target, null, null).weightedHot; // one-hot, every index checked
      } else {
        pointwise(op, input, target);
        inUnitInterval(op, "target", target);
        t = target;
      }
      axes = new int[input.rank() - 1];
      for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
    }
    Tensor intersection = p.mul(t).sum(axes, false);
    Tensor cardinality = p.sum(axes, false).add(t.sum(axes, false));
    Tensor dice = intersection.mul(2.0).add(smooth).div(cardinality.add(smooth));
    Tensor perClass = dice.neg().add(1.0);
    if (mode == DiceMode.BINARY) perClass = perClass.reshape(1);
    switch (reduction) {
      case MEAN: return perClass.mean();
      case SUM: return perClass.sum();
      default: return perClass;
    }
  }

  // ------------------------------------------------------------------ shared checks and helpers

  private static void reduction(String op, Reduction r) {
    Check.arg(r != null, "%s: reduction must be MEAN, SUM or NONE; received null", op);
  }

  /** A floating target of the input's shape, dtype and backend. */
  private static void pointwise(String op, Tensor input, Tensor target) {
    Ops.backendOf(op, input, target);
    Ops.floating(op, "input", input);
    Ops.floating(op, "target", target);
    Check.shape(target.shape().equals(input.shape()), "%s: target must have the input's shape %s; received %s", op,
        input.shape(), target.shape());
    Check.arg(target.dtype() == input.dtype(), "%s: target must have the input's dtype %s; received %s", op,
        input.dtype(), target.dtype());
  }

  /** An optional tensor that broadcasts to the input's shape without enlarging it. */
  private static void broadcastable(String op, String arg, Tensor t, Tensor input) {
    if (t == null) return;
    Ops.backendOf(op, input, t);
    Check.arg(t.dtype() == input.dtype(), "%s: %s must have the input's dtype %s; received %s", op, arg,
        input.dtype(), t.dtype());
    boolean fits = t.rank() <= input.rank();
    for (int i = 1; fits && i <= t.rank(); i++) fits = t.dim(-i) == 1 || t.dim(-i) == input.dim(-i);
    Check.shape(fits, "%s: %s must broadcast to the input's shape %s; received %s", op, arg, input.shape(),
        t.shape());
  }

  /** Every element in [0, 1]; NaN is reported as such. */
  private static void inUnitInterval(String op, String arg, Tensor t) {
    double[] v = t.toDoubleArray();
    for (int i = 0; i < v.length; i++) {
      if (v[i] >= 0 && v[i] <= 1) continue;
      int at = i;
      Check.arg(!Double.isNaN(v[i]), "%s: %s contains NaN at %s; it must hold values in [0, 1]", op, arg,
          coordinates(t.shape(), at));
      Check.arg(false, "%s: %s must hold values in [0, 1]; received %s at %s", op, arg, v[i],
          coordinates(t.shape(), at));
    }
  }

  private static Tensor reduce(Tensor perElement, Reduction reduction) {
    switch (reduction) {
      case MEAN: return perElement.mean();
      case SUM: return perElement.sum();
      default: return perElement;
    }
  }

  private static int[] allAxes(int rank) {
    int[] a = new int[rank];
    for (int i = 0; i < rank; i++) a[i] = i;
    return a;
  }

  /** {@code (1, C, 1, ...)} of the given rank. */
  private static int[] channelView(int rank, int channels) {
    int[] d = new int[rank];
    Arrays.fill(d, 1);
    d[1] = channels;
    return d;
  }

  /** A constant (no gradient) tensor of a floating dtype holding {@code values}. */
  private static Tensor constant(double[] values, int[] dims, DType dtype, Backend be) {
    Object host = values;
    if (dtype == DType.F32) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      host = f;
    }
    return Tensor.fromArray(host, values.length, dtype, dims, be);
  }

  /** {@code [1, 2]}: the coordinates of a flat index, for messages. */
  private static String coordinates(Shape shape, int flat) {
    int[] c = new int[shape.rank()];
    for (int a = shape.rank() - 1; a >= 0; a--) {
      c[a] = flat % shape.dim(a);
      flat /= shape.dim(a);
    }
    return Arrays.toString(c);
  }
}

package org.jdnn.ops;

import java.util.Arrays;
import org.jdnn.autograd.Function;
import org.jdnn.autograd.NoGrad;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.UnaryOp;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Batch normalisation and local response normalisation through the backend's BATCH_NORM and LRN
 * primitives, each forward beside its backward.
 */
public final class Normalization {
  private Normalization() {}

  // ------------------------------------------------------------------ batch norm

  /**
   * Batch normalisation of {@code x (N, C, *)}, as {@code torch.nn.functional.batch_norm}.
   *
   * <p>Training ({@code training} true): per channel the batch mean and biased variance over
   * {@code N} and every spatial position normalise {@code x}; when running statistics are given
   * they are updated in place, {@code running = (1 - momentum) * running + momentum * batch}, the
   * variance term being the unbiased batch variance (as PyTorch). Evaluation: the running
   * statistics normalise. Then {@code y = xhat * weight + bias}.
   *
   * @param runningMean {@code (C)} or null (both null or both given; required when not training)
   * @param runningVar {@code (C)} or null
   * @param weight {@code (C)}, or null for 1 (no affine transform)
   * @param bias {@code (C)}, or null for 0
   * @param momentum the weight of the batch statistic in the running update (PyTorch's
   *     exponential average factor; {@code 1/k} at the k-th batch gives the cumulative average)
   * @param eps added to the variance before the square root
   */
  public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, double momentum, double eps) {
    String op = "batch_norm";
    Backend be = Ops.backendOf(op, x, runningMean, runningVar, weight, bias);
    Ops.floating(op, "input", x);
    Check.shape(x.rank() >= 2, "%s: input must have shape (N, C, *), rank >= 2; received shape %s", op, x.shape());
    int channels = x.dim(1);
    Check.shape(channels > 0 && x.dim(0) > 0, "%s: input must have at least one sample and one channel; received %s",
        op, x.shape());
    perChannel(op, "weight", weight, x);
    perChannel(op, "bias", bias, x);
    perChannel(op, "running_mean", runningMean, x);
    perChannel(op, "running_var", runningVar, x);
    Check.arg((runningMean == null) == (runningVar == null),
        "%s: running_mean and running_var must both be given or both be null; received %s and %s", op,
        runningMean == null ? "null" : "a tensor", runningVar == null ? "null" : "a tensor");
    Check.arg(training || runningMean != null,
        "%s: evaluation (training=false) normalises with the running statistics, but none were given", op);
    Check.arg(eps >= 0 && Double.isFinite(eps), "%s: eps must be finite and >= 0; received %s", op, eps);
    long count = x.numel() / channels; // values per channel
    Check.shape(!training || count > 1,
        "%s: expected more than 1 value per channel when training; received input of shape %s (%s value per channel)",
        op, x.shape(), count);

    Tensor w = weight != null ? weight : Tensor.full(Shape.of(channels), 1, x.dtype(), be);
    Tensor b = bias != null ? bias : Tensor.zeros(Shape.of(channels), x.dtype(), be);
    Tensor y = Ops.empty(x.shape(), x.dtype(), be);
    if (!training) {
      be.batchNormInference(x, w, b, runningMean, runningVar, eps, y);
      return new BatchNormEvalFn(x, weight, bias, w, runningMean, runningVar, eps).attach(y);
    }
    Tensor mean = Ops.empty(Shape.of(channels), x.dtype(), be);
    Tensor invStd = Ops.empty(Shape.of(channels), x.dtype(), be);
    be.batchNormTraining(x, w, b, eps, y, mean, invStd);
    if (runningMean != null) updateRunningStatistics(runningMean, runningVar, mean, invStd, eps, count, momentum);
    return new BatchNormFn(x, weight, bias, w, mean, invStd).attach(y);
  }

  private static void perChannel(String op, String arg, Tensor t, Tensor x) {
    if (t == null) return;
    Check.shape(t.rank() == 1 && t.dim(0) == x.dim(1),
        "%s: %s must have shape [%s] (one value per channel of the input %s); received %s", op, arg, x.dim(1),
        x.shape(), t.shape());
    Check.arg(t.dtype() == x.dtype(), "%s: %s must have the input's dtype %s; received %s", op, arg, x.dtype(),
        t.dtype());
  }

  /**
   * {@code running = (1 - m) running + m batch}; the batch variance comes back from the saved
   * inverse standard deviation, {@code 1/invStd^2 - eps}, made unbiased by {@code count/(count-1)}.
   */
  private static void updateRunningStatistics(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor invStd,
      double eps, long count, double momentum) {
    Backend be = mean.backend();
    try (NoGrad ignored = NoGrad.enter(); Tensor var = Ops.empty(invStd.shape(), invStd.dtype(), be)) {
      be.binaryScalar(BinaryOp.POW, invStd, -2, var);
      be.binaryScalar(BinaryOp.SUB, var, eps, var);
      be.binaryScalar(BinaryOp.MUL, var, (double) count / (count - 1), var);
      runningMean.mulInPlace(1 - momentum).addInPlace(mean, momentum);
      runningVar.mulInPlace(1 - momentum).addInPlace(var, momentum);
    }
  }

  /** {@code (1, C, 1, ...)} of x's rank: a per-channel vector broadcast over batch and space. */
  private static int[] channelView(Tensor x) {
    int[] d = new int[x.rank()];
    Arrays.fill(d, 1);
    d[1] = x.dim(1);
    return d;
  }

  /** Every axis but the channel axis 1. */
  private static int[] allButChannels(Tensor x) {
    int[] axes = new int[x.rank() - 1];
    axes[0] = 0;
    for (int i = 1; i < axes.length; i++) axes[i] = i + 1;
    return axes;
  }

  /** Training mode: the batch statistics depend on x, which the backward primitive accounts for. */
  private static final class BatchNormFn extends Function {
    private final Tensor x;
    private final Tensor w; // the weight, or ones
    private final Tensor mean; // saved batch mean (C)
    private final Tensor invStd; // saved 1/sqrt(batch var + eps) (C)

    BatchNormFn(Tensor x, Tensor weight, Tensor bias, Tensor w, Tensor mean, Tensor invStd) {
      super(x, weight, bias);
      this.x = x;
      this.w = w;
      this.mean = mean;
      this.invStd = invStd;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Backend be = x.backend();
      Tensor dx = Ops.empty(x.shape(), x.dtype(), be);
      Tensor dw = Ops.empty(w.shape(), x.dtype(), be);
      Tensor db = Ops.empty(w.shape(), x.dtype(), be);
      be.batchNormBackward(x, w, dy, mean, invStd, dx, dw, db);
      return new Tensor[] {needsGrad(0) ? dx : null, needsGrad(1) ? dw : null, needsGrad(2) ? db : null};
    }
  }

  /**
   * Evaluation mode is a fixed per-channel affine map {@code y = (x - mean) * s + bias} with
   * {@code s = weight / sqrt(var + eps)}: its gradients are broadcast products and sums.
   */
  private static final class BatchNormEvalFn extends Function {
    private final Tensor x;
    private final Tensor w;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final double eps;

    BatchNormEvalFn(Tensor x, Tensor weight, Tensor bias, Tensor w, Tensor runningMean, Tensor runningVar,
        double eps) {
      super(x, weight, bias);
      this.x = x;
      this.w = w;
      this.runningMean = runningMean;
      this.runningVar = runningVar;
      this.eps = eps;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      int[] view = channelView(x);
      int channels = x.dim(1);
      Tensor invStd = Elementwise.unary(UnaryOp.RECIPROCAL, runningVar.add(eps).sqrt());
      Tensor dx = needsGrad(0) ? dy.mul(w.mul(invStd).reshape(view)) : null;
      Tensor dw = null;
      if (needsGrad(1)) {
        Tensor xhat = x.sub(runningMean.reshape(view)).mul(invStd.reshape(view));
        dw = dy.mul(xhat).sum(allButChannels(x), false).reshape(channels);
      }
      Tensor db = needsGrad(2) ? dy.sum(allButChannels(x), false).reshape(channels) : null;
      return new Tensor[] {dx, dw, db};
    }
  }

  // ------------------------------------------------------------------ local response norm

  /**
   * Local response normalisation across channels of {@code x (N, C, *)}, rank >= 3, as
   * {@code torch.nn.functional.local_response_norm}: {@code y_c = x_c / (k + alpha/size *
   * sum_{c'} x_c'^2)^beta} over the channels {@code c - size/2 .. c + (size-1)/2} (missing ones
   * count as zero).
   */
  public static Tensor localResponseNorm(Tensor x, int size, double alpha, double beta, double k) {
    String op = "local_response_norm";
    Ops.floating(op, "input", x);
    Check.shape(x.rank() >= 3,
        "%s: input must have shape (N, C, *) with at least one spatial axis, rank >= 3; received shape %s", op,
        x.shape());
    Check.arg(size >= 1, "%s: size must be >= 1; received %s", op, size);
    Tensor y = Ops.empty(x.shape(), x.dtype(), x.backend());
    x.backend().lrn(size, alpha, beta, k, x, y);
    return new LrnFn(x, y, size, alpha, beta, k).attach(y);
  }

  private static final class LrnFn extends Function {
    private final Tensor x;
    private final Tensor y;
    private final int size;
    private final double alpha;
    private final double beta;
    private final double k;

    LrnFn(Tensor x, Tensor y, int size, double alpha, double beta, double k) {
      super(x);
      this.x = x;
      this.y = y;
      this.size = size;
      this.alpha = alpha;
      this.beta = beta;
      this.k = k;
    }

    @Override
    protected Tensor[] backward(Tensor dy) {
      Tensor dx = Ops.empty(x.shape(), x.dtype(), x.backend());
      x.backend().lrnBackward(size, alpha, beta, k, x, y, dy, dx);
      return new Tensor[] {dx};
    }
  }
}

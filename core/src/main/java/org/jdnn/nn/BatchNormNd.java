package org.jdnn.nn;

import java.util.Locale;
import org.jdnn.autograd.NoGrad;
import org.jdnn.ops.Normalization;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Base of {@link BatchNorm1d}, {@link BatchNorm2d} and {@link BatchNorm3d}, as PyTorch's
 * {@code _BatchNorm} (Ioffe and Szegedy 2015, https://arxiv.org/abs/1502.03167).
 *
 * <p>State, with PyTorch's names and so its state-dict keys: parameters {@code weight} (1s) and
 * {@code bias} (0s), {@code (C)}, when affine; buffers {@code running_mean} (0s),
 * {@code running_var} (1s) and {@code num_batches_tracked} (an I64 scalar, 0) when tracking
 * running statistics.
 *
 * <p>Training: normalises with the batch statistics over N and every spatial position, and
 * (when tracking) updates {@code running = (1 - momentum) * running + momentum * batch}, with the
 * unbiased batch variance, and adds 1 to {@code num_batches_tracked}. A null momentum gives the
 * cumulative moving average ({@code momentum = 1/num_batches_tracked}). Note that PyTorch's
 * momentum is the weight of the <em>new</em> value (0.1 by default), the complement of the
 * {@code 0.9} "decay" in some other libraries. Evaluation: normalises with the running
 * statistics; without tracked statistics it uses the batch statistics in both modes.
 */
public abstract class BatchNormNd extends Module {
  protected final int numFeatures;
  protected final double eps;
  protected final Double momentum;
  protected final boolean affine;
  protected final boolean trackRunningStats;

  protected BatchNormNd(int numFeatures, Options options) {
    String name = getClass().getSimpleName();
    Check.arg(numFeatures > 0, "%s: num_features must be positive; received %s", name, numFeatures);
    Check.arg(options.eps >= 0 && Double.isFinite(options.eps), "%s: eps must be finite and >= 0; received %s", name,
        options.eps);
    this.numFeatures = numFeatures;
    this.eps = options.eps;
    this.momentum = options.momentum;
    this.affine = options.affine;
    this.trackRunningStats = options.trackRunningStats;
    Shape c = Shape.of(numFeatures);
    if (affine) {
      registerParameter("weight", Tensor.full(c, 1, DType.F32, Backends.cpu()));
      registerParameter("bias", Tensor.zeros(c, DType.F32, Backends.cpu()));
    }
    if (trackRunningStats) {
      registerBuffer("running_mean", Tensor.zeros(c, DType.F32, Backends.cpu()));
      registerBuffer("running_var", Tensor.full(c, 1, DType.F32, Backends.cpu()));
      registerBuffer("num_batches_tracked", Tensor.zeros(Shape.scalar(), DType.I64, Backends.cpu()));
    }
  }

  /** Checks the input's rank for this layer's dimensionality; throws a {@code ShapeException}. */
  protected abstract void checkRank(Shape input);

  /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public static Options options() {
    return new Options();
  }

  /** The optional arguments of a batch-norm layer, with PyTorch's defaults. */
  public static final class Options {
    private double eps = 1e-5;
    private Double momentum = 0.1;
    private boolean affine = true;
    private boolean trackRunningStats = true;

    private Options() {}

    public Options eps(double value) {
      eps = value;
      return this;
    }

    /** The weight of the batch statistic in the running update; null for the cumulative average. */
    public Options momentum(Double value) {
      momentum = value;
      return this;
    }

    public Options affine(boolean value) {
      affine = value;
      return this;
    }

    public Options trackRunningStats(boolean value) {
      trackRunningStats = value;
      return this;
    }
  }

  /** {@code (C)} scale, or null when not affine. */
  public Tensor weight() {
    return param("weight");
  }

  /** {@code (C)} shift, or null when not affine. */
  public Tensor bias() {
    return param("bias");
  }

  /** {@code (C)}, or null when not tracking running statistics. */
  public Tensor runningMean() {
    return param("running_mean");
  }

  /** {@code (C)}, or null when not tracking running statistics. */
  public Tensor runningVar() {
    return param("running_var");
  }

  /** The number of training batches seen (I64 scalar), or null when not tracking. */
  public Tensor numBatchesTracked() {
    return param("num_batches_tracked");
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    checkRank(x.shape());
    Check.shape(x.dim(1) == numFeatures,
        "%s: input must have num_features=%s channels at axis 1; received shape %s", getClass().getSimpleName(),
        numFeatures, x.shape());
    boolean update = isTraining() && trackRunningStats;
    double factor = 0;
    if (update) {
      // Checked here as well as in the op, so that a rejected batch is not counted.
      Check.shape(x.numel() / numFeatures > 1,
          "%s: expected more than 1 value per channel when training; received input of shape %s",
          getClass().getSimpleName(), x.shape());
      Tensor tracked = numBatchesTracked();
      try (NoGrad ignored = NoGrad.enter()) {
        tracked.backend().binaryScalar(org.jdnn.spi.BinaryOp.ADD, tracked, 1, tracked);
      }
      factor = momentum != null ? momentum : 1.0 / tracked.item();
    }
    boolean batchStatistics = isTraining() || !trackRunningStats;
    return Normalization.batchNorm(x, trackRunningStats ? runningMean() : null,
        trackRunningStats ? runningVar() : null, weight(), bias(), batchStatistics, factor, eps);
  }

  /** {@code 64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True}, as PyTorch prints it. */
  @Override
  protected String extraRepr() {
    return String.format(Locale.ROOT, "%d, eps=%s, momentum=%s, affine=%s, track_running_stats=%s", numFeatures,
        pythonFloat(eps), momentum == null ? "None" : pythonFloat(momentum), affine ? "True" : "False",
        trackRunningStats ? "True" : "False");
  }

  private static String pythonFloat(double v) {
    String s = Double.toString(v);
    return s.contains("E") ? String.format(Locale.ROOT, "%.0e", v) : s;
  }
}

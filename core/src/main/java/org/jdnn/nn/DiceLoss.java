package org.jdnn.nn;

import org.jdnn.ops.Losses;
import org.jdnn.ops.Losses.DiceMode;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Soft Dice loss for segmentation (no PyTorch built-in): per class {@code c}, over the batch and
 * every pixel together, {@code 1 - (2 sum(p t) + smooth) / (sum(p) + sum(t) + smooth)}, then the
 * mean over classes (or their sum, or the per-class vector). Formula and modes:
 * {@link Losses#diceLoss}.
 *
 * <p>Defaults: {@link DiceMode#MULTICLASS} on logits (softmax over the class axis applied here),
 * smooth 1, mean. The input is logits unless {@code fromLogits(false)} says it holds
 * probabilities already. A target with NaN or values outside [0, 1] (or class indices outside
 * {@code [0, C)}) is an error.
 *
 * <pre>{@code
 * Loss dice = new DiceLoss();                                    // U-Net logits (N, C, H, W), labels (N, H, W)
 * Loss binary = DiceLoss.builder().mode(DiceMode.BINARY).build(); // logits (N, 1, H, W), mask (N, 1, H, W)
 * }</pre>
 */
public final class DiceLoss implements Loss {
  private final DiceMode mode;
  private final boolean fromLogits;
  private final double smooth;
  private final Reduction reduction;

  /** Multi-class, logits, smooth 1, mean over classes. */
  public DiceLoss() {
    this(builder());
  }

  private DiceLoss(Builder b) {
    Check.arg(b.mode != null, "DiceLoss: mode must be BINARY, MULTILABEL or MULTICLASS; received null");
    Check.arg(b.smooth >= 0 && Double.isFinite(b.smooth), "DiceLoss: smooth must be finite and >= 0; received %s",
        b.smooth);
    this.mode = b.mode;
    this.fromLogits = b.fromLogits;
    this.smooth = b.smooth;
    this.reduction = LossArgs.notNull("DiceLoss", b.reduction);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return Losses.diceLoss(input, target, mode, fromLogits, smooth, reduction);
  }

  /** Optional arguments; see {@link DiceLoss} for the defaults. */
  public static final class Builder {
    private DiceMode mode = DiceMode.MULTICLASS;
    private boolean fromLogits = true;
    private double smooth = 1;
    private Reduction reduction = Reduction.MEAN;

    private Builder() {}

    public Builder mode(DiceMode m) {
      mode = m;
      return this;
    }

    /** Whether the input holds logits (default) or probabilities. */
    public Builder fromLogits(boolean logits) {
      fromLogits = logits;
      return this;
    }

    public Builder smooth(double s) {
      smooth = s;
      return this;
    }

    /** MEAN over classes (default), SUM, or NONE for the per-class losses {@code (C)}. */
    public Builder reduction(Reduction r) {
      reduction = r;
      return this;
    }

    public DiceLoss build() {
      return new DiceLoss(this);
    }
  }
}

package org.jdnn.ops;

import java.util.Arrays;
import java.util.List;
import org.jdnn.autograd.Function;
import org.jdnn.spi.Backend;
import org.jdnn.spi.PadMode;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/** Operations that rearrange elements into a new tensor: permute, narrow, concatenate, split, where, pad. */
public final class Movement {
  private Movement() {}

  /** {@code x.permute(axes)}: output axis {@code i} is input axis {@code axes[i]}. */
  public static Tensor permute(Tensor x, int... axes) {
    Check.shape(axes.length == x.rank(), "permute: needs %s axes for a tensor of shape %s; received %s",
        x.rank(), x.shape(), axes);
    int[] norm = new int[axes.length];
    boolean[] seen = new boolean[axes.length];
    int[] dims = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      norm[i] = x.shape().axis(axes[i]);
      Check.shape(!seen[norm[i]], "permute: axes must be a permutation of 0..%s; received %s", x.rank() - 1, axes);
      seen[norm[i]] = true;
      dims[i] = x.dim(norm[i]);
    }
    Tensor y = Ops.empty(Shape.of(dims), x.dtype(), x.backend());
    x.backend().permute(x, norm, y);
    return new PermuteFn(x, norm).attach(y);
  }

  /** Swaps two axes. */
  public static Tensor transpose(Tensor x, int a, int b) {
    int[] axes = new int[x.rank()];
    for (int i = 0; i < axes.length; i++) axes[i] = i;
    int na = x.shape().axis(a);
    int nb = x.shape().axis(b);
    axes[na] = nb;
    axes[nb] = na;
    return permute(x, axes);
  }

  /** A copy of {@code x[..., start:start+length, ...]} along {@code axis}. */
  public static Tensor narrow(Tensor x, int axis, int start, int length) {
    int a = x.shape().axis(axis);
    Check.shape(start >= 0 && length >= 0 && start + length <= x.dim(a),
        "narrow: range [%s, %s) is out of bounds for axis %s of size %s (shape %s)",
        start, start + length, axis, x.dim(a), x.shape());
    Tensor y = Ops.empty(x.shape().with(a, length), x.dtype(), x.backend());
    x.backend().narrow(x, a, start, y);
    return new NarrowFn(x, a, start).attach(y);
  }

  /** Concatenates tensors of equal shape but for {@code axis}, as {@code torch.cat}. */
  public static Tensor concat(List<Tensor> parts, int axis) {
    Check.arg(!parts.isEmpty(), "concat: needs at least one tensor");
    Tensor first = parts.get(0);
    Backend be = Ops.backendOf("concat", parts.toArray(new Tensor[0]));
    int a = first.shape().axis(axis);
    int total = 0;
    for (int i = 0; i < parts.size(); i++) {
      Tensor t = parts.get(i);
      Ops.sameDType("concat", first, t);
      Check.shape(t.rank() == first.rank() && t.shape().with(a, 1).equals(first.shape().with(a, 1)),
          "concat: tensors must match in every axis but %s; tensor 0 has shape %s, tensor %s has %s",
          axis, first.shape(), i, t.shape());
      total += t.dim(a);
    }
    Tensor y = Ops.empty(first.shape().with(a, total), first.dtype(), be);
    int offset = 0;
    for (Tensor t : parts) {
      be.narrowAssign(t, a, offset, y);
      offset += t.dim(a);
    }
    return new ConcatFn(parts, a).attach(y);
  }

  /** Splits {@code x} along {@code axis} into pieces of the given sizes, as {@code torch.split}. */
  public static List<Tensor> split(Tensor x, int axis, int... sizes) {
    int a = x.shape().axis(axis);
    int sum = Arrays.stream(sizes).sum();
    Check.shape(sum == x.dim(a) && Arrays.stream(sizes).allMatch(s -> s >= 0),
        "split: sizes %s must be non-negative and sum to axis %s's size %s", sizes, axis, x.dim(a));
    Tensor[] out = new Tensor[sizes.length];
    int start = 0;
    for (int i = 0; i < sizes.length; i++) {
      out[i] = narrow(x, a, start, sizes[i]);
      start += sizes[i];
    }
    return List.of(out);
  }

  /** {@code cond != 0 ? a : b} under broadcasting, differentiable in {@code a} and {@code b}. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    Backend be = Ops.backendOf("where", cond, a, b);
    Ops.sameDType("where", a, b);
    Shape out = Shape.broadcast(Shape.broadcast(cond.shape(), a.shape()), b.shape());
    Tensor y = Ops.empty(out, a.dtype(), be);
    be.where(cond, a, b, y);
    return new WhereFn(cond, a, b).attach(y);
  }

  /**
   * Pads the last axes of {@code x} as {@code torch.nn.functional.pad}: {@code pads} lists
   * (before, after) pairs starting from the LAST axis, e.g. {@code (left, right, top, bottom)} for
   * an image. Reflect needs each pad smaller than its axis, circular at most its axis.
   */
  public static Tensor pad(Tensor x, int[] pads, PadMode mode, double value) {
    Check.shape(pads.length % 2 == 0 && pads.length / 2 <= x.rank(),
        "pad: needs (before, after) pairs for at most %s axes; received %s", x.rank(), pads);
    int k = pads.length / 2;
    int[] before = new int[k];
    int[] after = new int[k];
    int[] dims = x.shape().toArray();
    for (int i = 0; i < k; i++) {
      int axis = x.rank() - 1 - i; // pairs start from the last axis
      int slot = k - 1 - i;
      before[slot] = pads[2 * i];
      after[slot] = pads[2 * i + 1];
      int size = x.dim(axis);
      String name = mode.name().toLowerCase();
      Check.shape(before[slot] >= 0 && after[slot] >= 0, "pad: %s padding must be >= 0; received %s", name, pads);
      if (mode == PadMode.REFLECT) {
        Check.shape(before[slot] < size && after[slot] < size,
            "pad: reflect padding must be smaller than the padded axis; axis %s has size %s, padding %s",
            axis, size, pads);
      } else if (mode == PadMode.CIRCULAR || mode == PadMode.REPLICATE) {
        Check.shape(size > 0 && (mode == PadMode.REPLICATE || (before[slot] <= size && after[slot] <= size)),
            "pad: %s padding must not exceed the padded axis; axis %s has size %s, padding %s",
            name, axis, size, pads);
      }
      dims[axis] = size + before[slot] + after[slot];
    }
    Tensor y = Ops.empty(Shape.of(dims), x.dtype(), x.backend());
    x.backend().pad(mode, before, after, value, x, y);
    return new PadFn(x, mode, before, after).attach(y);
  }

  private static final class PermuteFn extends Function {
    private final int[] axes;

    PermuteFn(Tensor x, int[] axes) {
      super(x);
      this.axes = axes;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int[] inverse = new int[axes.length];
      for (int i = 0; i < axes.length; i++) inverse[axes[i]] = i;
      return new Tensor[] {permute(g, inverse)};
    }
  }

  private static final class NarrowFn extends Function {
    private final Shape inShape;
    private final int axis;
    private final int start;

    NarrowFn(Tensor x, int axis, int start) {
      super(x);
      this.inShape = x.shape();
      this.axis = axis;
      this.start = start;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx = Tensor.zeros(inShape, g.dtype(), g.backend());
      g.backend().narrowAssign(g, axis, start, dx);
      return new Tensor[] {dx};
    }
  }

  private static final class ConcatFn extends Function {
    private final int[] sizes;
    private final int axis;

    ConcatFn(List<Tensor> parts, int axis) {
      super(parts.toArray(new Tensor[0]));
      this.axis = axis;
      this.sizes = parts.stream().mapToInt(t -> t.dim(axis)).toArray();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor[] grads = new Tensor[sizes.length];
      int start = 0;
      for (int i = 0; i < sizes.length; i++) {
        if (needsGrad(i)) grads[i] = narrow(g, axis, start, sizes[i]);
        start += sizes[i];
      }
      return grads;
    }
  }

  private static final class WhereFn extends Function {
    private final Tensor cond;
    private final Shape aShape;
    private final Shape bShape;

    WhereFn(Tensor cond, Tensor a, Tensor b) {
      super(null, a, b);
      this.cond = cond;
      this.aShape = a.shape();
      this.bShape = b.shape();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor zero = Tensor.zeros(Shape.scalar(), g.dtype(), g.backend());
      Tensor da = needsGrad(1) ? Ops.sumTo(where(cond, g, zero), aShape) : null;
      Tensor db = needsGrad(2) ? Ops.sumTo(where(cond, zero, g), bShape) : null;
      return new Tensor[] {null, da, db};
    }
  }

  private static final class PadFn extends Function {
    private final Shape inShape;
    private final PadMode mode;
    private final int[] before;
    private final int[] after;

    PadFn(Tensor x, PadMode mode, int[] before, int[] after) {
      super(x);
      this.inShape = x.shape();
      this.mode = mode;
      this.before = before;
      this.after = after;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx = Ops.empty(inShape, g.dtype(), g.backend());
      g.backend().padBackward(mode, before, after, g, dx);
      return new Tensor[] {dx};
    }
  }
}

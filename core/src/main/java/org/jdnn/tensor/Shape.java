package org.jdnn.tensor;

import java.util.Arrays;
import org.jdnn.util.Check;
import org.jdnn.util.ShapeException;

/**
 * An immutable tensor shape: the size of each axis, outermost first (NCHW for images). A rank-0
 * shape is a scalar with one element.
 */
public final class Shape {
  private static final Shape SCALAR = new Shape(new int[0]);
  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /** A shape with the given axis sizes; every size must be non-negative. */
  public static Shape of(int... dims) {
    if (dims.length == 0) return SCALAR;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new ShapeException("shape sizes must be non-negative; received " + Arrays.toString(dims));
      }
    }
    return new Shape(dims.clone());
  }

  public static Shape scalar() {
    return SCALAR;
  }

  /** Number of axes. */
  public int rank() {
    return dims.length;
  }

  /** Size of axis {@code axis}; negative axes count from the end as in PyTorch. */
  public int dim(int axis) {
    return dims[axis(axis)];
  }

  /** Normalises a possibly negative axis to {@code 0..rank-1}, or throws naming the rank. */
  public int axis(int axis) {
    int a = axis < 0 ? axis + dims.length : axis;
    if (a < 0 || a >= dims.length) {
      throw new ShapeException(
          "axis " + axis + " is out of range for a tensor of rank " + dims.length + " " + this);
    }
    return a;
  }

  /** A copy of the axis sizes. */
  public int[] toArray() {
    return dims.clone();
  }

  /** Total number of elements (1 for a scalar). */
  public long numel() {
    long n = 1;
    for (int d : dims) n *= d;
    return n;
  }

  /** Product of the sizes of axes {@code from..to-1}. */
  public long numel(int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) n *= dims[i];
    return n;
  }

  /** Row-major strides in elements. */
  public long[] strides() {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** This shape with axis {@code axis} set to {@code size}. */
  public Shape with(int axis, int size) {
    int[] d = dims.clone();
    d[axis(axis)] = size;
    return of(d);
  }

  /**
   * Resolves a reshape target, allowing one {@code -1} to be inferred as in PyTorch's {@code view}.
   */
  public Shape reshape(int... target) {
    int infer = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        Check.shape(infer < 0, "reshape: only one axis may be -1; received %s", target);
        infer = i;
      } else {
        Check.shape(target[i] >= 0, "reshape: sizes must be >= 0 or -1; received %s", target);
        known *= target[i];
      }
    }
    int[] out = target.clone();
    if (infer >= 0) {
      Check.shape(known > 0 && numel() % known == 0,
          "reshape: cannot infer -1 in %s for %s elements of shape %s", target, numel(), this);
      out[infer] = (int) (numel() / known);
    }
    Shape s = of(out);
    Check.shape(s.numel() == numel(),
        "reshape: target %s has %s elements but the tensor of shape %s has %s",
        target, s.numel(), this, numel());
    return s;
  }

  /**
   * The shape two operands broadcast to under NumPy/PyTorch rules: axes align from the right, and
   * each pair is equal or one of them is 1.
   */
  public static Shape broadcast(Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
      int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
      if (da != db && da != 1 && db != 1) {
        throw new ShapeException("shapes " + a + " and " + b + " cannot be broadcast together: axis "
            + (i - rank) + " has sizes " + da + " and " + db);
      }
      out[i] = da == 1 ? db : da;
    }
    return of(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Prints as {@code [8, 1, 28, 28]}. */
  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}

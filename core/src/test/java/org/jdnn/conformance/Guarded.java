package org.jdnn.conformance;

import java.util.Arrays;
import org.jdnn.spi.Backend;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * A tensor placed at a non-zero offset inside a larger allocation, with sentinel values on both
 * sides. It checks that a backend honours {@link Tensor#offset()} (reads the right elements and
 * writes nothing outside the tensor): a read of the guard shows up as a huge value in the result,
 * a write as a changed guard.
 *
 * <p>Data go in and out through {@link Backend#copyFromHost} and {@link Backend#copyToHost} in the
 * tensor's own dtype, never through a conversion that is itself under test.
 */
public final class Guarded {
  /** Elements of guard before and after the tensor. */
  static final int GUARD = 5;
  /** What the guard holds: large enough that reading it spoils any result visibly. */
  static final double FLOAT_SENTINEL = 1.0e30;
  static final long INT_SENTINEL = 0x5A;

  private final Tensor base;
  private final Tensor view;

  private Guarded(Tensor base, Tensor view) {
    this.base = base;
    this.view = view;
  }

  /**
   * A guarded tensor holding {@code values} (converted to {@code dtype} with Java's casts), or
   * NaN (0 for integer dtypes) when {@code values} is null: the contents of an output the op must
   * overwrite.
   */
  public static Guarded of(Backend backend, DType dtype, Shape shape, double[] values) {
    int n = Math.toIntExact(shape.numel());
    if (values != null && values.length != n) {
      throw new IllegalArgumentException("shape " + shape + " needs " + n + " values; received " + values.length);
    }
    double[] all = new double[n + 2 * GUARD];
    double sentinel = dtype.isFloating() ? FLOAT_SENTINEL : INT_SENTINEL;
    Arrays.fill(all, sentinel);
    for (int i = 0; i < n; i++) all[GUARD + i] = values == null ? (dtype.isFloating() ? Double.NaN : 0) : values[i];
    Tensor base = Tensor.empty(Shape.of(all.length), dtype, backend);
    backend.copyFromHost(toArray(all, dtype), 0, base);
    return new Guarded(base, base.view(shape, GUARD));
  }

  /** The tensor to hand to the backend. */
  public Tensor tensor() {
    return view;
  }

  public Shape shape() {
    return view.shape();
  }

  /** The tensor's elements, widened to double on the host. */
  public double[] values() {
    return hostValues(view);
  }

  /** Fails naming {@code what} when anything outside the tensor was written. */
  public void assertGuardsIntact(String what) {
    double[] all = hostValues(base);
    double sentinel = base.dtype().isFloating() ? castLike(FLOAT_SENTINEL, base.dtype()) : INT_SENTINEL;
    int n = Math.toIntExact(view.numel());
    for (int i = 0; i < all.length; i++) {
      if (i >= GUARD && i < GUARD + n) continue;
      if (all[i] != sentinel) {
        int rel = i < GUARD ? i - GUARD : i - GUARD - n;
        throw new AssertionFailedError(what + ": wrote outside the tensor (" + (rel < 0 ? -rel + " elements before it"
            : rel + 1 + " elements after it") + "): found " + all[i]);
      }
    }
  }

  /** Copies a tensor to the host in its own dtype and widens it to double. */
  public static double[] hostValues(Tensor t) {
    int n = Math.toIntExact(t.numel());
    double[] out = new double[n];
    switch (t.dtype()) {
      case F32: {
        float[] a = new float[n];
        t.backend().copyToHost(t, a, 0);
        for (int i = 0; i < n; i++) out[i] = a[i];
        break;
      }
      case F64:
        t.backend().copyToHost(t, out, 0);
        break;
      case I32: {
        int[] a = new int[n];
        t.backend().copyToHost(t, a, 0);
        for (int i = 0; i < n; i++) out[i] = a[i];
        break;
      }
      case I64: {
        long[] a = new long[n];
        t.backend().copyToHost(t, a, 0);
        for (int i = 0; i < n; i++) out[i] = a[i];
        break;
      }
      case U8: {
        byte[] a = new byte[n];
        t.backend().copyToHost(t, a, 0);
        for (int i = 0; i < n; i++) out[i] = a[i] & 0xff;
        break;
      }
      default:
        throw new AssertionError(t.dtype());
    }
    return out;
  }

  /** A Java array of {@code dtype}'s element type holding {@code values} cast as Java casts. */
  public static Object toArray(double[] values, DType dtype) {
    int n = values.length;
    switch (dtype) {
      case F32: {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) values[i];
        return a;
      }
      case F64:
        return values.clone();
      case I32: {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = (int) values[i];
        return a;
      }
      case I64: {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = (long) values[i];
        return a;
      }
      case U8: {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) a[i] = (byte) (long) values[i];
        return a;
      }
      default:
        throw new AssertionError(dtype);
    }
  }

  private static double castLike(double v, DType dtype) {
    return dtype == DType.F32 ? (float) v : v;
  }
}

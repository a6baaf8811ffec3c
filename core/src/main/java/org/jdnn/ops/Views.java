package org.jdnn.ops;

import org.jdnn.autograd.Function;
import org.jdnn.spi.Backend;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/** Operations that move or re-view data without computing: reshape, first-axis slice, device copy. */
public final class Views {
  private Views() {}

  /** A view with a validated new shape of the same element count. */
  public static Tensor reshape(Tensor x, Shape shape) {
    return new ReshapeFn(x).attach(x.view(shape, 0));
  }

  /** Rows {@code from..to-1} of the first axis as a view (bounds checked by the caller). */
  public static Tensor slice(Tensor x, int from, int to) {
    long rowSize = x.shape().numel(1, x.rank());
    Tensor y = x.view(x.shape().with(0, to - from), from * rowSize);
    return new SliceFn(x, from).attach(y);
  }

  /** A copy on another backend, staged through the host. */
  public static Tensor toBackend(Tensor x, Backend target) {
    Tensor y = Tensor.empty(x.shape(), x.dtype(), target);
    copyAcross(x, y);
    return new ToBackendFn(x).attach(y);
  }

  // Through a host array: the only path every pair of backends shares.
  private static void copyAcross(Tensor src, Tensor dst) {
    Object staging = java.lang.reflect.Array.newInstance(componentType(src), (int) src.numel());
    src.backend().copyToHost(src, staging, 0);
    dst.backend().copyFromHost(staging, 0, dst);
  }

  private static Class<?> componentType(Tensor t) {
    switch (t.dtype()) {
      case F32: return float.class;
      case F64: return double.class;
      case I32: return int.class;
      case I64: return long.class;
      default: return byte.class;
    }
  }

  private static final class ReshapeFn extends Function {
    private final Shape inShape;

    ReshapeFn(Tensor x) {
      super(x);
      inShape = x.shape();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.reshape(inShape.toArray())};
    }
  }

  private static final class SliceFn extends Function {
    private final Shape inShape;
    private final int from;

    SliceFn(Tensor x, int from) {
      super(x);
      this.inShape = x.shape();
      this.from = from;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx = Tensor.zeros(inShape, g.dtype(), g.backend());
      try (Tensor window = dx.slice(from, from + g.dim(0))) {
        window.copyFrom(g);
      }
      return new Tensor[] {dx};
    }
  }

  private static final class ToBackendFn extends Function {
    private final Backend source;

    ToBackendFn(Tensor x) {
      super(x);
      source = x.backend();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor dx = Tensor.empty(g.shape(), g.dtype(), source);
      copyAcross(g, dx);
      return new Tensor[] {dx};
    }
  }
}

package org.jdnn.tensor;

import java.util.Arrays;
import org.jdnn.autograd.Engine;
import org.jdnn.autograd.Function;
import org.jdnn.autograd.NoGrad;
import org.jdnn.ops.Activations;
import org.jdnn.ops.Elementwise;
import org.jdnn.ops.MatMul;
import org.jdnn.ops.Movement;
import org.jdnn.ops.Reductions;
import org.jdnn.ops.Softmax;
import org.jdnn.ops.Views;
import org.jdnn.spi.Backend;
import org.jdnn.spi.Backends;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.HostStorage;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.Storage;
import org.jdnn.spi.UnaryOp;
import org.jdnn.util.Check;

/**
 * An n-dimensional array on a device: a {@link Shape}, a {@link DType}, and a window
 * ({@code offset}, {@code numel}) into a backend's {@link Storage}. Always row-major and
 * contiguous (NCHW for images); {@link #reshape} and {@link #slice} along the first axis are views
 * sharing the storage, every other operation makes a new tensor.
 *
 * <p>Autograd is define-by-run as in PyTorch: a tensor with {@link #requiresGrad()} records the
 * operations applied to it, and {@link #backward()} fills {@link #grad()} of the leaves.
 *
 * <p>Memory: see {@link Scope}. A tensor is released by {@link #close()} or by the scope that owns
 * it; using it afterwards throws {@link IllegalStateException}.
 */
public final class Tensor implements AutoCloseable {
  private final Shape shape;
  private final DType dtype;
  private final Backend backend;
  private final Storage storage;
  private final long offset;
  private boolean requiresGrad;
  private Function gradFn;
  private Tensor grad;
  private boolean closed;
  Scope owner;

  private Tensor(Shape shape, DType dtype, Backend backend, Storage storage, long offset) {
    this.shape = shape;
    this.dtype = dtype;
    this.backend = backend;
    this.storage = storage;
    this.offset = offset;
    Scope.register(this);
  }

  // ---------------------------------------------------------------- creation

  /** Uninitialised tensor on {@code backend}; the building block of every op. */
  public static Tensor empty(Shape shape, DType dtype, Backend backend) {
    return new Tensor(shape, dtype, backend, backend.allocate(dtype, shape.numel()), 0);
  }

  public static Tensor zeros(Shape shape, DType dtype, Backend backend) {
    Tensor t = empty(shape, dtype, backend);
    backend.fill(t, 0);
    return t;
  }

  public static Tensor full(Shape shape, double value, DType dtype, Backend backend) {
    Tensor t = empty(shape, dtype, backend);
    backend.fill(t, value);
    return t;
  }

  /** F32 zeros on the CPU. */
  public static Tensor zeros(int... dims) {
    return zeros(Shape.of(dims), DType.F32, Backends.cpu());
  }

  /** F32 ones on the CPU. */
  public static Tensor ones(int... dims) {
    return full(Shape.of(dims), 1, DType.F32, Backends.cpu());
  }

  /** An F32 CPU tensor holding a copy of {@code data} in row-major order. */
  public static Tensor of(float[] data, int... dims) {
    return fromArray(data, data.length, DType.F32, dims, Backends.cpu());
  }

  /** An F64 CPU tensor holding a copy of {@code data}. */
  public static Tensor of(double[] data, int... dims) {
    return fromArray(data, data.length, DType.F64, dims, Backends.cpu());
  }

  /** An I64 CPU tensor (class labels, indices). */
  public static Tensor of(long[] data, int... dims) {
    return fromArray(data, data.length, DType.I64, dims, Backends.cpu());
  }

  /** An I32 CPU tensor. */
  public static Tensor of(int[] data, int... dims) {
    return fromArray(data, data.length, DType.I32, dims, Backends.cpu());
  }

  /** A U8 CPU tensor (raw pixels). */
  public static Tensor of(byte[] data, int... dims) {
    return fromArray(data, data.length, DType.U8, dims, Backends.cpu());
  }

  /** A tensor on {@code backend} holding a copy of a Java array of the matching element type. */
  public static Tensor fromArray(Object array, int length, DType dtype, int[] dims, Backend backend) {
    Shape s = dims.length == 0 && length != 1 ? Shape.of(length) : Shape.of(dims);
    Check.shape(s.numel() == length, "tensor data has %s elements but shape %s needs %s", length, s, s.numel());
    Tensor t = empty(s, dtype, backend);
    backend.copyFromHost(array, 0, t);
    return t;
  }

  /** Uniform in {@code [low, high)}; a pure function of {@code seed}. */
  public static Tensor rand(Shape shape, double low, double high, long seed, DType dtype, Backend backend) {
    Tensor t = empty(shape, dtype, backend);
    backend.randomUniform(t, low, high, seed);
    return t;
  }

  /** Normal with the given mean and standard deviation; a pure function of {@code seed}. */
  public static Tensor randn(Shape shape, double mean, double std, long seed, DType dtype, Backend backend) {
    Tensor t = empty(shape, dtype, backend);
    backend.randomNormal(t, mean, std, seed);
    return t;
  }

  /** F32 standard normal on the CPU from the default {@link Generator}. */
  public static Tensor randn(int... dims) {
    return randn(Shape.of(dims), 0, 1, Generator.getDefault().nextSeed(), DType.F32, Backends.cpu());
  }

  /** F32 uniform [0, 1) on the CPU from the default {@link Generator}. */
  public static Tensor rand(int... dims) {
    return rand(Shape.of(dims), 0, 1, Generator.getDefault().nextSeed(), DType.F32, Backends.cpu());
  }

  /** A zero tensor with this tensor's shape, dtype and backend. */
  public Tensor zerosLike() {
    return zeros(shape, dtype, backend);
  }

  // ---------------------------------------------------------------- properties

  public Shape shape() {
    return shape;
  }

  public DType dtype() {
    return dtype;
  }

  public Backend backend() {
    return backend;
  }

  public Device device() {
    return backend.device();
  }

  public long numel() {
    return shape.numel();
  }

  public int rank() {
    return shape.rank();
  }

  /** Size of an axis (negative counts from the end). */
  public int dim(int axis) {
    return shape.dim(axis);
  }

  /** The backend's storage; for backends and ops. Throws if this tensor was released. */
  public Storage storage() {
    Check.state(!closed && !storage.isFreed(),
        "tensor %s %s was released (closed, or its Scope ended) and cannot be used", shape, dtype);
    return storage;
  }

  /** Element offset of this tensor's first element within {@link #storage()}. */
  public long offset() {
    return offset;
  }

  /** Whether the storage is heap memory this JVM can read directly. */
  public boolean isHost() {
    return storage instanceof HostStorage;
  }

  // ---------------------------------------------------------------- data out

  /** A copy of the elements as floats (converted from other dtypes). */
  public float[] toFloatArray() {
    float[] out = new float[checkedLength()];
    withDType(DType.F32, t -> backend.copyToHost(t, out, 0));
    return out;
  }

  public double[] toDoubleArray() {
    double[] out = new double[checkedLength()];
    withDType(DType.F64, t -> backend.copyToHost(t, out, 0));
    return out;
  }

  public long[] toLongArray() {
    long[] out = new long[checkedLength()];
    withDType(DType.I64, t -> backend.copyToHost(t, out, 0));
    return out;
  }

  public int[] toIntArray() {
    int[] out = new int[checkedLength()];
    withDType(DType.I32, t -> backend.copyToHost(t, out, 0));
    return out;
  }

  /** The single value of a one-element tensor. */
  public double item() {
    Check.shape(numel() == 1, "item() needs a tensor with one element; received shape %s", shape);
    return toDoubleArray()[0];
  }

  private int checkedLength() {
    Check.state(numel() <= Integer.MAX_VALUE - 16, "tensor of %s elements is too large for a Java array", numel());
    return (int) numel();
  }

  private void withDType(DType target, java.util.function.Consumer<Tensor> action) {
    if (dtype == target) {
      action.accept(this);
    } else {
      try (Tensor converted = to(target)) {
        action.accept(converted);
      }
    }
  }

  // ---------------------------------------------------------------- conversion and views

  /** A copy converted to {@code target} (a no-op returning this when the dtype already matches). */
  public Tensor to(DType target) {
    if (target == dtype) return this;
    Tensor out = empty(shape, target, backend);
    backend.copy(this, out);
    return out;
  }

  /** This tensor on another backend; differentiable. Returns this when already there. */
  public Tensor to(Backend target) {
    return target == backend ? this : Views.toBackend(this, target);
  }

  /** This tensor on the backend of {@code device}. */
  public Tensor to(Device device) {
    return to(Backends.forDevice(device));
  }

  /** A view with a new shape and the same elements; one size may be -1. Differentiable. */
  public Tensor reshape(int... dims) {
    return Views.reshape(this, shape.reshape(dims));
  }

  /** Flattens axes {@code startAxis..} into one, e.g. {@code (N, C, H, W) -> (N, C*H*W)}. */
  public Tensor flatten(int startAxis) {
    int a = startAxis == rank() ? rank() : shape.axis(startAxis);
    int[] dims = Arrays.copyOf(shape.toArray(), a + 1);
    dims[a] = (int) shape.numel(a, rank());
    return Views.reshape(this, Shape.of(dims));
  }

  /** Rows {@code from..to-1} of the first axis, as a view sharing storage. Differentiable. */
  public Tensor slice(int from, int to) {
    Check.shape(rank() >= 1, "slice needs a tensor of rank >= 1; received a scalar");
    Check.shape(0 <= from && from <= to && to <= shape.dim(0),
        "slice [%s, %s) is out of range for first axis of size %s", from, to, shape.dim(0));
    return Views.slice(this, from, to);
  }

  /** A view of this tensor's storage; for {@link Views} only. */
  public Tensor view(Shape newShape, long elementOffset) {
    Check.shape(elementOffset >= 0 && offset + elementOffset + newShape.numel() <= storage.length(),
        "view of shape %s at offset %s is out of bounds of a storage of %s elements",
        newShape, offset + elementOffset, storage.length());
    storage().retain();
    return new Tensor(newShape, dtype, backend, storage, offset + elementOffset);
  }

  // ---------------------------------------------------------------- autograd

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks a leaf as needing a gradient; returns this. */
  public Tensor requiresGrad(boolean value) {
    Check.state(gradFn == null, "requiresGrad can only be changed on leaf tensors (this one was computed by %s)",
        gradFn == null ? "" : gradFn.name());
    Check.state(!value || dtype.isFloating(), "only floating-point tensors can require grad; this one is %s", dtype);
    requiresGrad = value;
    return this;
  }

  /** The accumulated gradient of a leaf after {@link #backward()}, or null. */
  public Tensor grad() {
    return grad;
  }

  /** Replaces (or with null clears) the gradient; the old one is released. */
  public void setGrad(Tensor g) {
    if (grad != null && grad != g) grad.close();
    grad = g == null ? null : Scope.untrack(g);
  }

  /** True for tensors not produced by a recorded operation. */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** The node that produced this tensor, or null for a leaf. */
  public Function gradFn() {
    return gradFn;
  }

  /** Back-propagates from a scalar (one-element) tensor, seeding with 1. */
  public void backward() {
    Check.shape(numel() == 1,
        "backward() without a gradient needs a one-element tensor; received shape %s (pass the gradient)", shape);
    try (NoGrad ignored = NoGrad.enter()) {
      Engine.backward(this, full(shape, 1, dtype, backend));
    }
  }

  /** Back-propagates {@code gradient}, which has this tensor's shape. */
  public void backward(Tensor gradient) {
    Engine.backward(this, gradient);
  }

  /** The same data, cut from the graph (shares storage). */
  public Tensor detach() {
    return view(shape, 0);
  }

  /**
   * Access for the autograd engine and op classes. Not for user code: it can break the graph.
   */
  public static final class Internal {
    private Internal() {}

    public static Function gradFn(Tensor t) {
      return t.gradFn;
    }

    public static void setGradFn(Tensor t, Function fn) {
      t.gradFn = fn;
      t.requiresGrad = true;
    }

    /** Adds {@code g} into {@code t.grad}, creating it (owned by {@code t}, not a scope) if absent. */
    public static void accumulateGrad(Tensor t, Tensor g) {
      if (t.grad == null) {
        Tensor copy = empty(t.shape, t.dtype, t.backend);
        t.backend.copy(g, copy);
        t.grad = Scope.untrack(copy);
      } else {
        t.backend.binary(BinaryOp.ADD, t.grad, g, t.grad);
      }
    }
  }

  // ---------------------------------------------------------------- arithmetic (differentiable)

  public Tensor add(Tensor other) {
    return Elementwise.binary(BinaryOp.ADD, this, other);
  }

  public Tensor sub(Tensor other) {
    return Elementwise.binary(BinaryOp.SUB, this, other);
  }

  public Tensor mul(Tensor other) {
    return Elementwise.binary(BinaryOp.MUL, this, other);
  }

  public Tensor div(Tensor other) {
    return Elementwise.binary(BinaryOp.DIV, this, other);
  }

  public Tensor add(double s) {
    return Elementwise.scalar(BinaryOp.ADD, this, s);
  }

  public Tensor sub(double s) {
    return Elementwise.scalar(BinaryOp.SUB, this, s);
  }

  public Tensor mul(double s) {
    return Elementwise.scalar(BinaryOp.MUL, this, s);
  }

  public Tensor div(double s) {
    return Elementwise.scalar(BinaryOp.DIV, this, s);
  }

  public Tensor pow(double exponent) {
    return Elementwise.scalar(BinaryOp.POW, this, exponent);
  }

  public Tensor neg() {
    return Elementwise.unary(UnaryOp.NEG, this);
  }

  public Tensor exp() {
    return Elementwise.unary(UnaryOp.EXP, this);
  }

  public Tensor log() {
    return Elementwise.unary(UnaryOp.LOG, this);
  }

  public Tensor sqrt() {
    return Elementwise.unary(UnaryOp.SQRT, this);
  }

  public Tensor abs() {
    return Elementwise.unary(UnaryOp.ABS, this);
  }

  public Tensor square() {
    return Elementwise.unary(UnaryOp.SQUARE, this);
  }

  public Tensor relu() {
    return Activations.apply(org.jdnn.spi.Activation.RELU, this);
  }

  public Tensor sigmoid() {
    return Activations.apply(org.jdnn.spi.Activation.SIGMOID, this);
  }

  public Tensor tanh() {
    return Activations.apply(org.jdnn.spi.Activation.TANH, this);
  }

  public Tensor softmax(int axis) {
    return Softmax.apply(false, this, axis);
  }

  public Tensor logSoftmax(int axis) {
    return Softmax.apply(true, this, axis);
  }

  /** Matrix product of rank-2 tensors, or batched over a leading axis for rank 3. */
  public Tensor matmul(Tensor other) {
    return MatMul.matmul(this, false, other, false);
  }

  /** Sum of all elements, as a scalar tensor. */
  public Tensor sum() {
    return Reductions.reduce(ReduceOp.SUM, this, allAxes(), false);
  }

  public Tensor sum(int[] axes, boolean keepDims) {
    return Reductions.reduce(ReduceOp.SUM, this, axes, keepDims);
  }

  public Tensor mean() {
    return Reductions.reduce(ReduceOp.MEAN, this, allAxes(), false);
  }

  public Tensor mean(int[] axes, boolean keepDims) {
    return Reductions.reduce(ReduceOp.MEAN, this, axes, keepDims);
  }

  public Tensor max(int[] axes, boolean keepDims) {
    return Reductions.reduce(ReduceOp.MAX, this, axes, keepDims);
  }

  /** Index of the first maximum along {@code axis} (I64, axis removed). Not differentiable. */
  public Tensor argmax(int axis) {
    return Reductions.argmax(this, axis);
  }

  /** Variance over {@code axes}, unbiased (n - 1) by default as PyTorch's {@code var}. */
  public Tensor var(int[] axes, boolean unbiased, boolean keepDims) {
    return Reductions.var(this, axes, unbiased, keepDims);
  }

  /** {@code torch.clamp(x, min, max)}; pass NaN for a missing bound. */
  public Tensor clamp(double min, double max) {
    return Elementwise.clamp(this, min, max);
  }

  /** Output axis {@code i} is this tensor's axis {@code axes[i]}; a copy (tensors stay contiguous). */
  public Tensor permute(int... axes) {
    return Movement.permute(this, axes);
  }

  /** Swaps two axes (a copy). */
  public Tensor transpose(int a, int b) {
    return Movement.transpose(this, a, b);
  }

  /** A copy of {@code [start, start + length)} along {@code axis}. */
  public Tensor narrow(int axis, int start, int length) {
    return Movement.narrow(this, axis, start, length);
  }

  /** Concatenation along {@code axis}, as {@code torch.cat}. */
  public static Tensor cat(java.util.List<Tensor> parts, int axis) {
    return Movement.concat(parts, axis);
  }

  /** Pieces of the given sizes along {@code axis}, as {@code torch.split}. */
  public java.util.List<Tensor> split(int axis, int... sizes) {
    return Movement.split(this, axis, sizes);
  }

  /** {@code cond != 0 ? a : b} under broadcasting, as {@code torch.where}. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return Movement.where(cond, a, b);
  }

  /** 1 where equal, else 0, in this tensor's dtype (no gradient). */
  public Tensor eq(Tensor other) {
    return Elementwise.binary(BinaryOp.EQ, this, other);
  }

  public Tensor ne(Tensor other) {
    return Elementwise.binary(BinaryOp.NE, this, other);
  }

  public Tensor lt(Tensor other) {
    return Elementwise.binary(BinaryOp.LT, this, other);
  }

  public Tensor le(Tensor other) {
    return Elementwise.binary(BinaryOp.LE, this, other);
  }

  public Tensor gt(Tensor other) {
    return Elementwise.binary(BinaryOp.GT, this, other);
  }

  public Tensor ge(Tensor other) {
    return Elementwise.binary(BinaryOp.GE, this, other);
  }

  /** 1 where greater than {@code s}, else 0 (no gradient). */
  public Tensor gt(double s) {
    return Elementwise.scalar(BinaryOp.GT, this, s);
  }

  public Tensor lt(double s) {
    return Elementwise.scalar(BinaryOp.LT, this, s);
  }

  private int[] allAxes() {
    int[] a = new int[rank()];
    for (int i = 0; i < a.length; i++) a[i] = i;
    return a;
  }

  // ---------------------------------------------------------------- in place (not recorded)

  /** Copies {@code src} (same shape; converting dtype) into this tensor. */
  public Tensor copyFrom(Tensor src) {
    Check.shape(src.shape.equals(shape), "copyFrom: source shape %s differs from destination %s", src.shape, shape);
    Check.arg(src.backend == backend, "copyFrom: source is on %s, destination on %s; use to(...) first",
        src.device(), device());
    checkNotInGraph("copyFrom");
    backend.copy(src, this);
    return this;
  }

  public Tensor fill(double value) {
    checkNotInGraph("fill");
    backend.fill(this, value);
    return this;
  }

  /** {@code this += alpha * other}, with {@code other} broadcast to this shape. */
  public Tensor addInPlace(Tensor other, double alpha) {
    checkNotInGraph("addInPlace");
    Check.shape(Shape.broadcast(shape, other.shape).equals(shape),
        "addInPlace: shape %s does not broadcast to %s", other.shape, shape);
    if (alpha == 1) {
      backend.binary(BinaryOp.ADD, this, other, this);
    } else {
      try (Tensor scaled = empty(other.shape, dtype, backend)) {
        backend.binaryScalar(BinaryOp.MUL, other, alpha, scaled);
        backend.binary(BinaryOp.ADD, this, scaled, this);
      }
    }
    return this;
  }

  /** {@code this *= s}. */
  public Tensor mulInPlace(double s) {
    checkNotInGraph("mulInPlace");
    backend.binaryScalar(BinaryOp.MUL, this, s, this);
    return this;
  }

  private void checkNotInGraph(String op) {
    Check.state(!(org.jdnn.autograd.GradMode.isEnabled() && requiresGrad),
        "%s: in-place change of a tensor that requires grad; wrap it in NoGrad (as optimizers do)", op);
  }

  // ---------------------------------------------------------------- lifetime

  /** Releases this tensor's reference to its storage. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (owner != null) Scope.untrack(this);
    storage.release();
  }

  public boolean isClosed() {
    return closed;
  }

  /** {@code Tensor[2, 3] F32 cpu [0.1, 0.2, ...]}: shape, dtype, device and the first values. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ').append(dtype).append(' ')
        .append(device());
    if (requiresGrad) sb.append(gradFn != null ? " grad_fn=" + gradFn.name() : " requires_grad");
    if (!closed && !storage.isFreed()) {
      try (NoGrad ignored = NoGrad.enter(); Tensor head = view(Shape.of((int) Math.min(8, numel())), 0)) {
        sb.append(' ').append(Arrays.toString(head.toDoubleArray()));
        if (numel() > 8) sb.setLength(sb.length() - 1);
        if (numel() > 8) sb.append(", ...]");
      }
    } else {
      sb.append(" (released)");
    }
    return sb.toString();
  }
}

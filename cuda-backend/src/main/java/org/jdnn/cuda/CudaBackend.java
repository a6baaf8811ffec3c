package org.jdnn.cuda;

import org.jdnn.spi.Activation;
import org.jdnn.spi.Backend;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.Storage;
import org.jdnn.spi.UnaryOp;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Device;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * The SPI on one NVIDIA GPU, every capability group: cuDNN for convolution, pooling (where its
 * semantics are the reference's, see {@link PoolPlan}), ReLU/sigmoid/tanh, softmax, batch norm
 * ({@link BatchNormPlan}) and LRN ({@link LrnPlan}); cuBLAS for GEMM; jdnn's own PTX kernels
 * ({@link Kernels}) for conversions, fill, random numbers, element-wise ops with broadcasting,
 * reductions, argmax, one-hot, the other activations, data movement, padding, unpooling, adaptive
 * pooling, upsampling and the pooling, batch-norm and LRN cases cuDNN does not cover. Every
 * backward of an own kernel is a gather (no floating-point atomics), so results are
 * deterministic. Memory comes from a {@link DeviceAllocator}.
 *
 * <p>Every argument is checked in Java before any native call: each tensor must live on this
 * backend with the dtype the call needs, its window must lie inside its storage, and a host array
 * must have the tensor's element type and enough room. A wrong argument is an exception naming the
 * op, the argument and the expected value, never a native crash.
 *
 * <p>F32 is the compute type; F64 is accepted wherever cuDNN and cuBLAS have double versions and
 * by every own kernel; the copies (permute, narrow, where, pad, unpool, ...) and binaryScalar take
 * every dtype. Work is queued on the default stream; a copy to the host waits for it.
 * {@code -Djdnn.cuda.syncAfterEachOp=true} synchronises after every op, so an asynchronous kernel
 * error names the op that caused it.
 */
public final class CudaBackend implements Backend {
  static final int THREADS = 256;

  private final Device device;
  private final Gpu gpu;
  private final DeviceAllocator allocator;
  private final String description;
  private final boolean syncEachOp = Boolean.getBoolean("jdnn.cuda.syncAfterEachOp");
  private final boolean cudnnActivations;
  private final boolean cudnnNormalization;

  /** ReLU, sigmoid, tanh, batch norm and LRN by cuDNN wherever its definitions are the reference's. */
  CudaBackend(int index, Gpu gpu, String description, boolean cudnnActivations) {
    this(index, gpu, description, cudnnActivations, true);
  }

  /**
   * @param cudnnActivations ReLU, sigmoid and tanh by cuDNN (else jdnn's kernels)
   * @param cudnnNormalization batch norm and LRN by cuDNN where {@link BatchNormPlan} and {@link LrnPlan}
   *     allow it (else always jdnn's kernels)
   */
  CudaBackend(int index, Gpu gpu, String description, boolean cudnnActivations, boolean cudnnNormalization) {
    this.device = Device.cuda(index);
    this.gpu = gpu;
    this.allocator = new DeviceAllocator(gpu.memory(), device.toString());
    this.description = description;
    this.cudnnActivations = cudnnActivations;
    this.cudnnNormalization = cudnnNormalization;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * The groups this backend implements, each declared once its implementation passed the
   * conformance and golden suites on the emulated GPU (see docs/cuda.md).
   */
  @Override
  public java.util.Set<org.jdnn.spi.Capability> capabilities() {
    return java.util.EnumSet.of(org.jdnn.spi.Capability.CORE, org.jdnn.spi.Capability.EXTENDED_ACTIVATIONS,
        org.jdnn.spi.Capability.DATA_MOVEMENT, org.jdnn.spi.Capability.PADDING, org.jdnn.spi.Capability.UNPOOLING,
        org.jdnn.spi.Capability.ADAPTIVE_POOLING, org.jdnn.spi.Capability.UPSAMPLING, org.jdnn.spi.Capability.BATCH_NORM,
        org.jdnn.spi.Capability.LRN);
  }

  /** The allocator's counters: allocated, reserved, peaks, cache hits. */
  public DeviceAllocator.Stats memoryStats() {
    return allocator.stats();
  }

  /** Returns every cached block to the driver. */
  public void emptyCache() {
    allocator.emptyCache();
  }

  /** The cuDNN convolution algorithm chosen for each shape so far. */
  public java.util.Map<String, String> convolutionAlgorithms() {
    return gpu.chosenAlgorithms();
  }

  /** Waits for all queued work; reports an asynchronous error. */
  public void synchronize() {
    gpu.synchronize("(explicit synchronize)");
  }

  // ------------------------------------------------------------------ validation

  /** The device block of {@code t}, after checking it is ours, of {@code dtype} (or any if null), and in bounds. */
  private CudaStorage storage(Tensor t, String op, String arg, DType dtype) {
    Storage s = t.storage();
    if (!(s instanceof CudaStorage cs) || cs.owner != this) {
      throw new IllegalArgumentException(op + ": " + arg + " must be a tensor on " + device + "; received one on "
          + t.device());
    }
    if (s.dtype() != t.dtype()) {
      throw new IllegalStateException(op + ": " + arg + " has dtype " + t.dtype() + " but its storage holds "
          + s.dtype());
    }
    if (dtype != null && t.dtype() != dtype) {
      throw new IllegalArgumentException(op + ": " + arg + " must be " + dtype + "; received " + t.dtype());
    }
    long end = t.offset() + t.numel();
    if (t.offset() < 0 || end > s.length() || end * t.dtype().bytes() > cs.block.bytes) {
      throw new IllegalStateException(op + ": " + arg + " of shape " + t.shape() + " at offset " + t.offset()
          + " does not fit its storage of " + s.length() + " elements");
    }
    return cs;
  }

  private static long off(Tensor t) {
    return t.offset() * t.dtype().bytes();
  }

  private static long addr(CudaStorage s, Tensor t) {
    return Gpu.address(s.block, off(t));
  }

  private static void sameNumel(String op, Tensor a, String an, Tensor b, String bn) {
    if (a.numel() != b.numel()) {
      throw new IllegalArgumentException(op + ": " + an + " " + a.shape() + " and " + bn + " " + b.shape()
          + " must have the same number of elements");
    }
  }

  /** cuDNN and the kernels read exactly the planned shape: anything else would read or write out of bounds. */
  private static void shape(String op, String arg, Tensor t, Shape expected) {
    if (!t.shape().equals(expected)) {
      throw new IllegalArgumentException(op + ": " + arg + " must have shape " + expected + "; received " + t.shape());
    }
  }

  private static DType floating(String op, Tensor t) {
    if (t.dtype() != DType.F32 && t.dtype() != DType.F64) {
      throw new UnsupportedOperationException("cuda " + op + ": dtype " + t.dtype() + " is not supported; F32 and F64 are");
    }
    return t.dtype();
  }

  private void launched(String op) {
    if (syncEachOp) gpu.synchronize(op);
  }

  // ------------------------------------------------------------------ cuDNN operands

  /**
   * cuDNN's vectorised kernels assume 16-byte aligned tensors. A tensor at an odd offset in its
   * storage (a slice, or the conformance suite's guarded views) is staged through an aligned
   * temporary block: copied in for an input, copied back for an output. Everything runs on one
   * stream, so a temporary is released as soon as the work using it is queued.
   */
  static final int CUDNN_ALIGNMENT = 16;

  /** The operands of one cuDNN call and the temporaries and copies their alignment needed. */
  private final class Staging implements AutoCloseable {
    private final java.util.List<DeviceAllocator.Block> temps = new java.util.ArrayList<>();
    private final java.util.List<Runnable> copyBack = new java.util.ArrayList<>();

    Gpu.Operand in(CudaStorage s, Tensor t) {
      return stage(s, t, true, false);
    }

    Gpu.Operand out(CudaStorage s, Tensor t) {
      return stage(s, t, false, true);
    }

    private Gpu.Operand stage(CudaStorage s, Tensor t, boolean copyIn, boolean copyOut) {
      long bytes = t.numel() * t.dtype().bytes();
      if (Gpu.address(s.block, off(t)) % CUDNN_ALIGNMENT == 0 || bytes == 0) return new Gpu.Operand(s.block, off(t));
      DeviceAllocator.Block tmp = allocator.allocate(bytes);
      temps.add(tmp);
      if (copyIn) gpu.copyOnDevice(s.block, off(t), tmp, 0, bytes);
      if (copyOut) copyBack.add(() -> gpu.copyOnDevice(tmp, 0, s.block, off(t), bytes));
      return new Gpu.Operand(tmp, 0);
    }

    /** Copies staged outputs back; call after the cuDNN call succeeded. */
    void finish() {
      for (Runnable r : copyBack) r.run();
    }

    @Override
    public void close() {
      for (DeviceAllocator.Block b : temps) allocator.release(b);
    }
  }

  // ------------------------------------------------------------------ memory

  @Override
  public Storage allocate(DType dtype, long length) {
    if (length < 0) throw new IllegalArgumentException("allocate: length must be >= 0; received " + length);
    long bytes = Math.multiplyExact(length, dtype.bytes());
    return new CudaStorage(this, dtype, length, allocator.allocate(Math.max(bytes, 1)), allocator);
  }

  private static Class<?> arrayType(DType t) {
    switch (t) {
      case F32: return float[].class;
      case F64: return double[].class;
      case I32: return int[].class;
      case I64: return long[].class;
      default: return byte[].class;
    }
  }

  private static void checkArray(String op, Object array, DType dtype, long offset, long n) {
    if (array == null || array.getClass() != arrayType(dtype)) {
      throw new IllegalArgumentException(op + ": a " + dtype + " tensor needs a " + arrayType(dtype).getSimpleName()
          + "; received " + (array == null ? "null" : array.getClass().getSimpleName()));
    }
    int len = java.lang.reflect.Array.getLength(array);
    if (offset < 0 || offset + n > len) {
      throw new IndexOutOfBoundsException(op + ": " + n + " elements at offset " + offset + " do not fit an array of "
          + len);
    }
  }

  @Override
  public void copyFromHost(Object src, int srcOffset, Tensor dst) {
    CudaStorage d = storage(dst, "copyFromHost", "dst", null);
    long n = dst.numel();
    checkArray("copyFromHost", src, dst.dtype(), srcOffset, n);
    if (n == 0) return;
    int b = dst.dtype().bytes();
    gpu.copyToDevice(src, (long) srcOffset * b, d.block, off(dst), n * b);
  }

  @Override
  public void copyToHost(Tensor src, Object dst, int dstOffset) {
    CudaStorage s = storage(src, "copyToHost", "src", null);
    long n = src.numel();
    checkArray("copyToHost", dst, src.dtype(), dstOffset, n);
    if (n == 0) return;
    int b = src.dtype().bytes();
    gpu.copyToHost(s.block, off(src), dst, (long) dstOffset * b, n * b);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    CudaStorage s = storage(src, "copy", "src", null);
    CudaStorage d = storage(dst, "copy", "dst", null);
    sameNumel("copy", src, "src", dst, "dst");
    long n = dst.numel();
    if (n == 0) return;
    if (src.dtype() == dst.dtype()) {
      gpu.copyOnDevice(s.block, off(src), d.block, off(dst), n * src.dtype().bytes());
    } else {
      gpu.launch(Kernels.convert(src.dtype(), dst.dtype()), Kernels.blocks(n, THREADS), THREADS, addr(s, src),
          addr(d, dst), n);
    }
    launched("copy");
  }

  @Override
  public void fill(Tensor dst, double value) {
    CudaStorage d = storage(dst, "fill", "dst", null);
    long n = dst.numel();
    if (n == 0) return;
    int blocks = Kernels.blocks(n, THREADS);
    // The bit pattern of the value as the reference stores it (Java's casts).
    switch (dst.dtype()) {
      case F32: gpu.launch("fill_b32", blocks, THREADS, addr(d, dst), n, Float.floatToRawIntBits((float) value)); break;
      case F64: gpu.launch("fill_b64", blocks, THREADS, addr(d, dst), n, Double.doubleToRawLongBits(value)); break;
      case I32: gpu.launch("fill_b32", blocks, THREADS, addr(d, dst), n, (int) value); break;
      case I64: gpu.launch("fill_b64", blocks, THREADS, addr(d, dst), n, (long) value); break;
      default: gpu.launch("fill_b8", blocks, THREADS, addr(d, dst), n, (byte) (long) value);
    }
    launched("fill");
  }

  private void random(String kind, Tensor dst, long seed, Object... params) {
    CudaStorage d = storage(dst, "random " + kind, "dst", null);
    String kernel = Kernels.floating("rand_" + kind, floating("random " + kind, dst), "random " + kind);
    long n = dst.numel();
    if (n == 0) return;
    Object[] args = new Object[3 + params.length];
    args[0] = addr(d, dst);
    args[1] = n;
    args[2] = seed;
    System.arraycopy(params, 0, args, 3, params.length);
    gpu.launch(kernel, Kernels.blocks(n, THREADS), THREADS, args);
    launched("random " + kind);
  }

  @Override
  public void randomUniform(Tensor dst, double low, double high, long seed) {
    random("uniform", dst, seed, low, high);
  }

  @Override
  public void randomNormal(Tensor dst, double mean, double std, long seed) {
    random("normal", dst, seed, mean, std);
  }

  @Override
  public void randomBernoulli(Tensor dst, double p, long seed) {
    random("bernoulli", dst, seed, p);
  }

  // ------------------------------------------------------------------ gemm

  @Override
  public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
    DType t = floating("gemm", c);
    CudaStorage sa = storage(a, "gemm", "a", t);
    CudaStorage sb = storage(b, "gemm", "b", t);
    CudaStorage sc = storage(c, "gemm", "c", t);
    checkGemmShapes(transA, transB, a, b, c);
    GemmPlan p = GemmPlan.of(transA, transB, a.shape().toArray(), b.shape().toArray(), c.shape().toArray());
    if (c.numel() == 0) return;
    if (p.depth() == 0) { // an empty sum: c = beta c (BLAS semantics; beta = 0 ignores c's contents)
      if (beta == 0) fill(c, 0);
      else binaryScalar(BinaryOp.MUL, c, beta, c);
      return;
    }
    gpu.gemm(p, t == DType.F64, alpha, sb.block, off(b), sa.block, off(a), beta, sc.block, off(c));
    launched("gemm");
  }

  /** The SPI's gemm shapes: c (batch?, m, n), a (batch?, m, k) or transposed, b (batch?, k, n) or transposed. */
  static void checkGemmShapes(boolean transA, boolean transB, Tensor a, Tensor b, Tensor c) {
    if (c.rank() != 2 && c.rank() != 3 || a.rank() != 2 && a.rank() != 3 || b.rank() != 2 && b.rank() != 3
        || a.rank() > c.rank() || b.rank() > c.rank() || (c.rank() == 3 && a.rank() == 2 && b.rank() == 2)) {
      throw new IllegalArgumentException("gemm: operands must be rank 2, or rank 3 with a batch in c; received a "
          + a.shape() + ", b " + b.shape() + ", c " + c.shape());
    }
    int m = c.dim(-2);
    int n = c.dim(-1);
    int k = transA ? a.dim(-2) : a.dim(-1);
    int batch = c.rank() == 3 ? c.dim(0) : 1;
    Shape ea = withBatch(a.rank() == 3 ? batch : 0, transA ? k : m, transA ? m : k);
    Shape eb = withBatch(b.rank() == 3 ? batch : 0, transB ? n : k, transB ? k : n);
    shape("gemm", "a", a, ea);
    shape("gemm", "b", b, eb);
  }

  private static Shape withBatch(int batch, int rows, int cols) {
    return batch == 0 ? Shape.of(rows, cols) : Shape.of(batch, rows, cols);
  }

  // ------------------------------------------------------------------ convolution

  private void conv(ConvDirection dir, ConvGeometry g, Tensor in1, String n1, Tensor in2, String n2, Tensor out,
      String no) {
    String op = "conv " + dir.name().toLowerCase().replace('_', '-');
    DType t = floating(op, out);
    CudaStorage s1 = storage(in1, op, n1, t);
    CudaStorage s2 = storage(in2, op, n2, t);
    CudaStorage so = storage(out, op, no, t);
    Shape x = g.inputShape();
    Shape w = g.weightShape();
    Shape y = g.outputShape();
    switch (dir) {
      case FORWARD: shape(op, n1, in1, x); shape(op, n2, in2, w); shape(op, no, out, y); break;
      case BACKWARD_DATA: shape(op, n1, in1, w); shape(op, n2, in2, y); shape(op, no, out, x); break;
      default: shape(op, n1, in1, x); shape(op, n2, in2, y); shape(op, no, out, w);
    }
    if (out.numel() == 0) return;
    try (Staging st = new Staging()) {
      Gpu.Operand a = st.in(s1, in1);
      Gpu.Operand b = st.in(s2, in2);
      Gpu.Operand o = st.out(so, out);
      gpu.convolution(dir, ConvPlan.of(g), t == DType.F64, a.block(), a.off(), b.block(), b.off(), o.block(), o.off(),
          allocator);
      st.finish();
    }
    launched(op);
  }

  @Override
  public void convForward(ConvGeometry g, Tensor x, Tensor w, Tensor y) {
    conv(ConvDirection.FORWARD, g, x, "x", w, "w", y, "y");
  }

  @Override
  public void convBackwardData(ConvGeometry g, Tensor w, Tensor dy, Tensor dx) {
    conv(ConvDirection.BACKWARD_DATA, g, w, "w", dy, "dy", dx, "dx");
  }

  @Override
  public void convBackwardFilter(ConvGeometry g, Tensor x, Tensor dy, Tensor dw) {
    conv(ConvDirection.BACKWARD_FILTER, g, x, "x", dy, "dy", dw, "dw");
  }

  // ------------------------------------------------------------------ pooling

  @Override
  public void pool(PoolGeometry g, Tensor x, Tensor y) {
    DType t = floating("pool", y);
    CudaStorage sx = storage(x, "pool", "x", t);
    CudaStorage sy = storage(y, "pool", "y", t);
    shape("pool", "x", x, g.inputShape());
    shape("pool", "y", y, g.outputShape());
    if (y.numel() == 0) return;
    PoolPlan p = PoolPlan.of(g);
    if (p.cudnnForward()) {
      try (Staging st = new Staging()) {
        Gpu.Operand dx = st.in(sx, x);
        Gpu.Operand dy = st.out(sy, y);
        gpu.pooling(p, t == DType.F64, dx.block(), dx.off(), dy.block(), dy.off(), null, 0, null, 0);
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("pool_forward", t, "pool"), Kernels.blocks(y.numel(), THREADS), THREADS,
          p.kernelParams(), addr(sx, x), addr(sy, y));
    }
    launched("pool");
  }

  @Override
  public void poolBackward(PoolGeometry g, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    DType t = floating("poolBackward", dx);
    CudaStorage sx = storage(x, "poolBackward", "x", t);
    CudaStorage sy = storage(y, "poolBackward", "y", t);
    CudaStorage sdy = storage(dy, "poolBackward", "dy", t);
    CudaStorage sdx = storage(dx, "poolBackward", "dx", t);
    shape("poolBackward", "x", x, g.inputShape());
    shape("poolBackward", "y", y, g.outputShape());
    shape("poolBackward", "dy", dy, g.outputShape());
    shape("poolBackward", "dx", dx, g.inputShape());
    if (dx.numel() == 0) return;
    PoolPlan p = PoolPlan.of(g);
    if (p.cudnnBackward()) {
      try (Staging st = new Staging()) {
        Gpu.Operand a = st.in(sx, x);
        Gpu.Operand b = st.in(sy, y);
        Gpu.Operand c = st.in(sdy, dy);
        Gpu.Operand d = st.out(sdx, dx);
        gpu.pooling(p, t == DType.F64, a.block(), a.off(), b.block(), b.off(), c.block(), c.off(), d.block(), d.off());
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("pool_backward", t, "poolBackward"), Kernels.blocks(dx.numel(), THREADS), THREADS,
          p.kernelParams(), addr(sx, x), addr(sdy, dy), addr(sdx, dx));
    }
    launched("poolBackward");
  }

  // ------------------------------------------------------------------ activations and softmax

  /** Whether cuDNN computes this activation: ReLU, sigmoid and tanh, unless {@code jdnn.cuda.activations=jdnn}. */
  private boolean byCudnn(Activation a) {
    return cudnnActivations && isCoreActivation(a);
  }

  static boolean isCoreActivation(Activation a) {
    return a.kind() == Activation.Kind.RELU || a.kind() == Activation.Kind.SIGMOID || a.kind() == Activation.Kind.TANH;
  }

  /** cudnnActivationMode_t of a CORE activation. */
  static int cudnnMode(Activation a) {
    switch (a.kind()) {
      case SIGMOID: return 0;
      case RELU: return 1;
      case TANH: return 2;
      default: throw new IllegalArgumentException("cuDNN computes only ReLU, sigmoid and tanh for jdnn; received " + a);
    }
  }

  /** The code of jdnn's own activation kernels: the kind's ordinal in {@link Activation.Kind} (the kernels' ACT_*). */
  static int kernelCode(Activation a) {
    return a.kind().ordinal();
  }

  /** Elements per cuDNN call: a (1, 1, 1, n) tensor needs n below 2^31. */
  static final long ACTIVATION_CHUNK = 1L << 30;

  @Override
  public void activation(Activation a, Tensor x, Tensor y) {
    DType t = floating("activation", y);
    CudaStorage sx = storage(x, "activation", "x", t);
    CudaStorage sy = storage(y, "activation", "y", t);
    sameNumel("activation", x, "x", y, "y");
    long n = y.numel();
    if (n == 0) return;
    if (!byCudnn(a)) {
      gpu.launch(Kernels.floating("act_forward", t, "activation"), Kernels.blocks(n, THREADS), THREADS, kernelCode(a),
          a.alpha(), a.beta(), addr(sx, x), addr(sy, y), n);
    } else {
      try (Staging st = new Staging()) {
        Gpu.Operand dx = st.in(sx, x);
        Gpu.Operand dy = st.out(sy, y);
        int b = t.bytes();
        for (long start = 0; start < n; start += ACTIVATION_CHUNK) {
          int len = (int) Math.min(ACTIVATION_CHUNK, n - start);
          gpu.activation(cudnnMode(a), t == DType.F64, len, dx.block(), dx.off() + start * b, dy.block(),
              dy.off() + start * b, null, 0, null, 0);
        }
        st.finish();
      }
    }
    launched("activation");
  }

  @Override
  public void activationBackward(Activation a, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    DType t = floating("activationBackward", dx);
    CudaStorage sx = storage(x, "activationBackward", "x", t);
    CudaStorage sy = storage(y, "activationBackward", "y", t);
    CudaStorage sdy = storage(dy, "activationBackward", "dy", t);
    CudaStorage sdx = storage(dx, "activationBackward", "dx", t);
    sameNumel("activationBackward", x, "x", dx, "dx");
    sameNumel("activationBackward", y, "y", dy, "dy");
    sameNumel("activationBackward", x, "x", y, "y");
    long n = dx.numel();
    if (n == 0) return;
    if (!byCudnn(a)) {
      gpu.launch(Kernels.floating("act_backward", t, "activationBackward"), Kernels.blocks(n, THREADS), THREADS,
          kernelCode(a), a.alpha(), a.beta(), addr(sx, x), addr(sy, y), addr(sdy, dy), addr(sdx, dx), n);
    } else {
      try (Staging st = new Staging()) {
        Gpu.Operand px = st.in(sx, x);
        Gpu.Operand py = st.in(sy, y);
        Gpu.Operand pdy = st.in(sdy, dy);
        Gpu.Operand pdx = st.out(sdx, dx);
        int b = t.bytes();
        for (long start = 0; start < n; start += ACTIVATION_CHUNK) {
          int len = (int) Math.min(ACTIVATION_CHUNK, n - start);
          long o = start * b;
          gpu.activation(cudnnMode(a), t == DType.F64, len, px.block(), px.off() + o, py.block(), py.off() + o,
              pdy.block(), pdy.off() + o, pdx.block(), pdx.off() + o);
        }
        st.finish();
      }
    }
    launched("activationBackward");
  }

  @Override
  public void softmax(boolean log, int axis, Tensor x, Tensor y) {
    DType t = floating("softmax", y);
    CudaStorage sx = storage(x, "softmax", "x", t);
    CudaStorage sy = storage(y, "softmax", "y", t);
    shape("softmax", "y", y, x.shape());
    checkAxis("softmax", axis, x);
    if (y.numel() == 0) return;
    try (Staging st = new Staging()) {
      Gpu.Operand px = st.in(sx, x);
      Gpu.Operand py = st.out(sy, y);
      gpu.softmax(SoftmaxPlan.of(x.shape(), axis), log, t == DType.F64, px.block(), px.off(), py.block(), py.off(),
          null, 0, null, 0);
      st.finish();
    }
    launched("softmax");
  }

  @Override
  public void softmaxBackward(boolean log, int axis, Tensor y, Tensor dy, Tensor dx) {
    DType t = floating("softmaxBackward", dx);
    CudaStorage sy = storage(y, "softmaxBackward", "y", t);
    CudaStorage sdy = storage(dy, "softmaxBackward", "dy", t);
    CudaStorage sdx = storage(dx, "softmaxBackward", "dx", t);
    shape("softmaxBackward", "dy", dy, y.shape());
    shape("softmaxBackward", "dx", dx, y.shape());
    checkAxis("softmaxBackward", axis, y);
    if (dx.numel() == 0) return;
    try (Staging st = new Staging()) {
      Gpu.Operand py = st.in(sy, y);
      Gpu.Operand pdy = st.in(sdy, dy);
      Gpu.Operand pdx = st.out(sdx, dx);
      gpu.softmax(SoftmaxPlan.of(y.shape(), axis), log, t == DType.F64, null, 0, py.block(), py.off(), pdy.block(),
          pdy.off(), pdx.block(), pdx.off());
      st.finish();
    }
    launched("softmaxBackward");
  }

  // ------------------------------------------------------------------ element-wise and reductions

  private static void checkAxis(String op, int axis, Tensor t) {
    if (axis < 0 || axis >= t.rank()) {
      throw new IllegalArgumentException(op + ": axis must be in [0, " + t.rank() + ") for " + t.shape() + "; received "
          + axis);
    }
  }

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor y) {
    DType t = floating("unary " + op, y);
    CudaStorage sx = storage(x, "unary " + op, "x", t);
    CudaStorage sy = storage(y, "unary " + op, "y", t);
    sameNumel("unary " + op, x, "x", y, "y");
    long n = y.numel();
    if (n == 0) return;
    gpu.launch(Kernels.floating("unary", t, "unary"), Kernels.blocks(n, THREADS), THREADS, op.ordinal(), addr(sx, x),
        addr(sy, y), n);
    launched("unary " + op);
  }

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    DType t = floating("binary " + op, out);
    CudaStorage sa = storage(a, "binary " + op, "a", t);
    CudaStorage sb = storage(b, "binary " + op, "b", t);
    CudaStorage so = storage(out, "binary " + op, "out", t);
    if (!Shape.broadcast(a.shape(), b.shape()).equals(out.shape())) {
      throw new IllegalArgumentException("binary " + op + ": out must have the broadcast shape "
          + Shape.broadcast(a.shape(), b.shape()) + "; received " + out.shape());
    }
    long n = out.numel();
    if (n == 0) return;
    BroadcastPlan p = BroadcastPlan.of(out.shape(), a.shape(), b.shape());
    gpu.launch(Kernels.floating("binary", t, "binary"), Kernels.blocks(n, THREADS), THREADS, op.ordinal(),
        addr(sa, a), addr(sb, b), addr(so, out), n, p.kernelStruct());
    launched("binary " + op);
  }

  @Override
  public void binaryScalar(BinaryOp op, Tensor a, double s, Tensor out) {
    // Every dtype: integer tensors in double, cast back as the reference does (BatchNorm counts
    // its batches in an I64 scalar with ADD).
    DType t = out.dtype();
    CudaStorage sa = storage(a, "binaryScalar " + op, "a", t);
    CudaStorage so = storage(out, "binaryScalar " + op, "out", t);
    sameNumel("binaryScalar " + op, a, "a", out, "out");
    long n = out.numel();
    if (n == 0) return;
    gpu.launch("scalar_" + Kernels.suffix(t), Kernels.blocks(n, THREADS), THREADS, op.ordinal(), addr(sa, a),
        addr(so, out), n, s);
    launched("binaryScalar " + op);
  }

  @Override
  public void reduce(ReduceOp op, Tensor x, int[] axes, Tensor out) {
    DType t = floating("reduce " + op, out);
    CudaStorage sx = storage(x, "reduce " + op, "x", t);
    CudaStorage so = storage(out, "reduce " + op, "out", t);
    for (int ax : axes) {
      if (ax < 0 || ax >= x.rank()) {
        throw new IllegalArgumentException("reduce " + op + ": axis " + ax + " is out of range for " + x.shape());
      }
    }
    ReducePlan p = ReducePlan.of(x.shape(), axes);
    if (p.outCount() != out.numel()) {
      throw new IllegalArgumentException("reduce " + op + ": out " + out.shape() + " must have " + p.outCount()
          + " elements for " + x.shape() + " over axes " + java.util.Arrays.toString(axes));
    }
    if (out.numel() == 0) return;
    if (p.redCount() == 0) { // reducing an empty axis: the reference's empty sum, mean and max
      fill(out, op == ReduceOp.SUM ? 0 : op == ReduceOp.MEAN ? Double.NaN : Double.NEGATIVE_INFINITY);
      return;
    }
    int blocks = (int) Math.min(p.outCount(), 1L << 20);
    gpu.launch(Kernels.floating("reduce", t, "reduce"), blocks, THREADS, op.ordinal(), addr(sx, x), addr(so, out),
        p.kernelStruct());
    launched("reduce " + op);
  }

  @Override
  public void argmax(Tensor x, int axis, Tensor out) {
    DType t = floating("argmax", x);
    CudaStorage sx = storage(x, "argmax", "x", t);
    CudaStorage so = storage(out, "argmax", "out", DType.I64);
    Shape s = x.shape();
    if (axis < 0 || axis >= s.rank()) {
      throw new IllegalArgumentException("argmax: axis " + axis + " is out of range for " + s);
    }
    long outer = s.numel(0, axis);
    long inner = s.numel(axis + 1, s.rank());
    long len = s.dim(axis);
    if (outer * inner != out.numel()) {
      throw new IllegalArgumentException("argmax: out " + out.shape() + " must have " + outer * inner + " elements");
    }
    if (out.numel() == 0) return;
    if (len == 0) throw new IllegalArgumentException("argmax: axis " + axis + " of " + s + " is empty");
    gpu.launch(Kernels.floating("argmax", t, "argmax"), Kernels.blocks(out.numel(), THREADS), THREADS, addr(sx, x),
        addr(so, out), outer, len, inner);
    launched("argmax");
  }

  @Override
  public void oneHot(Tensor labels, Tensor out) {
    DType lt = labels.dtype();
    if (lt != DType.I32 && lt != DType.I64 && lt != DType.U8) {
      throw new IllegalArgumentException("oneHot: labels must be I32, I64 or U8; received " + lt);
    }
    DType t = floating("oneHot", out);
    CudaStorage sl = storage(labels, "oneHot", "labels", lt);
    CudaStorage so = storage(out, "oneHot", "out", t);
    long classes = out.rank() == 0 ? 0 : out.dim(-1);
    if (labels.numel() * classes != out.numel()) {
      throw new IllegalArgumentException("oneHot: out " + out.shape() + " must be labels " + labels.shape()
          + " plus a classes axis");
    }
    if (out.numel() == 0) return;
    gpu.launch("one_hot_" + Kernels.suffix(lt) + "_" + Kernels.suffix(t), Kernels.blocks(out.numel(), THREADS),
        THREADS, addr(sl, labels), addr(so, out), labels.numel(), classes);
    launched("oneHot");
  }

  // ------------------------------------------------------------------ data movement (Capability.DATA_MOVEMENT)

  /** The bit pattern the reference stores for {@code value} in a tensor of {@code t} (Java's casts), for the copy kernels. */
  static long bits(DType t, double value) {
    switch (t) {
      case F32: return Float.floatToRawIntBits((float) value) & 0xffffffffL;
      case F64: return Double.doubleToRawLongBits(value);
      case I32: return (int) value & 0xffffffffL;
      case I64: return (long) value;
      default: return (byte) (long) value & 0xffL;
    }
  }

  @Override
  public void permute(Tensor x, int[] axes, Tensor y) {
    CudaStorage sx = storage(x, "permute", "x", null);
    CudaStorage sy = storage(y, "permute", "y", x.dtype());
    PermutePlan p = PermutePlan.of(x.shape(), axes);
    shape("permute", "y", y, PermutePlan.outShape(x.shape(), axes));
    long n = y.numel();
    if (n == 0) return;
    gpu.launch("permute_" + Kernels.width(x.dtype()), Kernels.blocks(n, THREADS), THREADS, addr(sx, x), addr(sy, y), n,
        p.kernelStruct());
    launched("permute");
  }

  @Override
  public void narrow(Tensor x, int axis, int start, Tensor y) {
    copyWindow("narrow", x, "x", y, "y", axis, start, true);
  }

  @Override
  public void narrowAssign(Tensor src, int axis, int start, Tensor dst) {
    copyWindow("narrowAssign", src, "src", dst, "dst", axis, start, false);
  }

  /** Copies between all of the small tensor and the window {@code [start, start + len)} of the big one along {@code axis}. */
  private void copyWindow(String op, Tensor from, String fromName, Tensor to, String toName, int axis, int start,
      boolean fromIsBig) {
    CudaStorage sf = storage(from, op, fromName, null);
    CudaStorage st = storage(to, op, toName, from.dtype());
    Tensor big = fromIsBig ? from : to;
    Tensor small = fromIsBig ? to : from;
    String bigName = fromIsBig ? fromName : toName;
    String smallName = fromIsBig ? toName : fromName;
    checkAxis(op, axis, big);
    int len = small.rank() == big.rank() ? small.dim(axis) : -1;
    if (len < 0 || !small.shape().equals(big.shape().with(axis, len))) {
      throw new IllegalArgumentException(op + ": " + smallName + " must have " + bigName + "'s shape " + big.shape()
          + " but for axis " + axis + "; received " + small.shape());
    }
    if (start < 0 || (long) start + len > big.dim(axis)) {
      throw new IllegalArgumentException(op + ": the window [" + start + ", " + ((long) start + len) + ") must lie in axis "
          + axis + " of " + bigName + " " + big.shape());
    }
    long outer = big.shape().numel(0, axis);
    long inner = big.shape().numel(axis + 1, big.rank());
    long n = outer * len * inner;
    if (n == 0) return;
    long srcLen = fromIsBig ? big.dim(axis) : len;
    long dstLen = fromIsBig ? len : big.dim(axis);
    gpu.launch("window_" + Kernels.width(from.dtype()), Kernels.blocks(n, THREADS), THREADS, addr(sf, from),
        addr(st, to), outer, (long) len, inner, srcLen, fromIsBig ? (long) start : 0L, dstLen,
        fromIsBig ? 0L : (long) start);
    launched(op);
  }

  /** The {@code condKind} of the where kernels: how to read cond as "nonzero". */
  static int condKind(DType t) {
    switch (t) {
      case U8: return 0;
      case I32: return 1;
      case I64: return 2;
      case F32: return 3;
      default: return 4;
    }
  }

  @Override
  public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
    CudaStorage sc = storage(cond, "where", "cond", null);
    CudaStorage sa = storage(a, "where", "a", null);
    CudaStorage sb = storage(b, "where", "b", a.dtype());
    CudaStorage so = storage(out, "where", "out", a.dtype());
    Shape expected;
    try {
      expected = Shape.broadcast(Shape.broadcast(cond.shape(), a.shape()), b.shape());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("where: cond " + cond.shape() + ", a " + a.shape() + " and b " + b.shape()
          + " do not broadcast together", e);
    }
    shape("where", "out", out, expected);
    long n = out.numel();
    if (n == 0) return;
    BroadcastPlan p = BroadcastPlan.of("where", out.shape(), cond.shape(), a.shape(), b.shape());
    gpu.launch("where_" + Kernels.width(a.dtype()), Kernels.blocks(n, THREADS), THREADS, condKind(cond.dtype()),
        addr(sc, cond), addr(sa, a), addr(sb, b), addr(so, out), n, p.kernelStruct());
    launched("where");
  }

  // ------------------------------------------------------------------ padding (Capability.PADDING)

  @Override
  public void pad(PadMode mode, int[] before, int[] after, double value, Tensor x, Tensor y) {
    CudaStorage sx = storage(x, "pad", "x", null);
    CudaStorage sy = storage(y, "pad", "y", x.dtype());
    PadPlan p = PadPlan.of("pad", mode, before, after, x.shape());
    shape("pad", "y", y, p.outShape(x.shape()));
    long n = y.numel();
    if (n == 0) return;
    gpu.launch("pad_" + Kernels.width(x.dtype()), Kernels.blocks(n, THREADS), THREADS, mode.ordinal(), addr(sx, x),
        addr(sy, y), n, bits(x.dtype(), value), p.kernelStruct());
    launched("pad");
  }

  @Override
  public void padBackward(PadMode mode, int[] before, int[] after, Tensor dy, Tensor dx) {
    DType t = floating("padBackward", dx);
    CudaStorage sdy = storage(dy, "padBackward", "dy", t);
    CudaStorage sdx = storage(dx, "padBackward", "dx", t);
    PadPlan p = PadPlan.of("padBackward", mode, before, after, dx.shape());
    shape("padBackward", "dy", dy, p.outShape(dx.shape()));
    long n = dx.numel();
    if (n == 0) return;
    gpu.launch(Kernels.floating("pad_backward", t, "padBackward"), Kernels.blocks(n, THREADS), THREADS, mode.ordinal(),
        addr(sdy, dy), addr(sdx, dx), n, p.kernelStruct());
    launched("padBackward");
  }

  // ------------------------------------------------------------------ unpooling (Capability.UNPOOLING)

  @Override
  public void maxPoolWithIndices(PoolGeometry g, Tensor x, Tensor y, Tensor indices) {
    DType t = floating("maxPoolWithIndices", y);
    CudaStorage sx = storage(x, "maxPoolWithIndices", "x", t);
    CudaStorage sy = storage(y, "maxPoolWithIndices", "y", t);
    CudaStorage si = storage(indices, "maxPoolWithIndices", "indices", DType.I64);
    if (g.mode != PoolGeometry.Mode.MAX) {
      throw new IllegalArgumentException("maxPoolWithIndices: the geometry must be MAX pooling; received " + g.mode);
    }
    shape("maxPoolWithIndices", "x", x, g.inputShape());
    shape("maxPoolWithIndices", "y", y, g.outputShape());
    shape("maxPoolWithIndices", "indices", indices, g.outputShape());
    long n = y.numel();
    if (n == 0) return;
    gpu.launch(Kernels.floating("pool_indices", t, "maxPoolWithIndices"), Kernels.blocks(n, THREADS), THREADS,
        PoolPlan.kernelParams(g), addr(sx, x), addr(sy, y), addr(si, indices));
    launched("maxPoolWithIndices");
  }

  /** Planes, and elements per plane of the small and the large tensor, of an unpooling; checks their shapes. */
  private static long[] unpoolPlanes(String op, Tensor small, String smallName, Tensor indices, Tensor big,
      String bigName) {
    shape(op, "indices", indices, small.shape());
    if (small.rank() < 2 || big.rank() != small.rank() || big.dim(0) != small.dim(0) || big.dim(1) != small.dim(1)) {
      throw new IllegalArgumentException(op + ": " + smallName + " and " + bigName + " must be (N, C, *) with the same N "
          + "and C and rank; received " + small.shape() + " and " + big.shape());
    }
    long planes = (long) small.dim(0) * small.dim(1);
    long inPlane = planes == 0 ? 0 : small.numel() / planes;
    long outPlane = planes == 0 ? 0 : big.numel() / planes;
    if (inPlane > Integer.MAX_VALUE) {
      throw new UnsupportedOperationException("cuda " + op + ": planes of " + inPlane + " elements; at most 2^31 - 1");
    }
    return new long[] {planes, inPlane, outPlane};
  }

  @Override
  public void unpool(Tensor x, Tensor indices, Tensor y) {
    CudaStorage sx = storage(x, "unpool", "x", null);
    CudaStorage si = storage(indices, "unpool", "indices", DType.I64);
    CudaStorage sy = storage(y, "unpool", "y", x.dtype());
    long[] p = unpoolPlanes("unpool", x, "x", indices, y, "y");
    if (y.numel() == 0) return;
    fill(y, 0);
    if (x.numel() == 0) return;
    // Several inputs may name one output: the last (largest index) wins, as in the reference.
    DeviceAllocator.Block winner = allocator.allocate(y.numel() * 4);
    try {
      gpu.launch("fill_b32", Kernels.blocks(y.numel(), THREADS), THREADS, Gpu.address(winner, 0), y.numel(), -1);
      gpu.launch("unpool_winner", Kernels.blocks(x.numel(), THREADS), THREADS, addr(si, indices),
          Gpu.address(winner, 0), p[0], p[1], p[2]);
      gpu.launch("unpool_scatter_" + Kernels.width(x.dtype()), Kernels.blocks(x.numel(), THREADS), THREADS,
          addr(sx, x), addr(si, indices), Gpu.address(winner, 0), addr(sy, y), p[0], p[1], p[2]);
    } finally {
      allocator.release(winner); // one stream: the launches above are ordered before any reuse
    }
    launched("unpool");
  }

  @Override
  public void unpoolBackward(Tensor dy, Tensor indices, Tensor dx) {
    CudaStorage sdy = storage(dy, "unpoolBackward", "dy", null);
    CudaStorage si = storage(indices, "unpoolBackward", "indices", DType.I64);
    CudaStorage sdx = storage(dx, "unpoolBackward", "dx", dy.dtype());
    long[] p = unpoolPlanes("unpoolBackward", dx, "dx", indices, dy, "dy");
    long n = dx.numel();
    if (n == 0) return;
    gpu.launch("unpool_backward_" + Kernels.width(dy.dtype()), Kernels.blocks(n, THREADS), THREADS, addr(sdy, dy),
        addr(si, indices), addr(sdx, dx), p[0], p[1], p[2]);
    launched("unpoolBackward");
  }

  // ------------------------------------------------------------------ adaptive pooling (Capability.ADAPTIVE_POOLING)

  @Override
  public void adaptivePool(boolean max, Tensor x, Tensor y) {
    DType t = floating("adaptivePool", y);
    CudaStorage sx = storage(x, "adaptivePool", "x", t);
    CudaStorage sy = storage(y, "adaptivePool", "y", t);
    SpatialPlan p = SpatialPlan.of("adaptivePool", x.shape(), "x", y.shape(), "y");
    long n = y.numel();
    if (n == 0) return;
    gpu.launch(Kernels.floating("adaptive_forward", t, "adaptivePool"), Kernels.blocks(n, THREADS), THREADS,
        max ? 1 : 0, addr(sx, x), addr(sy, y), p.kernelStruct());
    launched("adaptivePool");
  }

  @Override
  public void adaptivePoolBackward(boolean max, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    DType t = floating("adaptivePoolBackward", dx);
    CudaStorage sx = storage(x, "adaptivePoolBackward", "x", t);
    storage(y, "adaptivePoolBackward", "y", t);
    CudaStorage sdy = storage(dy, "adaptivePoolBackward", "dy", t);
    CudaStorage sdx = storage(dx, "adaptivePoolBackward", "dx", t);
    SpatialPlan p = SpatialPlan.of("adaptivePoolBackward", x.shape(), "x", y.shape(), "y");
    shape("adaptivePoolBackward", "dy", dy, y.shape());
    shape("adaptivePoolBackward", "dx", dx, x.shape());
    long n = dx.numel();
    if (n == 0) return;
    if (y.numel() == 0) {
      fill(dx, 0);
      return;
    }
    String backward = Kernels.floating("adaptive_backward", t, "adaptivePoolBackward");
    if (!max) {
      gpu.launch(backward, Kernels.blocks(n, THREADS), THREADS, 0, 0L, addr(sdy, dy), addr(sdx, dx), p.kernelStruct());
    } else {
      // Each output's first maximum, found once; then each input gathers the outputs it won.
      DeviceAllocator.Block arg = allocator.allocate(y.numel() * 8);
      try {
        gpu.launch(Kernels.floating("adaptive_argmax", t, "adaptivePoolBackward"), Kernels.blocks(y.numel(), THREADS),
            THREADS, addr(sx, x), Gpu.address(arg, 0), p.kernelStruct());
        gpu.launch(backward, Kernels.blocks(n, THREADS), THREADS, 1, Gpu.address(arg, 0), addr(sdy, dy), addr(sdx, dx),
            p.kernelStruct());
      } finally {
        allocator.release(arg);
      }
    }
    launched("adaptivePoolBackward");
  }

  // ------------------------------------------------------------------ upsampling (Capability.UPSAMPLING)

  @Override
  public void upsample(UpsampleMode mode, boolean alignCorners, Tensor x, Tensor y) {
    DType t = floating("upsample", y);
    CudaStorage sx = storage(x, "upsample", "x", t);
    CudaStorage sy = storage(y, "upsample", "y", t);
    if (mode == null) throw new IllegalArgumentException("upsample: mode must not be null");
    SpatialPlan p = SpatialPlan.of("upsample", x.shape(), "x", y.shape(), "y");
    long n = y.numel();
    if (n == 0) return;
    gpu.launch(Kernels.floating("upsample_forward", t, "upsample"), Kernels.blocks(n, THREADS), THREADS,
        mode == UpsampleMode.NEAREST ? 1 : 0, alignCorners ? 1 : 0, addr(sx, x), addr(sy, y), p.kernelStruct());
    launched("upsample");
  }

  @Override
  public void upsampleBackward(UpsampleMode mode, boolean alignCorners, Tensor dy, Tensor dx) {
    DType t = floating("upsampleBackward", dx);
    CudaStorage sdy = storage(dy, "upsampleBackward", "dy", t);
    CudaStorage sdx = storage(dx, "upsampleBackward", "dx", t);
    if (mode == null) throw new IllegalArgumentException("upsampleBackward: mode must not be null");
    SpatialPlan p = SpatialPlan.of("upsampleBackward", dx.shape(), "dx", dy.shape(), "dy");
    long n = dx.numel();
    if (n == 0) return;
    gpu.launch(Kernels.floating("upsample_backward", t, "upsampleBackward"), Kernels.blocks(n, THREADS), THREADS,
        mode == UpsampleMode.NEAREST ? 1 : 0, alignCorners ? 1 : 0, addr(sdy, dy), addr(sdx, dx), p.kernelStruct());
    launched("upsampleBackward");
  }

  // ------------------------------------------------------------------ batch norm (Capability.BATCH_NORM)

  /** Checks a per-channel tensor: shape (C), the data's dtype. */
  private CudaStorage channels(String op, String arg, Tensor t, Tensor x) {
    CudaStorage s = storage(t, op, arg, x.dtype());
    shape(op, arg, t, Shape.of(x.dim(1)));
    return s;
  }

  /** Blocks of the per-channel kernels: one block per channel (block-stride loop beyond 2^20). */
  private static int channelBlocks(BatchNormPlan p) {
    return (int) Math.max(1, Math.min(p.c(), 1L << 20));
  }

  @Override
  public void batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor batchMean,
      Tensor batchInvStd) {
    String op = "batchNormTraining";
    DType t = floating(op, x);
    CudaStorage sx = storage(x, op, "x", t);
    BatchNormPlan p = BatchNormPlan.of(op, x.shape(), eps, cudnnNormalization);
    CudaStorage sw = channels(op, "weight", weight, x);
    CudaStorage sb = channels(op, "bias", bias, x);
    CudaStorage sy = storage(y, op, "y", t);
    shape(op, "y", y, x.shape());
    CudaStorage sm = channels(op, "batchMean", batchMean, x);
    CudaStorage si = channels(op, "batchInvStd", batchInvStd, x);
    if (p.c() == 0) return;
    if (p.n() * p.s() == 0) {
      throw new IllegalArgumentException(op + ": x " + x.shape() + " has no values per channel to take statistics of");
    }
    if (p.cudnn()) {
      try (Staging st = new Staging()) {
        Gpu.Operand ox = st.in(sx, x);
        Gpu.Operand ow = st.in(sw, weight);
        Gpu.Operand ob = st.in(sb, bias);
        Gpu.Operand oy = st.out(sy, y);
        Gpu.Operand om = st.out(sm, batchMean);
        Gpu.Operand oi = st.out(si, batchInvStd);
        gpu.batchNormTraining(p, t == DType.F64, ox, ow, ob, oy, om, oi);
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("bn_training", t, op), channelBlocks(p), THREADS, addr(sx, x), addr(sw, weight),
          addr(sb, bias), addr(sy, y), addr(sm, batchMean), addr(si, batchInvStd), p.n(), p.c(), p.s(), eps);
    }
    launched(op);
  }

  @Override
  public void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      double eps, Tensor y) {
    String op = "batchNormInference";
    DType t = floating(op, x);
    CudaStorage sx = storage(x, op, "x", t);
    BatchNormPlan p = BatchNormPlan.of(op, x.shape(), eps, cudnnNormalization);
    CudaStorage sw = channels(op, "weight", weight, x);
    CudaStorage sb = channels(op, "bias", bias, x);
    CudaStorage sm = channels(op, "runningMean", runningMean, x);
    CudaStorage sv = channels(op, "runningVar", runningVar, x);
    CudaStorage sy = storage(y, op, "y", t);
    shape(op, "y", y, x.shape());
    long n = x.numel();
    if (n == 0) return;
    if (p.cudnn()) {
      try (Staging st = new Staging()) {
        Gpu.Operand ox = st.in(sx, x);
        Gpu.Operand ow = st.in(sw, weight);
        Gpu.Operand ob = st.in(sb, bias);
        Gpu.Operand om = st.in(sm, runningMean);
        Gpu.Operand ov = st.in(sv, runningVar);
        Gpu.Operand oy = st.out(sy, y);
        gpu.batchNormInference(p, t == DType.F64, ox, ow, ob, om, ov, oy);
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("bn_inference", t, op), Kernels.blocks(n, THREADS), THREADS, addr(sx, x),
          addr(sw, weight), addr(sb, bias), addr(sm, runningMean), addr(sv, runningVar), addr(sy, y), p.n(), p.c(),
          p.s(), eps);
    }
    launched(op);
  }

  /**
   * The SPI passes no eps to the backward; the saved inverse standard deviation already holds it.
   * cuDNN's backward takes an eps all the same (it uses the saved statistics when given them, as
   * here): the smallest it accepts.
   */
  static final double BACKWARD_EPS = BatchNormPlan.CUDNN_MIN_EPS;

  @Override
  public void batchNormBackward(Tensor x, Tensor weight, Tensor dy, Tensor batchMean, Tensor batchInvStd, Tensor dx,
      Tensor dWeight, Tensor dBias) {
    String op = "batchNormBackward";
    DType t = floating(op, x);
    CudaStorage sx = storage(x, op, "x", t);
    BatchNormPlan p = BatchNormPlan.of(op, x.shape(), BACKWARD_EPS, cudnnNormalization);
    CudaStorage sw = channels(op, "weight", weight, x);
    CudaStorage sdy = storage(dy, op, "dy", t);
    shape(op, "dy", dy, x.shape());
    CudaStorage sm = channels(op, "batchMean", batchMean, x);
    CudaStorage si = channels(op, "batchInvStd", batchInvStd, x);
    CudaStorage sdx = storage(dx, op, "dx", t);
    shape(op, "dx", dx, x.shape());
    CudaStorage sdw = channels(op, "dWeight", dWeight, x);
    CudaStorage sdb = channels(op, "dBias", dBias, x);
    if (p.c() == 0) return;
    if (p.n() * p.s() == 0) {
      fill(dWeight, 0);
      fill(dBias, 0);
      return;
    }
    if (p.cudnn()) {
      try (Staging st = new Staging()) {
        Gpu.Operand ox = st.in(sx, x);
        Gpu.Operand ow = st.in(sw, weight);
        Gpu.Operand ody = st.in(sdy, dy);
        Gpu.Operand om = st.in(sm, batchMean);
        Gpu.Operand oi = st.in(si, batchInvStd);
        Gpu.Operand odx = st.out(sdx, dx);
        Gpu.Operand odw = st.out(sdw, dWeight);
        Gpu.Operand odb = st.out(sdb, dBias);
        gpu.batchNormBackward(p, t == DType.F64, ox, ow, ody, om, oi, odx, odw, odb);
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("bn_backward", t, op), channelBlocks(p), THREADS, addr(sx, x), addr(sw, weight),
          addr(sdy, dy), addr(sm, batchMean), addr(si, batchInvStd), addr(sdx, dx), addr(sdw, dWeight),
          addr(sdb, dBias), p.n(), p.c(), p.s());
    }
    launched(op);
  }

  // ------------------------------------------------------------------ LRN (Capability.LRN)

  @Override
  public void lrn(int size, double alpha, double beta, double k, Tensor x, Tensor y) {
    DType t = floating("lrn", x);
    CudaStorage sx = storage(x, "lrn", "x", t);
    CudaStorage sy = storage(y, "lrn", "y", t);
    LrnPlan p = LrnPlan.of("lrn", x.shape(), size, alpha, beta, k, cudnnNormalization);
    shape("lrn", "y", y, x.shape());
    long n = x.numel();
    if (n == 0) return;
    if (p.cudnn()) {
      try (Staging st = new Staging()) {
        Gpu.Operand ox = st.in(sx, x);
        Gpu.Operand oy = st.out(sy, y);
        gpu.lrn(p, t == DType.F64, ox, oy, null, null);
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("lrn_forward", t, "lrn"), Kernels.blocks(n, THREADS), THREADS, size, alpha, beta, k,
          addr(sx, x), addr(sy, y), p.n(), p.c(), p.s());
    }
    launched("lrn");
  }

  @Override
  public void lrnBackward(int size, double alpha, double beta, double k, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    DType t = floating("lrnBackward", x);
    CudaStorage sx = storage(x, "lrnBackward", "x", t);
    CudaStorage sy = storage(y, "lrnBackward", "y", t);
    CudaStorage sdy = storage(dy, "lrnBackward", "dy", t);
    CudaStorage sdx = storage(dx, "lrnBackward", "dx", t);
    LrnPlan p = LrnPlan.of("lrnBackward", x.shape(), size, alpha, beta, k, cudnnNormalization);
    shape("lrnBackward", "y", y, x.shape());
    shape("lrnBackward", "dy", dy, x.shape());
    shape("lrnBackward", "dx", dx, x.shape());
    long n = x.numel();
    if (n == 0) return;
    if (p.cudnn()) {
      try (Staging st = new Staging()) {
        Gpu.Operand ox = st.in(sx, x);
        Gpu.Operand oy = st.in(sy, y);
        Gpu.Operand ody = st.in(sdy, dy);
        Gpu.Operand odx = st.out(sdx, dx);
        gpu.lrn(p, t == DType.F64, ox, oy, ody, odx);
        st.finish();
      }
    } else {
      gpu.launch(Kernels.floating("lrn_backward", t, "lrnBackward"), Kernels.blocks(n, THREADS), THREADS, size, alpha,
          beta, k, addr(sx, x), addr(sy, y), addr(sdy, dy), addr(sdx, dx), p.n(), p.c(), p.s());
    }
    launched("lrnBackward");
  }
}

package org.jdnn.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.cuda.DeviceAllocator.Block;
import org.jdnn.spi.Activation;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * A GPU emulated on the CPU, for running the real {@link CudaBackend} through the conformance and
 * golden suites in CI: device memory is native memory (direct buffers, 256-byte aligned like
 * cuMemAlloc's), jdnn's kernels are the real {@code jdnn_kernels.cu} compiled for the host and
 * called through JNI with CUDA's parameter layout (on a grid of up to {@link #MAX_BLOCKS} blocks
 * of up to {@link #MAX_THREADS} real threads, see {@code src/test/cuda/emu.h}), and what cuBLAS
 * and cuDNN would compute is computed from the
 * backend's plans by {@link GemmPlan#referenceColumnMajor} and {@link NaiveBackend} on the
 * dimensions the plans give cuDNN. So everything but NVIDIA's libraries and the hardware is the
 * code that runs on a GPU: the backend's validation, planning, staging and argument marshalling,
 * and the kernels' arithmetic.
 */
final class EmulatedGpu implements Gpu {
  private static volatile boolean loaded;

  static native boolean launch0(String kernel, byte[] params, int blocks, int threads);

  /**
   * The grid the emulator runs a launch on: at most this many blocks (in turn) of at most this
   * many threads (real threads, together). Every kernel is written for any grid (grid-stride and
   * block-stride loops), so a smaller grid computes the same result; more than one block and
   * thread exercises the index arithmetic and the block-wide trees with their barriers.
   */
  static final int MAX_BLOCKS = 2;
  static final int MAX_THREADS = 8;

  static native int kernelCount0();

  static native long address0(ByteBuffer direct);

  /** Compiles src/test/cuda/emu_jni.cpp with g++ (once per JVM) and loads it. */
  static synchronized void load() {
    if (loaded) return;
    try {
      Path dir = Files.createTempDirectory("jdnn-emu");
      Path lib = dir.resolve("libjdnnemu.so");
      Path javaHome = Path.of(System.getProperty("java.home"));
      Path include = javaHome.resolve("include");
      if (!Files.isDirectory(include)) include = javaHome.getParent().resolve("include");
      Process p = new ProcessBuilder("g++", "-std=c++17", "-O1", "-ffp-contract=off", "-shared", "-fPIC", "-pthread",
          "-I" + include, "-I" + include.resolve("linux"), "-o", lib.toString(),
          Path.of("src/test/cuda/emu_jni.cpp").toAbsolutePath().toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("g++ could not build the kernel emulator:\n" + log);
      }
      System.load(lib.toString());
      loaded = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private final Map<Long, ByteBuffer> memory = new HashMap<>();
  private final NaiveBackend ref = new NaiveBackend();

  EmulatedGpu() {
    load();
  }

  // ------------------------------------------------------------------ memory

  @Override
  public DeviceAllocator.DeviceMemory memory() {
    return new DeviceAllocator.DeviceMemory() {
      @Override
      public Block malloc(long bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect((int) bytes + 256).alignedSlice(256).order(ByteOrder.LITTLE_ENDIAN);
        long address = address0(b);
        memory.put(address, b);
        return new Block(address, bytes, b);
      }

      @Override
      public void free(Block block) {
        if (memory.remove(block.address) == null) throw new IllegalStateException("double free");
      }
    };
  }

  private ByteBuffer at(Block b, long off, long bytes) {
    ByteBuffer m = memory.get(b.address);
    if (m == null) throw new IllegalStateException("block " + Long.toHexString(b.address) + " is not allocated");
    if (off < 0 || off + bytes > b.bytes) {
      throw new IndexOutOfBoundsException("bytes [" + off + ", " + (off + bytes) + ") of a block of " + b.bytes);
    }
    ByteBuffer d = m.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    d.position((int) off).limit((int) (off + bytes));
    return d.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void copyToDevice(Object array, long arrayByteOffset, Block dst, long dstByteOffset, long bytes) {
    ByteBuffer src = CudaBackendOnFakeGpuTest.FakeGpu.view(array);
    at(dst, dstByteOffset, bytes).put(src.array(), (int) arrayByteOffset, (int) bytes);
  }

  @Override
  public void copyToHost(Block src, long srcByteOffset, Object array, long arrayByteOffset, long bytes) {
    ByteBuffer host = CudaBackendOnFakeGpuTest.FakeGpu.view(array);
    at(src, srcByteOffset, bytes).get(host.array(), (int) arrayByteOffset, (int) bytes);
    CudaBackendOnFakeGpuTest.FakeGpu.writeBack(host, array);
  }

  @Override
  public void copyOnDevice(Block src, long srcByteOffset, Block dst, long dstByteOffset, long bytes) {
    byte[] tmp = new byte[(int) bytes];
    at(src, srcByteOffset, bytes).get(tmp);
    at(dst, dstByteOffset, bytes).put(tmp);
  }

  // ------------------------------------------------------------------ kernels

  /** Packs arguments as CUDA lays out kernel parameters: each at its natural alignment. */
  static byte[] pack(Object... args) {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    for (Object a : args) {
      if (a instanceof Integer v) {
        align(b, 4);
        b.putInt(v);
      } else if (a instanceof Long v) {
        align(b, 8);
        b.putLong(v);
      } else if (a instanceof Double v) {
        align(b, 8);
        b.putDouble(v);
      } else if (a instanceof Byte v) {
        b.put(v);
      } else if (a instanceof int[] v) {
        align(b, 4);
        for (int x : v) b.putInt(x);
      } else if (a instanceof long[] v) {
        align(b, 8);
        for (long x : v) b.putLong(x);
      } else {
        throw new IllegalArgumentException("argument of type " + a.getClass());
      }
    }
    byte[] out = new byte[b.position()];
    b.flip();
    b.get(out);
    return out;
  }

  private static void align(ByteBuffer b, int n) {
    while (b.position() % n != 0) b.put((byte) 0);
  }

  @Override
  public void launch(String kernel, int blocks, int threads, Object... args) {
    if (blocks < 1 || threads < 1 || threads > 1024) {
      throw new IllegalArgumentException(kernel + ": a CUDA launch needs 1 to 1024 threads and at least one block; received "
          + blocks + " x " + threads);
    }
    if (!launch0(kernel, pack(args), Math.min(blocks, MAX_BLOCKS), Math.min(threads, MAX_THREADS))) {
      throw new IllegalArgumentException("the emulator has no kernel " + kernel);
    }
  }

  @Override
  public void synchronize(String after) {}

  // ------------------------------------------------------------------ cuBLAS and cuDNN, from the plans

  private double[] read(Block b, long off, long n, boolean f64) {
    double[] v = new double[(int) n];
    ByteBuffer d = at(b, off, n * (f64 ? 8 : 4));
    for (int i = 0; i < n; i++) v[i] = f64 ? d.getDouble() : d.getFloat();
    return v;
  }

  private void write(Block b, long off, double[] v, boolean f64) {
    ByteBuffer d = at(b, off, (long) v.length * (f64 ? 8 : 4));
    for (double x : v) {
      if (f64) d.putDouble(x);
      else d.putFloat((float) x);
    }
  }

  private Tensor load(Block b, long off, int[] dims, boolean f64) {
    Shape s = Shape.of(dims);
    double[] v = read(b, off, s.numel(), f64);
    return Tensor.fromArray(org.jdnn.conformance.Guarded.toArray(v, f64 ? DType.F64 : DType.F32), v.length,
        f64 ? DType.F64 : DType.F32, dims, ref);
  }

  private void store(Tensor t, Block b, long off, boolean f64) {
    write(b, off, t.toDoubleArray(), f64);
  }

  private static long extent(boolean trans, int ld, int rows, int cols) {
    return trans ? (long) ld * (rows - 1) + cols : (long) ld * (cols - 1) + rows;
  }

  @Override
  public void gemm(GemmPlan p, boolean f64, double alpha, Block first, long firstOff, Block second, long secondOff,
      double beta, Block result, long resultOff) {
    long nf = extent(p.transFirst(), p.ldFirst(), p.rows(), p.depth()) + p.strideFirst() * (p.batch() - 1);
    long ns = extent(p.transSecond(), p.ldSecond(), p.depth(), p.cols()) + p.strideSecond() * (p.batch() - 1);
    long nr = extent(false, p.ldResult(), p.rows(), p.cols()) + p.strideResult() * (p.batch() - 1);
    double[] a = read(first, firstOff, nf, f64);
    double[] b = read(second, secondOff, ns, f64);
    double[] c = read(result, resultOff, nr, f64);
    GemmPlan.referenceColumnMajor(p, alpha, a, b, beta, c);
    write(result, resultOff, c, f64);
  }

  @Override
  public void convolution(ConvDirection dir, ConvPlan p, boolean f64, Block in1, long in1Off, Block in2, long in2Off,
      Block out, long outOff, DeviceAllocator allocator) {
    ConvGeometry g = ConvGeometry.of(Shape.of(p.xDims()), Shape.of(p.wDims()), p.stride(), p.pad(), p.dilation(),
        p.groups());
    if (!java.util.Arrays.equals(g.outputShape().toArray(), p.yDims())) {
      throw new IllegalStateException("ConvPlan " + p + " disagrees with its geometry " + g);
    }
    switch (dir) {
      case FORWARD: {
        Tensor y = Tensor.empty(g.outputShape(), f64 ? DType.F64 : DType.F32, ref);
        ref.convForward(g, load(in1, in1Off, p.xDims(), f64), load(in2, in2Off, p.wDims(), f64), y);
        store(y, out, outOff, f64);
        break;
      }
      case BACKWARD_DATA: {
        Tensor dx = Tensor.empty(g.inputShape(), f64 ? DType.F64 : DType.F32, ref);
        ref.convBackwardData(g, load(in1, in1Off, p.wDims(), f64), load(in2, in2Off, p.yDims(), f64), dx);
        store(dx, out, outOff, f64);
        break;
      }
      default: {
        Tensor dw = Tensor.empty(g.weightShape(), f64 ? DType.F64 : DType.F32, ref);
        ref.convBackwardFilter(g, load(in1, in1Off, p.xDims(), f64), load(in2, in2Off, p.yDims(), f64), dw);
        store(dw, out, outOff, f64);
      }
    }
  }

  @Override
  public void pooling(PoolPlan p, boolean f64, Block x, long xOff, Block y, long yOff, Block dy, long dyOff, Block dx,
      long dxOff) {
    PoolGeometry.Mode mode = PoolGeometry.Mode.values()[p.cudnnMode()];
    int[] ones = new int[p.window().length];
    java.util.Arrays.fill(ones, 1);
    PoolGeometry g = PoolGeometry.of(mode, Shape.of(p.xDims()), p.window(), p.stride(), p.padding(), ones, false);
    if (!java.util.Arrays.equals(g.outputShape().toArray(), p.yDims())) {
      throw new IllegalStateException("cuDNN's floor-mode output " + g.outputShape() + " differs from the plan's "
          + java.util.Arrays.toString(p.yDims()));
    }
    Tensor tx = load(x, xOff, p.xDims(), f64);
    if (dy == null) {
      Tensor ty = Tensor.empty(g.outputShape(), f64 ? DType.F64 : DType.F32, ref);
      ref.pool(g, tx, ty);
      store(ty, y, yOff, f64);
    } else {
      Tensor tdx = Tensor.empty(g.inputShape(), f64 ? DType.F64 : DType.F32, ref);
      ref.poolBackward(g, tx, load(y, yOff, p.yDims(), f64), load(dy, dyOff, p.yDims(), f64), tdx);
      store(tdx, dx, dxOff, f64);
    }
  }

  @Override
  public void activation(int mode, boolean f64, int n, Block x, long xOff, Block y, long yOff, Block dy, long dyOff,
      Block dx, long dxOff) {
    Activation a = mode == 0 ? Activation.SIGMOID : mode == 1 ? Activation.RELU : Activation.TANH;
    int[] dims = {n};
    Tensor tx = load(x, xOff, dims, f64);
    if (dy == null) {
      Tensor ty = Tensor.empty(Shape.of(n), f64 ? DType.F64 : DType.F32, ref);
      ref.activation(a, tx, ty);
      store(ty, y, yOff, f64);
    } else {
      Tensor tdx = Tensor.empty(Shape.of(n), f64 ? DType.F64 : DType.F32, ref);
      ref.activationBackward(a, tx, load(y, yOff, dims, f64), load(dy, dyOff, dims, f64), tdx);
      store(tdx, dx, dxOff, f64);
    }
  }

  @Override
  public void softmax(SoftmaxPlan p, boolean log, boolean f64, Block x, long xOff, Block y, long yOff, Block dy,
      long dyOff, Block dx, long dxOff) {
    int[] dims = p.dims();
    if (dy == null) {
      Tensor ty = Tensor.empty(Shape.of(dims), f64 ? DType.F64 : DType.F32, ref);
      ref.softmax(log, 1, load(x, xOff, dims, f64), ty);
      store(ty, y, yOff, f64);
    } else {
      Tensor tdx = Tensor.empty(Shape.of(dims), f64 ? DType.F64 : DType.F32, ref);
      ref.softmaxBackward(log, 1, load(y, yOff, dims, f64), load(dy, dyOff, dims, f64), tdx);
      store(tdx, dx, dxOff, f64);
    }
  }

  // ------------------------------------------------------------------ cuDNN batch norm and LRN, as documented

  private Tensor load(Gpu.Operand o, int[] dims, boolean f64) {
    return load(o.block(), o.off(), dims, f64);
  }

  private void store(Tensor t, Gpu.Operand o, boolean f64) {
    store(t, o.block(), o.off(), f64);
  }

  /** What cuDNN requires of a spatial batch norm as jdnn calls it; the emulation refuses anything else. */
  private static void checkBatchNormPlan(BatchNormPlan p) {
    int[] x = p.xDims();
    if (!p.cudnn() || x.length != 4 || x[3] != 1 || x[0] != p.n() || x[1] != p.c() || x[2] != p.s()
        || !java.util.Arrays.equals(p.paramDims(), new int[] {1, x[1], 1, 1})) {
      throw new IllegalStateException("a batch norm cuDNN would not compute as planned: " + p);
    }
    if (p.eps() < BatchNormPlan.CUDNN_MIN_EPS) {
      throw new IllegalStateException("eps " + p.eps() + " below CUDNN_BN_MIN_EPSILON reached cuDNN");
    }
  }

  /** cudnnBatchNormalizationForwardTraining: saveMean = batch mean, saveInvVariance = 1/sqrt(biased var + eps). */
  @Override
  public void batchNormTraining(BatchNormPlan p, boolean f64, Gpu.Operand x, Gpu.Operand weight, Gpu.Operand bias,
      Gpu.Operand y, Gpu.Operand mean, Gpu.Operand invStd) {
    checkBatchNormPlan(p);
    int[] c = {p.paramDims()[1]};
    DType t = f64 ? DType.F64 : DType.F32;
    Tensor ty = Tensor.empty(Shape.of(p.xDims()), t, ref);
    Tensor tm = Tensor.empty(Shape.of(c), t, ref);
    Tensor ti = Tensor.empty(Shape.of(c), t, ref);
    ref.batchNormTraining(load(x, p.xDims(), f64), load(weight, c, f64), load(bias, c, f64), p.eps(), ty, tm, ti);
    store(ty, y, f64);
    store(tm, mean, f64);
    store(ti, invStd, f64);
  }

  @Override
  public void batchNormInference(BatchNormPlan p, boolean f64, Gpu.Operand x, Gpu.Operand weight, Gpu.Operand bias,
      Gpu.Operand runningMean, Gpu.Operand runningVar, Gpu.Operand y) {
    checkBatchNormPlan(p);
    int[] c = {p.paramDims()[1]};
    Tensor ty = Tensor.empty(Shape.of(p.xDims()), f64 ? DType.F64 : DType.F32, ref);
    ref.batchNormInference(load(x, p.xDims(), f64), load(weight, c, f64), load(bias, c, f64),
        load(runningMean, c, f64), load(runningVar, c, f64), p.eps(), ty);
    store(ty, y, f64);
  }

  /** cudnnBatchNormalizationBackward with the saved mean and inverse variance. */
  @Override
  public void batchNormBackward(BatchNormPlan p, boolean f64, Gpu.Operand x, Gpu.Operand weight, Gpu.Operand dy,
      Gpu.Operand mean, Gpu.Operand invStd, Gpu.Operand dx, Gpu.Operand dWeight, Gpu.Operand dBias) {
    checkBatchNormPlan(p);
    int[] c = {p.paramDims()[1]};
    DType t = f64 ? DType.F64 : DType.F32;
    Tensor tdx = Tensor.empty(Shape.of(p.xDims()), t, ref);
    Tensor tdw = Tensor.empty(Shape.of(c), t, ref);
    Tensor tdb = Tensor.empty(Shape.of(c), t, ref);
    ref.batchNormBackward(load(x, p.xDims(), f64), load(weight, c, f64), load(dy, p.xDims(), f64),
        load(mean, c, f64), load(invStd, c, f64), tdx, tdw, tdb);
    store(tdx, dx, f64);
    store(tdw, dWeight, f64);
    store(tdb, dBias, f64);
  }

  /**
   * cudnnLRNCrossChannelForward/Backward by cuDNN's documented definition, not the SPI's: the window
   * of n channels is {@code [c - (n-1)/2, c + n - 1 - (n-1)/2]} (for n = 10, c-4 .. c+5), the sum is
   * scaled by {@code lrnAlpha / n}, and cuDNN rejects n outside 1..16, k below 1e-5 and beta below
   * 0.01. So a plan that handed cuDNN an even size, or scaled alpha, fails the conformance suite here.
   */
  @Override
  public void lrn(LrnPlan p, boolean f64, Gpu.Operand x, Gpu.Operand y, Gpu.Operand dy, Gpu.Operand dx) {
    int n = p.size();
    if (!p.cudnn() || n < LrnPlan.CUDNN_LRN_MIN_N || n > LrnPlan.CUDNN_LRN_MAX_N || p.k() < LrnPlan.CUDNN_LRN_MIN_K
        || p.beta() < LrnPlan.CUDNN_LRN_MIN_BETA || p.dims().length != 4 || p.dims()[3] != 1) {
      throw new IllegalStateException("cuDNN rejects this LRN: " + p);
    }
    int[] d = p.dims();
    int batch = d[0];
    int channels = d[1];
    int spatial = d[2];
    int total = batch * channels * spatial;
    double[] xv = read(x.block(), x.off(), total, f64);
    int behind = (n - 1) / 2;
    int ahead = n - 1 - behind;
    double[] den = new double[total];
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < channels; c++) {
        for (int s = 0; s < spatial; s++) {
          double sum = 0;
          for (int w = Math.max(0, c - behind); w <= Math.min(channels - 1, c + ahead); w++) {
            double v = xv[(b * channels + w) * spatial + s];
            sum += v * v;
          }
          den[(b * channels + c) * spatial + s] = p.k() + p.alpha() / n * sum;
        }
      }
    }
    double[] out = new double[total];
    if (dy == null) {
      for (int i = 0; i < total; i++) out[i] = xv[i] * Math.pow(den[i], -p.beta());
      write(y.block(), y.off(), out, f64);
      return;
    }
    double[] yv = read(y.block(), y.off(), total, f64);
    double[] gv = read(dy.block(), dy.off(), total, f64);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < channels; j++) {
        for (int s = 0; s < spatial; s++) {
          int at = (b * channels + j) * spatial + s;
          double cross = 0;
          for (int c = Math.max(0, j - ahead); c <= Math.min(channels - 1, j + behind); c++) {
            int ac = (b * channels + c) * spatial + s;
            cross += gv[ac] * yv[ac] / den[ac];
          }
          out[at] = gv[at] * Math.pow(den[at], -p.beta()) - 2 * p.alpha() * p.beta() / n * xv[at] * cross;
        }
      }
    }
    write(dx.block(), dx.off(), out, f64);
  }

  @Override
  public Map<String, String> chosenAlgorithms() {
    return Map.of();
  }
}

package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdnn.conformance.Guarded;
import org.jdnn.cpu.NaiveBackend;
import org.jdnn.cuda.DeviceAllocator.Block;
import org.jdnn.spi.Activation;
import org.jdnn.spi.BinaryOp;
import org.jdnn.spi.ConvGeometry;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.spi.PoolGeometry.Mode;
import org.jdnn.spi.ReduceOp;
import org.jdnn.spi.UnaryOp;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaBackend} on a fake GPU that keeps device memory in byte arrays and checks every call
 * the backend makes: each kernel launch must pass exactly the parameters the PTX declares (count,
 * and per parameter the size and kind: u32, u64, f64, u8, or a struct of N bytes), every device
 * operand must lie inside a live allocation, and every cuDNN operand must be 16-byte aligned. The
 * fake computes nothing (results are the GPU suite's job); it proves what the backend does before
 * and around its native calls.
 */
class CudaBackendOnFakeGpuTest {
  /** Parameter kinds per entry point, read from the shipped PTX: "u32", "u64", "f64", "u8", "b8[200]". */
  static final Map<String, List<String>> PTX_PARAMS = new HashMap<>();

  static {
    Matcher e = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)").matcher(Kernels.ptx());
    while (e.find()) {
      List<String> kinds = new ArrayList<>();
      Matcher p = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+(\\[\\d+\\])?").matcher(e.group(2));
      while (p.find()) kinds.add(p.group(1) + (p.group(2) == null ? "" : p.group(2)));
      PTX_PARAMS.put(e.group(1), kinds);
    }
  }

  /** Device memory in byte arrays; every call checked and recorded. */
  static final class FakeGpu implements Gpu {
    final Map<Long, byte[]> live = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    long next = 0x7000_0000L;

    @Override
    public DeviceAllocator.DeviceMemory memory() {
      return new DeviceAllocator.DeviceMemory() {
        @Override
        public Block malloc(long bytes) {
          Block b = new Block(next, bytes, "fake");
          live.put(next, new byte[(int) bytes]);
          next += (bytes + 255) / 256 * 256 + 256;
          return b;
        }

        @Override
        public void free(Block block) {
          assertTrue(live.remove(block.address) != null, "free of an unknown block");
        }
      };
    }

    byte[] bytes(Block b, long off, long len, String what) {
      byte[] m = live.get(b.address);
      if (m == null) fail(what + ": block " + Long.toHexString(b.address) + " is not allocated");
      if (off < 0 || off + len > m.length) fail(what + ": bytes [" + off + ", " + (off + len) + ") outside a block of " + m.length);
      return m;
    }

    /** A kernel pointer argument must point into a live block. */
    void pointer(long address, String what) {
      for (Map.Entry<Long, byte[]> e : live.entrySet()) {
        if (address >= e.getKey() && address <= e.getKey() + e.getValue().length) return;
      }
      fail(what + ": address " + Long.toHexString(address) + " is in no live allocation");
    }

    void cudnnOperand(Block b, long off, String what) {
      if (b == null) return;
      bytes(b, off, 0, what);
      if ((b.address + off) % 16 != 0) fail(what + ": cuDNN operand at " + Long.toHexString(b.address + off) + " is not 16-byte aligned");
    }

    static ByteBuffer view(Object array) {
      if (array instanceof float[] a) {
        ByteBuffer bb = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(a);
        return bb;
      }
      if (array instanceof double[] a) {
        ByteBuffer bb = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asDoubleBuffer().put(a);
        return bb;
      }
      if (array instanceof int[] a) {
        ByteBuffer bb = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(a);
        return bb;
      }
      if (array instanceof long[] a) {
        ByteBuffer bb = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(a);
        return bb;
      }
      return ByteBuffer.wrap(((byte[]) array).clone()).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void writeBack(ByteBuffer bb, Object array) {
      bb.rewind();
      if (array instanceof float[] a) bb.asFloatBuffer().get(a);
      else if (array instanceof double[] a) bb.asDoubleBuffer().get(a);
      else if (array instanceof int[] a) bb.asIntBuffer().get(a);
      else if (array instanceof long[] a) bb.asLongBuffer().get(a);
      else bb.get((byte[]) array);
    }

    @Override
    public void copyToDevice(Object array, long arrayByteOffset, Block dst, long dstByteOffset, long bytes) {
      ByteBuffer src = view(array);
      if (arrayByteOffset + bytes > src.capacity()) fail("copyToDevice reads past the host array");
      System.arraycopy(src.array(), (int) arrayByteOffset, bytes(dst, dstByteOffset, bytes, "copyToDevice"),
          (int) dstByteOffset, (int) bytes);
      calls.add("HtoD " + bytes);
    }

    @Override
    public void copyToHost(Block src, long srcByteOffset, Object array, long arrayByteOffset, long bytes) {
      ByteBuffer dst = view(array);
      if (arrayByteOffset + bytes > dst.capacity()) fail("copyToHost writes past the host array");
      System.arraycopy(bytes(src, srcByteOffset, bytes, "copyToHost"), (int) srcByteOffset, dst.array(),
          (int) arrayByteOffset, (int) bytes);
      writeBack(dst, array);
      calls.add("DtoH " + bytes);
    }

    @Override
    public void copyOnDevice(Block src, long srcByteOffset, Block dst, long dstByteOffset, long bytes) {
      System.arraycopy(bytes(src, srcByteOffset, bytes, "copyOnDevice src"), (int) srcByteOffset,
          bytes(dst, dstByteOffset, bytes, "copyOnDevice dst"), (int) dstByteOffset, (int) bytes);
      calls.add("DtoD " + bytes);
    }

    @Override
    public void launch(String kernel, int blocks, int threads, Object... args) {
      List<String> kinds = PTX_PARAMS.get(kernel);
      if (kinds == null) fail("launch of " + kernel + ", which the PTX does not have");
      if (kinds.size() != args.length) fail(kernel + ": the PTX declares " + kinds + "; the backend passed " + args.length);
      assertTrue(blocks >= 1 && threads >= 1 && threads <= 1024, kernel + ": grid " + blocks + " x " + threads);
      for (int i = 0; i < args.length; i++) {
        String k = kinds.get(i);
        Object a = args[i];
        boolean ok;
        switch (k) {
          case "u32": case "s32": ok = a instanceof Integer; break;
          case "u64": case "s64": ok = a instanceof Long; break;
          case "f64": ok = a instanceof Double; break;
          case "u8": case "s8": ok = a instanceof Byte; break;
          default: {
            int n = Integer.parseInt(k.substring(k.indexOf('[') + 1, k.length() - 1));
            ok = a instanceof int[] iv ? iv.length * 4 == n : a instanceof long[] lv && lv.length * 8 == n;
          }
        }
        if (!ok) fail(kernel + ": parameter " + i + " is " + k + " in the PTX; the backend passed " + a.getClass().getSimpleName());
        if (k.equals("u64") && (Long) a >= 0x7000_0000L && (Long) a < next) pointer((Long) a, kernel + " parameter " + i);
      }
      calls.add("launch " + kernel);
    }

    @Override
    public void synchronize(String after) {
      calls.add("sync");
    }

    @Override
    public void gemm(GemmPlan p, boolean f64, double alpha, Block first, long firstOff, Block second, long secondOff,
        double beta, Block result, long resultOff) {
      bytes(first, firstOff, 0, "gemm b");
      bytes(second, secondOff, 0, "gemm a");
      bytes(result, resultOff, 0, "gemm c");
      calls.add("cublas gemm " + p.batch());
    }

    @Override
    public void convolution(ConvDirection dir, ConvPlan p, boolean f64, Block in1, long in1Off, Block in2, long in2Off,
        Block out, long outOff, DeviceAllocator allocator) {
      cudnnOperand(in1, in1Off, dir + " in1");
      cudnnOperand(in2, in2Off, dir + " in2");
      cudnnOperand(out, outOff, dir + " out");
      calls.add("cudnn conv " + dir);
    }

    @Override
    public void pooling(PoolPlan p, boolean f64, Block x, long xOff, Block y, long yOff, Block dy, long dyOff, Block dx,
        long dxOff) {
      cudnnOperand(x, xOff, "pool x");
      cudnnOperand(y, yOff, "pool y");
      cudnnOperand(dy, dyOff, "pool dy");
      cudnnOperand(dx, dxOff, "pool dx");
      calls.add("cudnn pooling " + (dy == null ? "forward" : "backward"));
    }

    @Override
    public void activation(int mode, boolean f64, int n, Block x, long xOff, Block y, long yOff, Block dy, long dyOff,
        Block dx, long dxOff) {
      cudnnOperand(x, xOff, "activation x");
      cudnnOperand(y, yOff, "activation y");
      cudnnOperand(dy, dyOff, "activation dy");
      cudnnOperand(dx, dxOff, "activation dx");
      calls.add("cudnn activation " + mode + (dy == null ? " forward" : " backward"));
    }

    @Override
    public void softmax(SoftmaxPlan p, boolean log, boolean f64, Block x, long xOff, Block y, long yOff, Block dy,
        long dyOff, Block dx, long dxOff) {
      cudnnOperand(x, xOff, "softmax x");
      cudnnOperand(y, yOff, "softmax y");
      cudnnOperand(dy, dyOff, "softmax dy");
      cudnnOperand(dx, dxOff, "softmax dx");
      calls.add("cudnn softmax " + (dy == null ? "forward" : "backward"));
    }

    void operands(String what, Gpu.Operand... ops) {
      for (Gpu.Operand o : ops) if (o != null) cudnnOperand(o.block(), o.off(), what);
    }

    @Override
    public void batchNormTraining(BatchNormPlan p, boolean f64, Gpu.Operand x, Gpu.Operand weight, Gpu.Operand bias,
        Gpu.Operand y, Gpu.Operand mean, Gpu.Operand invStd) {
      operands("batch norm training", x, weight, bias, y, mean, invStd);
      calls.add("cudnn batchnorm training");
    }

    @Override
    public void batchNormInference(BatchNormPlan p, boolean f64, Gpu.Operand x, Gpu.Operand weight, Gpu.Operand bias,
        Gpu.Operand runningMean, Gpu.Operand runningVar, Gpu.Operand y) {
      operands("batch norm inference", x, weight, bias, runningMean, runningVar, y);
      calls.add("cudnn batchnorm inference");
    }

    @Override
    public void batchNormBackward(BatchNormPlan p, boolean f64, Gpu.Operand x, Gpu.Operand weight, Gpu.Operand dy,
        Gpu.Operand mean, Gpu.Operand invStd, Gpu.Operand dx, Gpu.Operand dWeight, Gpu.Operand dBias) {
      operands("batch norm backward", x, weight, dy, mean, invStd, dx, dWeight, dBias);
      calls.add("cudnn batchnorm backward");
    }

    @Override
    public void lrn(LrnPlan p, boolean f64, Gpu.Operand x, Gpu.Operand y, Gpu.Operand dy, Gpu.Operand dx) {
      operands("lrn", x, y, dy, dx);
      calls.add("cudnn lrn " + (dy == null ? "forward" : "backward"));
    }

    @Override
    public Map<String, String> chosenAlgorithms() {
      return Map.of();
    }
  }

  private FakeGpu gpu;
  private CudaBackend be;
  private Scope scope;

  @BeforeEach
  void open() {
    gpu = new FakeGpu();
    be = new CudaBackend(0, gpu, "cuda:0 (fake)", true);
    scope = Scope.open();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  /** A tensor at an unaligned offset (5 elements) inside a larger allocation, as the conformance suite makes them. */
  private Tensor g(Shape s, DType d) {
    double[] v = new double[(int) s.numel()];
    for (int i = 0; i < v.length; i++) v[i] = (i % 7) - 3;
    return Guarded.of(be, d, s, v).tensor();
  }

  private Tensor g(int... dims) {
    return g(Shape.of(dims), DType.F32);
  }

  private int count(String prefix) {
    return (int) gpu.calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  @Test
  void everyPrimitiveLaunchesWhatThePtxDeclaresWithInBoundsOperands() {
    for (DType from : DType.values()) {
      for (DType to : DType.values()) be.copy(g(Shape.of(3, 37), from), g(Shape.of(3, 37), to));
      be.fill(g(Shape.of(13), from), 7);
    }
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      be.randomUniform(g(Shape.of(100), d), -1, 1, 5);
      be.randomNormal(g(Shape.of(100), d), 0, 1, 5);
      be.randomBernoulli(g(Shape.of(100), d), 0.3, 5);
    }
    be.gemm(false, true, 1, g(3, 7, 5), g(13, 5), 0, g(3, 7, 13));
    be.gemm(false, false, 1, g(7, 0), g(0, 13), 0.5, g(7, 13)); // k = 0: c = beta c, no cuBLAS
    for (int[][] c : new int[][][] {{{2, 3, 13}, {4, 3, 3}, {1}, {0}, {1}}, {{2, 4, 7, 7}, {6, 2, 3, 3}, {1, 1}, {1, 1}, {1, 1}},
        {{1, 3, 7, 7, 7}, {4, 3, 3, 3, 3}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}}}) {
      int groups = c[0][1] / c[1][1];
      ConvGeometry cg = ConvGeometry.of(Shape.of(c[0]), Shape.of(c[1]), c[2], c[3], c[4], groups);
      be.convForward(cg, g(cg.inputShape(), DType.F32), g(cg.weightShape(), DType.F32), g(cg.outputShape(), DType.F32));
      be.convBackwardData(cg, g(cg.weightShape(), DType.F32), g(cg.outputShape(), DType.F32), g(cg.inputShape(), DType.F32));
      be.convBackwardFilter(cg, g(cg.inputShape(), DType.F32), g(cg.outputShape(), DType.F32), g(cg.weightShape(), DType.F32));
    }
    for (Mode m : Mode.values()) {
      for (boolean ceil : new boolean[] {false, true}) {
        PoolGeometry pg = PoolGeometry.of(m, Shape.of(2, 2, 6, 6), new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
            new int[] {1, 1}, ceil);
        Tensor x = g(pg.inputShape(), DType.F32);
        Tensor y = g(pg.outputShape(), DType.F32);
        be.pool(pg, x, y);
        be.poolBackward(pg, x, y, g(pg.outputShape(), DType.F32), g(pg.inputShape(), DType.F32));
      }
    }
    for (Activation a : Activation.examples()) {
      for (DType d : new DType[] {DType.F32, DType.F64}) {
        be.activation(a, g(Shape.of(2, 3, 5), d), g(Shape.of(2, 3, 5), d));
        be.activationBackward(a, g(Shape.of(2, 3, 5), d), g(Shape.of(2, 3, 5), d), g(Shape.of(2, 3, 5), d),
            g(Shape.of(2, 3, 5), d));
      }
    }
    for (boolean log : new boolean[] {false, true}) {
      be.softmax(log, 1, g(2, 3, 5), g(2, 3, 5));
      be.softmaxBackward(log, 1, g(2, 3, 5), g(2, 3, 5), g(2, 3, 5));
    }
    for (UnaryOp op : UnaryOp.values()) be.unary(op, g(2, 3, 5), g(2, 3, 5));
    for (BinaryOp op : BinaryOp.values()) {
      be.binary(op, g(2, 3, 5, 7), g(1, 3, 1, 1), g(2, 3, 5, 7));
      be.binaryScalar(op, g(2, 3), 2, g(2, 3));
    }
    for (ReduceOp op : ReduceOp.values()) be.reduce(op, g(2, 3, 5, 7), new int[] {0, 2}, g(1, 3, 1, 7));
    be.argmax(g(2, 3, 5), 1, g(Shape.of(2, 5), DType.I64));
    for (DType l : new DType[] {DType.I32, DType.I64, DType.U8}) {
      for (DType o : new DType[] {DType.F32, DType.F64}) be.oneHot(g(Shape.of(6), l), g(Shape.of(6, 4), o));
    }

    for (DType d : DType.values()) {
      be.permute(g(Shape.of(2, 3, 5), d), new int[] {2, 0, 1}, g(Shape.of(5, 2, 3), d));
      be.narrow(g(Shape.of(2, 7, 5), d), 1, 2, g(Shape.of(2, 3, 5), d));
      be.narrowAssign(g(Shape.of(2, 3, 5), d), 1, 4, g(Shape.of(2, 7, 5), d));
      be.where(g(Shape.of(2, 1, 5), d), g(Shape.of(2, 3, 5), d), g(Shape.of(5), d), g(Shape.of(2, 3, 5), d));
      for (org.jdnn.spi.PadMode m : org.jdnn.spi.PadMode.values()) {
        be.pad(m, new int[] {1, 2}, new int[] {2, 1}, 0.5, g(Shape.of(2, 3, 5), d), g(Shape.of(2, 6, 8), d));
      }
    }
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      for (org.jdnn.spi.PadMode m : org.jdnn.spi.PadMode.values()) {
        be.padBackward(m, new int[] {1, 2}, new int[] {2, 1}, g(Shape.of(2, 6, 8), d), g(Shape.of(2, 3, 5), d));
      }
    }
    PoolGeometry mg = PoolGeometry.of(Mode.MAX, Shape.of(2, 2, 6, 6), new int[] {3, 3}, new int[] {2, 2},
        new int[] {1, 1}, new int[] {1, 1}, true);
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      Tensor pooled = g(mg.outputShape(), d);
      Tensor indices = g(mg.outputShape(), DType.I64);
      be.maxPoolWithIndices(mg, g(mg.inputShape(), d), pooled, indices);
      be.unpool(pooled, indices, g(mg.inputShape(), d));
      be.unpoolBackward(g(mg.inputShape(), d), indices, g(mg.outputShape(), d));
      for (boolean max : new boolean[] {false, true}) {
        be.adaptivePool(max, g(Shape.of(2, 3, 7, 5), d), g(Shape.of(2, 3, 3, 2), d));
        be.adaptivePoolBackward(max, g(Shape.of(2, 3, 7, 5), d), g(Shape.of(2, 3, 3, 2), d), g(Shape.of(2, 3, 3, 2), d),
            g(Shape.of(2, 3, 7, 5), d));
      }
      for (org.jdnn.spi.UpsampleMode m : org.jdnn.spi.UpsampleMode.values()) {
        be.upsample(m, m == org.jdnn.spi.UpsampleMode.LINEAR, g(Shape.of(2, 3, 4, 5), d), g(Shape.of(2, 3, 8, 9), d));
        be.upsampleBackward(m, false, g(Shape.of(2, 3, 8, 9), d), g(Shape.of(2, 3, 4, 5), d));
      }
    }
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      for (Shape xs : new Shape[] {Shape.of(4, 3), Shape.of(2, 3, 5, 7)}) {
        for (double eps : new double[] {1e-5, 0}) { // eps 0 is below what jdnn gives cuDNN: the kernels
          be.batchNormTraining(g(xs, d), g(Shape.of(3), d), g(Shape.of(3), d), eps, g(xs, d), g(Shape.of(3), d),
              g(Shape.of(3), d));
          be.batchNormInference(g(xs, d), g(Shape.of(3), d), g(Shape.of(3), d), g(Shape.of(3), d), g(Shape.of(3), d),
              eps, g(xs, d));
        }
        be.batchNormBackward(g(xs, d), g(Shape.of(3), d), g(xs, d), g(Shape.of(3), d), g(Shape.of(3), d), g(xs, d),
            g(Shape.of(3), d), g(Shape.of(3), d));
      }
      for (int size : new int[] {5, 4}) { // an even size goes to the kernels
        be.lrn(size, 1e-4, 0.75, 2, g(Shape.of(2, 7, 3, 3), d), g(Shape.of(2, 7, 3, 3), d));
        be.lrnBackward(size, 1e-4, 0.75, 2, g(Shape.of(2, 7, 3, 3), d), g(Shape.of(2, 7, 3, 3), d),
            g(Shape.of(2, 7, 3, 3), d), g(Shape.of(2, 7, 3, 3), d));
      }
    }

    // What went where.
    assertEquals(3 * 3, count("cudnn conv"), "three convolutions, three directions");
    assertEquals(20, count("launch convert_"), "every dtype pair but the 5 same-dtype copies");
    assertEquals(5, count("DtoD 444") + count("DtoD 888") + count("DtoD 111"), "same-dtype copies are memcpy");
    assertEquals(1, count("cublas gemm"), "k = 0 never reaches cuBLAS");
    // Pooling: floor mode by cuDNN (forward for all, backward for the averages); ceil mode and
    // max backward by the kernels.
    assertEquals(3 + 2, count("cudnn pooling"));
    assertEquals(3, count("launch pool_forward_f32"));
    assertEquals(1 + 3, count("launch pool_backward_f32"));
    assertEquals(2 * 2 * 3, count("cudnn activation"), "ReLU, sigmoid and tanh by cuDNN, F32 and F64");
    int extended = Activation.examples().size() - 3;
    assertEquals(extended, count("launch act_forward_f32"), "the other kinds by the kernels");
    assertEquals(extended, count("launch act_backward_f64"));
    assertEquals(4, count("cudnn softmax"));
    assertTrue(count("DtoD") > 5, "unaligned cuDNN operands were staged through aligned blocks");
    // Data movement by element width: U8 on b8, F32 and I32 on b32, F64 and I64 on b64.
    for (String op : new String[] {"permute", "window", "where"}) {
      int calls = op.equals("window") ? 2 : 1; // narrow and narrowAssign
      assertEquals(calls, count("launch " + op + "_b8"), op);
      assertEquals(2 * calls, count("launch " + op + "_b32"), op);
      assertEquals(2 * calls, count("launch " + op + "_b64"), op);
    }
    assertEquals(4 * 2, count("launch pad_b64"), "four modes, F64 and I64");
    assertEquals(4, count("launch pad_backward_f32"));
    // Unpooling: indices by the pooling window scan; the scatter through the last-writer pass.
    assertEquals(1, count("launch pool_indices_f64"));
    assertEquals(2, count("launch unpool_winner"));
    assertEquals(1, count("launch unpool_scatter_b32"));
    assertEquals(1, count("launch unpool_backward_b64"));
    assertEquals(2, count("launch adaptive_forward_f32"));
    assertEquals(1, count("launch adaptive_argmax_f32"), "only max pooling's backward needs the argmax");
    assertEquals(2, count("launch adaptive_backward_f64"));
    assertEquals(2, count("launch upsample_forward_f64"));
    assertEquals(2, count("launch upsample_backward_f32"));
    // Normalisation: cuDNN where the plans allow it, the kernels where they do not.
    assertEquals(2 * 2, count("cudnn batchnorm training"), "eps 1e-5, F32 and F64, two shapes");
    assertEquals(2 * 2, count("cudnn batchnorm inference"));
    assertEquals(2 * 2, count("cudnn batchnorm backward"));
    assertEquals(2, count("launch bn_training_f32"), "eps 0");
    assertEquals(2, count("launch bn_inference_f64"));
    assertEquals(0, count("launch bn_backward_"));
    assertEquals(2, count("cudnn lrn forward"), "size 5");
    assertEquals(2, count("cudnn lrn backward"));
    assertEquals(1, count("launch lrn_forward_f32"), "size 4");
    assertEquals(1, count("launch lrn_backward_f64"));
  }

  @Test
  void theKernelsReplaceCudnnWhenAsked() {
    CudaBackend kernels = new CudaBackend(0, gpu, "cuda:0 (fake)", false, false);
    for (Activation a : java.util.List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH)) {
      Tensor x = Guarded.of(kernels, DType.F32, Shape.of(7), new double[7]).tensor();
      Tensor y = Guarded.of(kernels, DType.F32, Shape.of(7), new double[7]).tensor();
      kernels.activation(a, x, y);
      kernels.activationBackward(a, x, y, x, y);
    }
    assertEquals(0, count("cudnn activation"));
    assertEquals(3, count("launch act_forward_f32"));
    assertEquals(3, count("launch act_backward_f32"));
    for (DType d : new DType[] {DType.F32, DType.F64}) {
      Shape xs = Shape.of(2, 3, 5, 7);
      Shape cs = Shape.of(3);
      Tensor x = Guarded.of(kernels, d, xs, null).tensor();
      Tensor c = Guarded.of(kernels, d, cs, null).tensor();
      kernels.batchNormTraining(x, c, c, 1e-5, x, c, c);
      kernels.batchNormInference(x, c, c, c, c, 1e-5, x);
      kernels.batchNormBackward(x, c, x, c, c, x, c, c);
      kernels.lrn(5, 1e-4, 0.75, 2, x, x);
      kernels.lrnBackward(5, 1e-4, 0.75, 2, x, x, x, x);
    }
    assertEquals(0, count("cudnn batchnorm") + count("cudnn lrn"), "jdnn.cuda.normalization=jdnn: " + gpu.calls);
    for (String k : new String[] {"bn_training", "bn_inference", "bn_backward", "lrn_forward", "lrn_backward"}) {
      assertEquals(1, count("launch " + k + "_f32"), k);
      assertEquals(1, count("launch " + k + "_f64"), k);
    }
  }

  @Test
  void stagedOutputsAreCopiedBackIntoTheTensor() {
    Tensor x = g(2, 3, 5);
    Tensor y = g(2, 3, 5);
    long addressY = Gpu.address(((CudaStorage) y.storage()).block, y.offset() * 4);
    assertTrue(addressY % 16 != 0, "the guarded tensor sits at an unaligned address");
    gpu.calls.clear();
    be.softmax(false, 1, x, y);
    // in: x to an aligned block; the call; out: the aligned block back into y.
    assertEquals(List.of("DtoD 120", "cudnn softmax forward", "DtoD 120"), gpu.calls);
  }

  @Test
  void hostCopiesMoveTheRightElements() {
    for (DType d : DType.values()) {
      double[] v = {1, 2, 3, 4, 5, 6, 7};
      Guarded t = Guarded.of(be, d, Shape.of(7), v);
      assertEquals(java.util.Arrays.toString(v), java.util.Arrays.toString(t.values()), d + " round trip");
      t.assertGuardsIntact(d + " copy into an offset");
      Object host = Guarded.toArray(new double[] {0, 0, 9, 8, 7, 6, 5, 4, 3}, d);
      be.copyFromHost(host, 2, t.tensor());
      assertEquals("[9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0]", java.util.Arrays.toString(t.values()), d + " from offset 2");
      t.assertGuardsIntact(d + " copy from an array offset");
    }
  }

  @Test
  void wrongArgumentsAreRejectedBeforeAnyDeviceCall() {
    Tensor f = g(2, 2);
    Tensor i64 = g(Shape.of(4), DType.I64);
    Tensor onCpu = Tensor.zeros(Shape.of(2, 2), DType.F32, new NaiveBackend());
    gpu.calls.clear();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.copyFromHost(new float[4], 0, i64));
    assertEquals("copyFromHost: a I64 tensor needs a long[]; received float[]", e.getMessage());
    IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class, () -> be.copyFromHost(new long[5], 2, i64));
    assertEquals("copyFromHost: 4 elements at offset 2 do not fit an array of 5", o.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> be.copyToHost(f, new float[3], 0));
    e = assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, onCpu, f, 0, f));
    assertEquals("gemm: a must be a tensor on cuda:0; received one on cpu", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> be.binary(BinaryOp.ADD, f, f, g(2, 3)));
    assertTrue(e.getMessage().startsWith("binary ADD: out must have the broadcast shape [2, 2]"), e.getMessage());
    UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
        () -> be.unary(UnaryOp.NEG, i64, i64));
    assertEquals("cuda unary NEG: dtype I64 is not supported; F32 and F64 are", u.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, f, g(Shape.of(2, 2), DType.F64), 0, f));
    assertEquals("gemm: b must be F32; received F64", e.getMessage());
    ConvGeometry cg = ConvGeometry.of(Shape.of(2, 3, 7, 7), Shape.of(4, 3, 3, 3), new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 1}, 1);
    e = assertThrows(IllegalArgumentException.class,
        () -> be.convForward(cg, g(2, 3, 7, 7), g(4, 3, 3, 3), g(2, 4, 6, 6)));
    assertEquals("conv forward: y must have shape [2, 4, 5, 5]; received [2, 4, 6, 6]", e.getMessage());
    PoolGeometry pg = PoolGeometry.of(Mode.MAX, Shape.of(1, 2, 8, 8), new int[] {2, 2}, new int[] {2, 2},
        new int[] {0, 0}, new int[] {1, 1}, false);
    e = assertThrows(IllegalArgumentException.class, () -> be.pool(pg, g(1, 2, 8, 7), g(1, 2, 4, 4)));
    assertEquals("pool: x must have shape [1, 2, 8, 8]; received [1, 2, 8, 7]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, g(3, 4), g(5, 6), 0, g(3, 6)));
    assertEquals("gemm: b must have shape [4, 6]; received [5, 6]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> be.softmax(false, 2, g(3, 4), g(3, 4)));
    assertEquals("softmax: axis must be in [0, 2) for [3, 4]; received 2", e.getMessage());
    long launches = gpu.calls.stream().filter(c -> !c.startsWith("HtoD")).count();
    assertEquals(0, launches, "nothing reached the device but the test's own copies: " + gpu.calls);
    Tensor closed = g(2, 2);
    closed.close();
    assertThrows(IllegalStateException.class, () -> be.fill(closed, 1), "a released tensor");
  }

  @Test
  void releasedTensorsGoBackToTheAllocatorsCache() {
    DeviceAllocator.Stats before = be.memoryStats();
    for (int i = 0; i < 5; i++) {
      try (Tensor t = Tensor.zeros(Shape.of(100, 100), DType.F32, be)) {
        assertEquals(before.allocatedBytes() + 40_448, be.memoryStats().allocatedBytes(), "40,000 bytes in 512-byte classes");
      }
    }
    DeviceAllocator.Stats after = be.memoryStats();
    assertEquals(before.allocatedBytes(), after.allocatedBytes());
    assertEquals(before.deviceMallocs() + 1, after.deviceMallocs(), "one block served five tensors in turn: " + after);
    assertEquals(before.cacheHits() + 4, after.cacheHits(), after.toString());
    assertFalse(gpu.live.isEmpty());
  }
}

package org.jdnn.cuda.jni;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasStatus;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnLRNDescriptor;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.runtime.JCuda;
import org.jdnn.cuda.BatchNormPlan;
import org.jdnn.cuda.ConvDirection;
import org.jdnn.cuda.ConvPlan;
import org.jdnn.cuda.DeviceAllocator;
import org.jdnn.cuda.DeviceAllocator.Block;
import org.jdnn.cuda.GemmPlan;
import org.jdnn.cuda.Gpu.Operand;
import org.jdnn.cuda.LrnPlan;
import org.jdnn.cuda.PoolPlan;
import org.jdnn.cuda.SoftmaxPlan;

/**
 * One GPU as jdnn drives it: its primary context (shared by the runtime, cuBLAS and cuDNN), the
 * module of jdnn's own kernels, a cuBLAS and a cuDNN handle, all on the legacy default stream, so
 * every call is ordered after the previous one and a copy to the host waits for the work before it.
 *
 * <p>A device address is a {@link Block} from the allocator plus a byte offset inside it; the
 * caller ({@code org.jdnn.cuda.CudaBackend}) has checked that every offset and length lies inside
 * its block.
 */
public final class CudaDevice implements org.jdnn.cuda.Gpu {
  // cuDNN and cuBLAS enum values (cudnn.h 9, cublas_api.h 12).
  static final int CUDNN_DATA_FLOAT = 0;
  static final int CUDNN_DATA_DOUBLE = 1;
  static final int CUDNN_TENSOR_NCHW = 0;
  static final int CUDNN_CROSS_CORRELATION = 1;
  static final int CUDNN_DEFAULT_MATH = 0;
  static final int CUDNN_FMA_MATH = 3;
  static final int CUDNN_PROPAGATE_NAN = 1;
  static final int CUDNN_DETERMINISTIC = 1;
  static final int CUBLAS_OP_N = 0;
  static final int CUBLAS_OP_T = 1;
  static final int CUBLAS_DEFAULT_MATH = 0;
  static final int CUBLAS_TF32_TENSOR_OP_MATH = 3;

  private final int index;
  private final boolean tf32;
  private final boolean deterministic;
  private final CUcontext context = new CUcontext();
  private final CUmodule module = new CUmodule();
  private final Map<String, CUfunction> functions = new ConcurrentHashMap<>();
  private final cublasHandle cublas = new cublasHandle();
  private final cudnnHandle cudnn = new cudnnHandle();
  private final ThreadLocal<Boolean> current = new ThreadLocal<>();
  private final Map<String, List<Algo>> algorithms = new HashMap<>();
  private final Map<String, String> chosen = new ConcurrentHashMap<>();

  /** A convolution algorithm as cuDNN ranked it: id, math type and workspace bytes. */
  record Algo(int algo, int mathType, long memory, boolean deterministic) {}

  private CudaDevice(int index, boolean tf32, boolean deterministic) {
    this.index = index;
    this.tf32 = tf32;
    this.deterministic = deterministic;
  }

  /**
   * Opens device {@code index}: makes its primary context current, loads the kernels' PTX
   * ({@code cuModuleLoadData}, which JIT-compiles it for this GPU) and creates the handles.
   */
  public static CudaDevice open(int index, String ptx, boolean tf32, boolean deterministic) {
    CudaDevice d = new CudaDevice(index, tf32, deterministic);
    JCuda.setExceptionsEnabled(false);
    JCudaDriver.setExceptionsEnabled(false);
    JCublas2.setExceptionsEnabled(false);
    JCudnn.setExceptionsEnabled(false);
    runtime(JCuda.cudaSetDevice(index), "cudaSetDevice(" + index + ")");
    runtime(JCuda.cudaFree(new Pointer()), "cudaFree(NULL) (creating the primary context)");
    driver(JCudaDriver.cuInit(0), "cuInit");
    CUdevice dev = new CUdevice();
    driver(JCudaDriver.cuDeviceGet(dev, index), "cuDeviceGet(" + index + ")");
    driver(JCudaDriver.cuDevicePrimaryCtxRetain(d.context, dev), "cuDevicePrimaryCtxRetain");
    driver(JCudaDriver.cuCtxSetCurrent(d.context), "cuCtxSetCurrent");
    d.current.set(Boolean.TRUE);
    driver(JCudaDriver.cuModuleLoadData(d.module, ptx), "cuModuleLoadData (jdnn_kernels.ptx, .version "
        + org.jdnn.cuda.Kernels.isaVersion(ptx) + ")");
    blas(JCublas2.cublasCreate(d.cublas), "cublasCreate");
    blas(JCublas2.cublasSetMathMode(d.cublas, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH),
        "cublasSetMathMode");
    dnn(JCudnn.cudnnCreate(d.cudnn), "cudnnCreate");
    return d;
  }

  /** Makes this device's context current on the calling thread (once per thread). */
  public void bind() {
    if (current.get() == null) {
      runtime(JCuda.cudaSetDevice(index), "cudaSetDevice(" + index + ")");
      driver(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
      current.set(Boolean.TRUE);
    }
  }

  public int cublasVersion() {
    int[] v = {0};
    blas(JCublas2.cublasGetVersion(cublas, v), "cublasGetVersion");
    return v[0];
  }

  /** Free and total device memory in bytes. */
  public long[] memInfo() {
    bind();
    long[] free = {0};
    long[] total = {0};
    driver(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
    return new long[] {free[0], total[0]};
  }

  /** Which convolution algorithms were chosen, per shape key. */
  @Override
  public Map<String, String> chosenAlgorithms() {
    return Map.copyOf(chosen);
  }

  // ------------------------------------------------------------------ memory

  /** Device memory for the allocator: cuMemAlloc and cuMemFree. */
  @Override
  public DeviceAllocator.DeviceMemory memory() {
    return new DeviceAllocator.DeviceMemory() {
      @Override
      public Block malloc(long bytes) {
        bind();
        Ptr p = new Ptr();
        int err = JCudaDriver.cuMemAlloc(p, bytes);
        if (err == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return null;
        driver(err, "cuMemAlloc(" + bytes + ")");
        return new Block(p.address(), bytes, p);
      }

      @Override
      public void free(Block block) {
        bind();
        driver(JCudaDriver.cuMemFree((CUdeviceptr) block.handle), "cuMemFree");
      }
    };
  }

  /** A CUdeviceptr whose address jdnn can read (for kernel arguments). */
  static final class Ptr extends CUdeviceptr {
    long address() {
      return getNativePointer();
    }
  }

  static CUdeviceptr at(Block b, long byteOffset) {
    return ((CUdeviceptr) b.handle).withByteOffset(byteOffset);
  }

  /** Host array ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} or {@code byte[]}) to device. */
  @Override
  public void copyToDevice(Object array, long arrayByteOffset, Block dst, long dstByteOffset, long bytes) {
    bind();
    driver(JCudaDriver.cuMemcpyHtoD(at(dst, dstByteOffset), host(array).withByteOffset(arrayByteOffset), bytes),
        "cuMemcpyHtoD(" + bytes + " bytes)");
  }

  @Override
  public void copyToHost(Block src, long srcByteOffset, Object array, long arrayByteOffset, long bytes) {
    bind();
    driver(JCudaDriver.cuMemcpyDtoH(host(array).withByteOffset(arrayByteOffset), at(src, srcByteOffset), bytes),
        "cuMemcpyDtoH(" + bytes + " bytes)");
  }

  @Override
  public void copyOnDevice(Block src, long srcByteOffset, Block dst, long dstByteOffset, long bytes) {
    bind();
    driver(JCudaDriver.cuMemcpyDtoD(at(dst, dstByteOffset), at(src, srcByteOffset), bytes),
        "cuMemcpyDtoD(" + bytes + " bytes)");
  }

  private static Pointer host(Object array) {
    if (array instanceof float[] a) return Pointer.to(a);
    if (array instanceof double[] a) return Pointer.to(a);
    if (array instanceof int[] a) return Pointer.to(a);
    if (array instanceof long[] a) return Pointer.to(a);
    if (array instanceof byte[] a) return Pointer.to(a);
    throw new IllegalArgumentException("not a primitive array jdnn copies: " + array.getClass().getName());
  }

  // ------------------------------------------------------------------ own kernels


  /**
   * Launches {@code kernel} on {@code blocks} x {@code threads}. Arguments, in the kernel's order:
   * {@link Integer} (int), {@link Long} (64-bit integer or device address), {@link Double},
   * {@link Byte} (unsigned char), {@code int[]} or {@code long[]} (a struct passed by value).
   */
  @Override
  public void launch(String kernel, int blocks, int threads, Object... args) {
    bind();
    CUfunction f = functions.computeIfAbsent(kernel, k -> {
      CUfunction fn = new CUfunction();
      driver(JCudaDriver.cuModuleGetFunction(fn, module, k), "cuModuleGetFunction(" + k + ")");
      return fn;
    });
    Pointer[] params = new Pointer[args.length];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Integer v) params[i] = Pointer.to(new int[] {v});
      else if (a instanceof Long v) params[i] = Pointer.to(new long[] {v});
      else if (a instanceof Double v) params[i] = Pointer.to(new double[] {v});
      else if (a instanceof Byte v) params[i] = Pointer.to(new byte[] {v});
      else if (a instanceof int[] v) params[i] = Pointer.to(v);
      else if (a instanceof long[] v) params[i] = Pointer.to(v);
      else throw new IllegalArgumentException(kernel + ": argument " + i + " has unsupported type " + a.getClass());
    }
    driver(JCudaDriver.cuLaunchKernel(f, blocks, 1, 1, threads, 1, 1, 0, null, Pointer.to(params), null),
        "cuLaunchKernel(" + kernel + ", " + blocks + " x " + threads + ")");
  }

  /** Waits for everything queued and reports an asynchronous kernel error, naming what ran before. */
  @Override
  public void synchronize(String after) {
    bind();
    driver(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize after " + after);
  }

  // ------------------------------------------------------------------ cuBLAS

  /** {@code cublas[SD]gemmStridedBatched} with the planned, column-major arguments. */
  @Override
  public void gemm(GemmPlan p, boolean f64, double alpha, Block first, long firstOff, Block second, long secondOff,
      double beta, Block result, long resultOff) {
    bind();
    int ta = p.transFirst() ? CUBLAS_OP_T : CUBLAS_OP_N;
    int tb = p.transSecond() ? CUBLAS_OP_T : CUBLAS_OP_N;
    Pointer a = at(first, firstOff);
    Pointer b = at(second, secondOff);
    Pointer c = at(result, resultOff);
    int st;
    if (f64) {
      st = JCublas2.cublasDgemmStridedBatched(cublas, ta, tb, p.rows(), p.cols(), p.depth(),
          Pointer.to(new double[] {alpha}), a, p.ldFirst(), p.strideFirst(), b, p.ldSecond(), p.strideSecond(),
          Pointer.to(new double[] {beta}), c, p.ldResult(), p.strideResult(), p.batch());
    } else {
      st = JCublas2.cublasSgemmStridedBatched(cublas, ta, tb, p.rows(), p.cols(), p.depth(),
          Pointer.to(new float[] {(float) alpha}), a, p.ldFirst(), p.strideFirst(), b, p.ldSecond(), p.strideSecond(),
          Pointer.to(new float[] {(float) beta}), c, p.ldResult(), p.strideResult(), p.batch());
    }
    blas(st, "cublas" + (f64 ? "D" : "S") + "gemmStridedBatched(" + p + ")");
  }

  // ------------------------------------------------------------------ cuDNN

  private static Pointer scale(boolean f64, double v) {
    return f64 ? Pointer.to(new double[] {v}) : Pointer.to(new float[] {(float) v});
  }

  private static cudnnTensorDescriptor tensor(boolean f64, int[] dims) {
    cudnnTensorDescriptor d = new cudnnTensorDescriptor();
    dnn(JCudnn.cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor");
    dnn(JCudnn.cudnnSetTensorNdDescriptor(d, f64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT, dims.length, dims,
        ConvPlan.packedStrides(dims)), "cudnnSetTensorNdDescriptor(" + java.util.Arrays.toString(dims) + ")");
    return d;
  }

  /** The descriptors of one convolution, destroyed together. */
  private static final class ConvDescs implements AutoCloseable {
    final cudnnTensorDescriptor x;
    final cudnnTensorDescriptor y;
    final cudnnFilterDescriptor w = new cudnnFilterDescriptor();
    final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();

    ConvDescs(ConvPlan p, boolean f64, int mathType) {
      x = tensor(f64, p.xDims());
      y = tensor(f64, p.yDims());
      int type = f64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
      dnn(JCudnn.cudnnCreateFilterDescriptor(w), "cudnnCreateFilterDescriptor");
      dnn(JCudnn.cudnnSetFilterNdDescriptor(w, type, CUDNN_TENSOR_NCHW, p.wDims().length, p.wDims()),
          "cudnnSetFilterNdDescriptor");
      dnn(JCudnn.cudnnCreateConvolutionDescriptor(conv), "cudnnCreateConvolutionDescriptor");
      dnn(JCudnn.cudnnSetConvolutionNdDescriptor(conv, p.convDims(), p.pad(), p.stride(), p.dilation(),
          CUDNN_CROSS_CORRELATION, type), "cudnnSetConvolutionNdDescriptor(" + p + ")");
      dnn(JCudnn.cudnnSetConvolutionGroupCount(conv, p.groups()), "cudnnSetConvolutionGroupCount");
      dnn(JCudnn.cudnnSetConvolutionMathType(conv, mathType), "cudnnSetConvolutionMathType");
    }

    @Override
    public void close() {
      JCudnn.cudnnDestroyConvolutionDescriptor(conv);
      JCudnn.cudnnDestroyFilterDescriptor(w);
      JCudnn.cudnnDestroyTensorDescriptor(x);
      JCudnn.cudnnDestroyTensorDescriptor(y);
    }
  }

  /** FMA-only math unless TF32 is allowed and the data is F32. */
  private int mathType(boolean f64) {
    return tf32 && !f64 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH;
  }


  /**
   * Runs a convolution direction: {@code FORWARD} y = conv(in1 = x, in2 = w); {@code BACKWARD_DATA}
   * dx = conv_t(in1 = w, in2 = dy); {@code BACKWARD_FILTER} dw = corr(in1 = x, in2 = dy). The
   * algorithms are ranked once per shape (cuDNN's heuristics; deterministic ones first unless
   * {@code jdnn.cuda.deterministic=false}) and cached; each call takes the first that cuDNN accepts,
   * with its workspace (asked of cuDNN for that algorithm and math type) from the allocator.
   */
  @Override
  public void convolution(ConvDirection dir, ConvPlan p, boolean f64, Block in1, long in1Off, Block in2, long in2Off,
      Block out, long outOff, DeviceAllocator allocator) {
    bind();
    String key = dir + " " + p.key(f64 ? "F64" : "F32", tf32 && !f64);
    try (ConvDescs d = new ConvDescs(p, f64, mathType(f64))) {
      List<Algo> algos;
      synchronized (algorithms) {
        algos = algorithms.computeIfAbsent(key, k -> rank(dir, d));
      }
      if (algos.isEmpty()) throw new CudaException("cuDNN offers no " + dir + " algorithm for " + p, 0);
      int lastStatus = 0;
      String tried = "";
      for (Algo a : algos) {
        if (tf32 && !f64) dnn(JCudnn.cudnnSetConvolutionMathType(d.conv, a.mathType()), "cudnnSetConvolutionMathType");
        long[] wsBytes = {0};
        int q;
        switch (dir) {
          case FORWARD:
            q = JCudnn.cudnnGetConvolutionForwardWorkspaceSize(cudnn, d.x, d.w, d.conv, d.y, a.algo(), wsBytes);
            break;
          case BACKWARD_DATA:
            q = JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(cudnn, d.w, d.y, d.conv, d.x, a.algo(), wsBytes);
            break;
          default:
            q = JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnn, d.x, d.y, d.conv, d.w, a.algo(), wsBytes);
        }
        if (q != 0) {
          lastStatus = q;
          tried += " algo " + a.algo() + ": workspace query " + JCudnn.cudnnGetErrorString(q) + ";";
          continue;
        }
        long wsSize = Math.max(wsBytes[0], a.memory());
        Block ws = wsSize > 0 ? allocator.allocate(wsSize) : null;
        try {
          Pointer wsp = ws == null ? new Pointer() : at(ws, 0);
          Pointer one = scale(f64, 1);
          Pointer zero = scale(f64, 0);
          int st;
          switch (dir) {
            case FORWARD:
              st = JCudnn.cudnnConvolutionForward(cudnn, one, d.x, at(in1, in1Off), d.w, at(in2, in2Off), d.conv,
                  a.algo(), wsp, wsSize, zero, d.y, at(out, outOff));
              break;
            case BACKWARD_DATA:
              st = JCudnn.cudnnConvolutionBackwardData(cudnn, one, d.w, at(in1, in1Off), d.y, at(in2, in2Off),
                  d.conv, a.algo(), wsp, wsSize, zero, d.x, at(out, outOff));
              break;
            default:
              st = JCudnn.cudnnConvolutionBackwardFilter(cudnn, one, d.x, at(in1, in1Off), d.y, at(in2, in2Off),
                  d.conv, a.algo(), wsp, wsSize, zero, d.w, at(out, outOff));
          }
          if (st == 0) {
            chosen.put(key, "algo " + a.algo() + " math " + a.mathType() + " workspace " + wsSize
                + (a.deterministic() ? " deterministic" : ""));
            return;
          }
          lastStatus = st;
          tried += " algo " + a.algo() + ": " + JCudnn.cudnnGetErrorString(st) + ";";
        } finally {
          if (ws != null) allocator.release(ws);
        }
      }
      throw new CudaException("cuDNN convolution " + dir + " failed for " + p + " with every algorithm it ranked:"
          + tried, lastStatus);
    }
  }

  private List<Algo> rank(ConvDirection dir, ConvDescs d) {
    int[] max = {0};
    int[] returned = {0};
    List<Algo> out = new ArrayList<>();
    switch (dir) {
      case FORWARD: {
        dnn(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(cudnn, max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[max[0]];
        for (int i = 0; i < perf.length; i++) perf[i] = new cudnnConvolutionFwdAlgoPerf();
        dnn(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(cudnn, d.x, d.w, d.conv, d.y, max[0], returned, perf),
            "cudnnGetConvolutionForwardAlgorithm_v7");
        for (int i = 0; i < returned[0]; i++) {
          if (perf[i].status == 0) out.add(new Algo(perf[i].algo, perf[i].mathType, perf[i].memory,
              perf[i].determinism == CUDNN_DETERMINISTIC));
        }
        break;
      }
      case BACKWARD_DATA: {
        dnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(cudnn, max),
            "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
        cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[max[0]];
        for (int i = 0; i < perf.length; i++) perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
        dnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnn, d.w, d.y, d.conv, d.x, max[0], returned, perf),
            "cudnnGetConvolutionBackwardDataAlgorithm_v7");
        for (int i = 0; i < returned[0]; i++) {
          if (perf[i].status == 0) out.add(new Algo(perf[i].algo, perf[i].mathType, perf[i].memory,
              perf[i].determinism == CUDNN_DETERMINISTIC));
        }
        break;
      }
      default: {
        dnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(cudnn, max),
            "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
        cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[max[0]];
        for (int i = 0; i < perf.length; i++) perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
        dnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnn, d.x, d.y, d.conv, d.w, max[0], returned,
            perf), "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
        for (int i = 0; i < returned[0]; i++) {
          if (perf[i].status == 0) out.add(new Algo(perf[i].algo, perf[i].mathType, perf[i].memory,
              perf[i].determinism == CUDNN_DETERMINISTIC));
        }
      }
    }
    if (!tf32) out.removeIf(a -> a.mathType() == 1 || a.mathType() == 2); // tensor-op math would be TF32
    // Deterministic algorithms first (reproducible training), cuDNN's ranking otherwise kept.
    if (deterministic) out.sort(Comparator.comparing((Algo a) -> !a.deterministic()));
    return out;
  }

  /** cudnnPoolingForward/Backward (backward when {@code dy} is given) with the plan's descriptor. */
  @Override
  public void pooling(PoolPlan p, boolean f64, Block x, long xOff, Block y, long yOff, Block dy, long dyOff,
      Block dx, long dxOff) {
    bind();
    cudnnPoolingDescriptor pd = poolingDescriptor(p);
    cudnnTensorDescriptor xd = tensor(f64, p.xDims());
    cudnnTensorDescriptor yd = tensor(f64, p.yDims());
    try {
      if (dy == null) {
        dnn(JCudnn.cudnnPoolingForward(cudnn, pd, scale(f64, 1), xd, at(x, xOff), scale(f64, 0), yd, at(y, yOff)),
            "cudnnPoolingForward");
      } else {
        dnn(JCudnn.cudnnPoolingBackward(cudnn, pd, scale(f64, 1), yd, at(y, yOff), yd, at(dy, dyOff), xd,
            at(x, xOff), scale(f64, 0), xd, at(dx, dxOff)), "cudnnPoolingBackward");
      }
    } finally {
      JCudnn.cudnnDestroyPoolingDescriptor(pd);
      JCudnn.cudnnDestroyTensorDescriptor(xd);
      JCudnn.cudnnDestroyTensorDescriptor(yd);
    }
  }

  private static cudnnPoolingDescriptor poolingDescriptor(PoolPlan p) {
    cudnnPoolingDescriptor pd = new cudnnPoolingDescriptor();
    dnn(JCudnn.cudnnCreatePoolingDescriptor(pd), "cudnnCreatePoolingDescriptor");
    dnn(JCudnn.cudnnSetPoolingNdDescriptor(pd, p.cudnnMode(), CUDNN_PROPAGATE_NAN, p.window().length, p.window(),
        p.padding(), p.stride()), "cudnnSetPoolingNdDescriptor");
    return pd;
  }

  // ------------------------------------------------------------------ descriptor checks without a GPU

  /**
   * The output dimensions cuDNN computes for the convolution descriptors jdnn builds from
   * {@code p}. Descriptor calls run on the host, so this needs cuDNN loaded but no GPU: it checks
   * on any machine with the libraries that cuDNN accepts the descriptors and agrees on the shape.
   */
  public static int[] convOutputDims(ConvPlan p, boolean f64) {
    try (ConvDescs d = new ConvDescs(p, f64, CUDNN_FMA_MATH)) {
      int[] out = new int[p.xDims().length];
      dnn(JCudnn.cudnnGetConvolutionNdForwardOutputDim(d.conv, d.x, d.w, out.length, out),
          "cudnnGetConvolutionNdForwardOutputDim(" + p + ")");
      return out;
    }
  }

  /** As {@link #convOutputDims}, for the pooling descriptor of a plan cuDNN is to compute. */
  public static int[] poolOutputDims(PoolPlan p, boolean f64) {
    cudnnPoolingDescriptor pd = poolingDescriptor(p);
    cudnnTensorDescriptor xd = tensor(f64, p.xDims());
    try {
      int[] out = new int[p.xDims().length];
      dnn(JCudnn.cudnnGetPoolingNdForwardOutputDim(pd, xd, out.length, out), "cudnnGetPoolingNdForwardOutputDim");
      return out;
    } finally {
      JCudnn.cudnnDestroyPoolingDescriptor(pd);
      JCudnn.cudnnDestroyTensorDescriptor(xd);
    }
  }

  /**
   * cudnnActivationForward/Backward over {@code n} elements seen as a {@code (1, 1, 1, n)} tensor
   * ({@code n} below 2^31, checked by the caller). Mode: cudnnActivationMode_t (0 sigmoid, 1 relu, 2 tanh).
   */
  @Override
  public void activation(int mode, boolean f64, int n, Block x, long xOff, Block y, long yOff, Block dy, long dyOff,
      Block dx, long dxOff) {
    bind();
    cudnnActivationDescriptor ad = new cudnnActivationDescriptor();
    cudnnTensorDescriptor td = tensor(f64, new int[] {1, 1, 1, n});
    try {
      dnn(JCudnn.cudnnCreateActivationDescriptor(ad), "cudnnCreateActivationDescriptor");
      dnn(JCudnn.cudnnSetActivationDescriptor(ad, mode, CUDNN_PROPAGATE_NAN, 0.0), "cudnnSetActivationDescriptor");
      if (dy == null) {
        dnn(JCudnn.cudnnActivationForward(cudnn, ad, scale(f64, 1), td, at(x, xOff), scale(f64, 0), td, at(y, yOff)),
            "cudnnActivationForward");
      } else {
        dnn(JCudnn.cudnnActivationBackward(cudnn, ad, scale(f64, 1), td, at(y, yOff), td, at(dy, dyOff), td,
            at(x, xOff), scale(f64, 0), td, at(dx, dxOff)), "cudnnActivationBackward");
      }
    } finally {
      JCudnn.cudnnDestroyActivationDescriptor(ad);
      JCudnn.cudnnDestroyTensorDescriptor(td);
    }
  }

  /** cudnnSoftmaxForward (dy == null) or cudnnSoftmaxBackward with the plan's 4-d view. */
  @Override
  public void softmax(SoftmaxPlan p, boolean log, boolean f64, Block x, long xOff, Block y, long yOff, Block dy,
      long dyOff, Block dx, long dxOff) {
    bind();
    cudnnTensorDescriptor td = tensor(f64, p.dims());
    try {
      int algo = SoftmaxPlan.algorithm(log);
      if (dy == null) {
        dnn(JCudnn.cudnnSoftmaxForward(cudnn, algo, 1, scale(f64, 1), td, at(x, xOff), scale(f64, 0), td,
            at(y, yOff)), "cudnnSoftmaxForward");
      } else {
        dnn(JCudnn.cudnnSoftmaxBackward(cudnn, algo, 1, scale(f64, 1), td, at(y, yOff), td, at(dy, dyOff),
            scale(f64, 0), td, at(dx, dxOff)), "cudnnSoftmaxBackward");
      }
    } finally {
      JCudnn.cudnnDestroyTensorDescriptor(td);
    }
  }

  // ------------------------------------------------------------------ batch norm and LRN

  private static Pointer at(Operand o) {
    return at(o.block(), o.off());
  }

  /** The per-channel descriptor cuDNN derives for spatial batch norm over {@code xd}. */
  private static cudnnTensorDescriptor batchNormParams(cudnnTensorDescriptor xd) {
    cudnnTensorDescriptor pd = new cudnnTensorDescriptor();
    dnn(JCudnn.cudnnCreateTensorDescriptor(pd), "cudnnCreateTensorDescriptor");
    dnn(JCudnn.cudnnDeriveBNTensorDescriptor(pd, xd, BatchNormPlan.CUDNN_BATCHNORM_SPATIAL),
        "cudnnDeriveBNTensorDescriptor");
    return pd;
  }

  /**
   * cudnnBatchNormalizationForwardTraining, spatial mode: exponential-average factor 0 and no
   * running buffers (core updates the running statistics), the batch mean and inverse standard
   * deviation saved into {@code mean} and {@code invStd}.
   */
  @Override
  public void batchNormTraining(BatchNormPlan p, boolean f64, Operand x, Operand weight, Operand bias, Operand y,
      Operand mean, Operand invStd) {
    bind();
    cudnnTensorDescriptor xd = tensor(f64, p.xDims());
    cudnnTensorDescriptor pd = batchNormParams(xd);
    try {
      dnn(JCudnn.cudnnBatchNormalizationForwardTraining(cudnn, BatchNormPlan.CUDNN_BATCHNORM_SPATIAL, scale(f64, 1),
          scale(f64, 0), xd, at(x), xd, at(y), pd, at(weight), at(bias), 0.0, new Pointer(), new Pointer(), p.eps(),
          at(mean), at(invStd)), "cudnnBatchNormalizationForwardTraining(" + java.util.Arrays.toString(p.xDims())
          + ", eps " + p.eps() + ")");
    } finally {
      JCudnn.cudnnDestroyTensorDescriptor(pd);
      JCudnn.cudnnDestroyTensorDescriptor(xd);
    }
  }

  @Override
  public void batchNormInference(BatchNormPlan p, boolean f64, Operand x, Operand weight, Operand bias,
      Operand runningMean, Operand runningVar, Operand y) {
    bind();
    cudnnTensorDescriptor xd = tensor(f64, p.xDims());
    cudnnTensorDescriptor pd = batchNormParams(xd);
    try {
      dnn(JCudnn.cudnnBatchNormalizationForwardInference(cudnn, BatchNormPlan.CUDNN_BATCHNORM_SPATIAL, scale(f64, 1),
          scale(f64, 0), xd, at(x), xd, at(y), pd, at(weight), at(bias), at(runningMean), at(runningVar), p.eps()),
          "cudnnBatchNormalizationForwardInference(" + java.util.Arrays.toString(p.xDims()) + ")");
    } finally {
      JCudnn.cudnnDestroyTensorDescriptor(pd);
      JCudnn.cudnnDestroyTensorDescriptor(xd);
    }
  }

  /** cudnnBatchNormalizationBackward from the saved statistics; dx, dWeight and dBias overwritten (betas 0). */
  @Override
  public void batchNormBackward(BatchNormPlan p, boolean f64, Operand x, Operand weight, Operand dy, Operand mean,
      Operand invStd, Operand dx, Operand dWeight, Operand dBias) {
    bind();
    cudnnTensorDescriptor xd = tensor(f64, p.xDims());
    cudnnTensorDescriptor pd = batchNormParams(xd);
    try {
      dnn(JCudnn.cudnnBatchNormalizationBackward(cudnn, BatchNormPlan.CUDNN_BATCHNORM_SPATIAL, scale(f64, 1),
          scale(f64, 0), scale(f64, 1), scale(f64, 0), xd, at(x), xd, at(dy), xd, at(dx), pd, at(weight), at(dWeight),
          at(dBias), p.eps(), at(mean), at(invStd)),
          "cudnnBatchNormalizationBackward(" + java.util.Arrays.toString(p.xDims()) + ")");
    } finally {
      JCudnn.cudnnDestroyTensorDescriptor(pd);
      JCudnn.cudnnDestroyTensorDescriptor(xd);
    }
  }

  private static cudnnLRNDescriptor lrnDescriptor(LrnPlan p) {
    cudnnLRNDescriptor d = new cudnnLRNDescriptor();
    dnn(JCudnn.cudnnCreateLRNDescriptor(d), "cudnnCreateLRNDescriptor");
    dnn(JCudnn.cudnnSetLRNDescriptor(d, p.size(), p.alpha(), p.beta(), p.k()), "cudnnSetLRNDescriptor(n " + p.size()
        + ", alpha " + p.alpha() + ", beta " + p.beta() + ", k " + p.k() + ")");
    return d;
  }

  /** cudnnLRNCrossChannelForward ({@code dy == null}) or Backward, CUDNN_LRN_CROSS_CHANNEL_DIM1. */
  @Override
  public void lrn(LrnPlan p, boolean f64, Operand x, Operand y, Operand dy, Operand dx) {
    bind();
    cudnnLRNDescriptor ld = lrnDescriptor(p);
    cudnnTensorDescriptor td = tensor(f64, p.dims());
    try {
      if (dy == null) {
        dnn(JCudnn.cudnnLRNCrossChannelForward(cudnn, ld, LrnPlan.CUDNN_LRN_CROSS_CHANNEL_DIM1, scale(f64, 1), td,
            at(x), scale(f64, 0), td, at(y)), "cudnnLRNCrossChannelForward");
      } else {
        dnn(JCudnn.cudnnLRNCrossChannelBackward(cudnn, ld, LrnPlan.CUDNN_LRN_CROSS_CHANNEL_DIM1, scale(f64, 1), td,
            at(y), td, at(dy), td, at(x), scale(f64, 0), td, at(dx)), "cudnnLRNCrossChannelBackward");
      }
    } finally {
      JCudnn.cudnnDestroyLRNDescriptor(ld);
      JCudnn.cudnnDestroyTensorDescriptor(td);
    }
  }

  /**
   * The per-channel dimensions cuDNN derives for a batch-norm plan (host-side descriptor calls:
   * no GPU needed), for checking {@link BatchNormPlan#paramDims()} against real cuDNN.
   */
  public static int[] batchNormParamDims(BatchNormPlan p, boolean f64) {
    cudnnTensorDescriptor xd = tensor(f64, p.xDims());
    cudnnTensorDescriptor pd = batchNormParams(xd);
    try {
      int[] type = {0};
      int[] nb = {0};
      int[] dims = new int[p.xDims().length];
      int[] strides = new int[p.xDims().length];
      dnn(JCudnn.cudnnGetTensorNdDescriptor(pd, dims.length, type, nb, dims, strides), "cudnnGetTensorNdDescriptor");
      if (type[0] != (f64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT)) {
        throw new IllegalStateException("cuDNN derived data type " + type[0] + " for the batch-norm parameters");
      }
      return java.util.Arrays.copyOf(dims, nb[0]);
    } finally {
      JCudnn.cudnnDestroyTensorDescriptor(pd);
      JCudnn.cudnnDestroyTensorDescriptor(xd);
    }
  }

  /** The LRN descriptor as cuDNN stores it ({n, alpha, beta, k}), for checking an {@link LrnPlan} without a GPU. */
  public static double[] lrnDescriptorValues(LrnPlan p) {
    cudnnLRNDescriptor d = lrnDescriptor(p);
    try {
      int[] n = {0};
      double[] alpha = {0};
      double[] beta = {0};
      double[] k = {0};
      dnn(JCudnn.cudnnGetLRNDescriptor(d, n, alpha, beta, k), "cudnnGetLRNDescriptor");
      return new double[] {n[0], alpha[0], beta[0], k[0]};
    } finally {
      JCudnn.cudnnDestroyLRNDescriptor(d);
    }
  }

  // ------------------------------------------------------------------ status checks

  static void runtime(int err, String call) {
    if (err != 0) {
      throw new CudaException(call + " failed: " + err + " (" + jcuda.runtime.cudaError.stringFor(err) + ": "
          + JCuda.cudaGetErrorString(err) + ")", err);
    }
  }

  static void driver(int err, String call) {
    if (err != 0) throw new CudaException(call + " failed: " + err + " (" + CUresult.stringFor(err) + ")", err);
  }

  static void blas(int st, String call) {
    if (st != 0) throw new CudaException(call + " failed: " + st + " (" + cublasStatus.stringFor(st) + ")", st);
  }

  static void dnn(int st, String call) {
    if (st != 0) throw new CudaException(call + " failed: " + st + " (" + JCudnn.cudnnGetErrorString(st) + ")", st);
  }
}

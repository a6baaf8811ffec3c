package org.jdnn.cuda;

import java.util.Map;
import org.jdnn.cuda.DeviceAllocator.Block;

/**
 * What {@link CudaBackend} asks of a GPU, in Java types: memory, copies, kernel launches, and the
 * cuBLAS and cuDNN calls with their planned arguments. {@code org.jdnn.cuda.jni.CudaDevice} is the
 * real one; tests put a fake behind the backend to check everything it does before a native call
 * (validation, staging, the arguments each launch passes against the PTX's parameter list).
 *
 * <p>A device address is a {@link Block} plus a byte offset inside it.
 */
public interface Gpu {
  DeviceAllocator.DeviceMemory memory();

  void copyToDevice(Object array, long arrayByteOffset, Block dst, long dstByteOffset, long bytes);

  void copyToHost(Block src, long srcByteOffset, Object array, long arrayByteOffset, long bytes);

  void copyOnDevice(Block src, long srcByteOffset, Block dst, long dstByteOffset, long bytes);

  /**
   * Launches {@code kernel} on {@code blocks} x {@code threads}. Arguments in the kernel's order:
   * {@link Integer} (int), {@link Long} (64-bit integer or device address), {@link Double},
   * {@link Byte} (unsigned char), {@code int[]} or {@code long[]} (a struct passed by value).
   */
  void launch(String kernel, int blocks, int threads, Object... args);

  /** Waits for everything queued; reports an asynchronous error naming {@code after}. */
  void synchronize(String after);

  void gemm(GemmPlan p, boolean f64, double alpha, Block first, long firstOff, Block second, long secondOff,
      double beta, Block result, long resultOff);

  /** One direction of a convolution; see {@link ConvDirection} for the operands. */
  void convolution(ConvDirection dir, ConvPlan p, boolean f64, Block in1, long in1Off, Block in2, long in2Off,
      Block out, long outOff, DeviceAllocator allocator);

  /** Pooling forward ({@code dy == null}) or backward. */
  void pooling(PoolPlan p, boolean f64, Block x, long xOff, Block y, long yOff, Block dy, long dyOff, Block dx,
      long dxOff);

  /** Activation forward ({@code dy == null}) or backward over {@code n} elements (cudnnActivationMode_t). */
  void activation(int mode, boolean f64, int n, Block x, long xOff, Block y, long yOff, Block dy, long dyOff,
      Block dx, long dxOff);

  /** Softmax forward ({@code dy == null}, from x) or backward (from y and dy). */
  void softmax(SoftmaxPlan p, boolean log, boolean f64, Block x, long xOff, Block y, long yOff, Block dy, long dyOff,
      Block dx, long dxOff);

  /** A device operand: a block and a byte offset into it. */
  record Operand(Block block, long off) {}

  /**
   * cuDNN batch norm in training mode (spatial): y, and the batch mean and inverse standard
   * deviation saved in {@code mean} and {@code invStd}; no running statistics.
   */
  void batchNormTraining(BatchNormPlan p, boolean f64, Operand x, Operand weight, Operand bias, Operand y,
      Operand mean, Operand invStd);

  /** cuDNN batch norm in inference mode with the given running statistics. */
  void batchNormInference(BatchNormPlan p, boolean f64, Operand x, Operand weight, Operand bias, Operand runningMean,
      Operand runningVar, Operand y);

  /** cuDNN batch norm's backward from the saved mean and inverse standard deviation. */
  void batchNormBackward(BatchNormPlan p, boolean f64, Operand x, Operand weight, Operand dy, Operand mean,
      Operand invStd, Operand dx, Operand dWeight, Operand dBias);

  /** cuDNN cross-channel LRN forward ({@code dy == null}: y from x) or backward (dx from x, y and dy). */
  void lrn(LrnPlan p, boolean f64, Operand x, Operand y, Operand dy, Operand dx);

  /** Which convolution algorithm was chosen, per shape. */
  Map<String, String> chosenAlgorithms();

  /** The device address of a byte inside a block: a kernel argument. */
  static long address(Block b, long byteOffset) {
    return b.address + byteOffset;
  }
}

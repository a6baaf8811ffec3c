package org.jdnn.spi;

import java.util.EnumSet;
import java.util.Set;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Device;
import org.jdnn.tensor.Tensor;

/**
 * The small, closed set of coarse primitives every device implements, in cuDNN's vocabulary.
 *
 * <p>Contract: {@code core} has validated every shape, dtype and device before a call, and passes
 * already-allocated, contiguous outputs of the right shape. A backend never re-derives a shape; it
 * reads the descriptor (for example {@link ConvGeometry}) and the tensors' offsets into their
 * storages. Outputs are overwritten unless the method says it accumulates. All floating-point
 * primitives accept F32; a backend may also accept F64 (the CPU backends do, for gradient checks).
 *
 * <p>Beyond {@link Capability#CORE}, groups of primitives are optional: a backend declares the
 * groups it implements in {@link #capabilities()}, and the default methods of the others throw
 * {@link UnsupportedOperationException} naming the backend and the group.
 *
 * <p>Composites are built in {@code core} from these: linear layers from {@link #gemm}, bias from
 * broadcasting {@link #binary}, bias gradients from {@link #reduce}, global pooling from
 * {@link #pool} over the whole map, cross-entropy from {@link #softmax} and {@link #oneHot}.
 */
public interface Backend {
  /** The device this backend computes on. */
  Device device();

  /** A short name for logs and reports, e.g. {@code cpu (4 threads)} or {@code cuda:0 H100}. */
  String description();

  /** The groups of primitives this backend implements; at least {@link Capability#CORE}. */
  default Set<Capability> capabilities() {
    return EnumSet.of(Capability.CORE);
  }

  // ---- memory ----

  Storage allocate(DType dtype, long length);

  /** Copies {@code dst.numel()} elements from a Java array of dst's dtype, starting at {@code srcOffset}. */
  void copyFromHost(Object src, int srcOffset, Tensor dst);

  /** Copies all of {@code src} into a Java array of its dtype, starting at {@code dstOffset}. */
  void copyToHost(Tensor src, Object dst, int dstOffset);

  /** {@code dst = src}, same shape; when the dtypes differ, converts (float to int truncates toward zero). */
  void copy(Tensor src, Tensor dst);

  void fill(Tensor dst, double value);

  /** Uniform in {@code [low, high)}, a pure function of {@code seed} and the element index. */
  void randomUniform(Tensor dst, double low, double high, long seed);

  void randomNormal(Tensor dst, double mean, double std, long seed);

  /** 1 with probability {@code p}, else 0. */
  void randomBernoulli(Tensor dst, double p, long seed);

  // ---- matrix products ----

  /**
   * {@code c = alpha * op(a) @ op(b) + beta * c}. Rank 2 operands, or rank 3 for a batch of
   * products over the leading axis (a or b may then be rank 2 and shared by every batch entry).
   */
  void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c);

  // ---- convolution ----

  /** {@code y = conv(x, w)} without bias; shapes as in {@code g}. */
  void convForward(ConvGeometry g, Tensor x, Tensor w, Tensor y);

  /** {@code dx = conv_transpose(dy, w)}: the gradient with respect to the input. */
  void convBackwardData(ConvGeometry g, Tensor w, Tensor dy, Tensor dx);

  /** {@code dw = correlation of x with dy}: the gradient with respect to the weight. */
  void convBackwardFilter(ConvGeometry g, Tensor x, Tensor dy, Tensor dw);

  // ---- pooling ----

  void pool(PoolGeometry g, Tensor x, Tensor y);

  /**
   * {@code dx} from {@code dy}. Max pooling routes each gradient to the first maximum of its window
   * in {@code x} (as PyTorch does); {@code y} is the forward output.
   */
  void poolBackward(PoolGeometry g, Tensor x, Tensor y, Tensor dy, Tensor dx);

  // ---- activations and softmax ----

  void activation(Activation a, Tensor x, Tensor y);

  void activationBackward(Activation a, Tensor x, Tensor y, Tensor dy, Tensor dx);

  /**
   * Softmax (or log-softmax) along {@code axis}; the tensor is seen as {@code (outer, axis, inner)}.
   */
  void softmax(boolean log, int axis, Tensor x, Tensor y);

  /** Gradient of {@link #softmax} from its output {@code y}. */
  void softmaxBackward(boolean log, int axis, Tensor y, Tensor dy, Tensor dx);

  // ---- element-wise and reductions ----

  void unary(UnaryOp op, Tensor x, Tensor y);

  /** {@code out = a op b} with NumPy broadcasting; {@code out} has the broadcast shape and may be {@code a}. */
  void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

  /** {@code out = a op s}; {@code out} may be {@code a}. */
  void binaryScalar(BinaryOp op, Tensor a, double s, Tensor out);

  /**
   * Reduces {@code x} over {@code axes}; {@code out} has x's rank with those axes of size 1. The
   * SUM and MEAN of F32 accumulate in double.
   */
  void reduce(ReduceOp op, Tensor x, int[] axes, Tensor out);

  /** Index (I64) of the first maximum along {@code axis}; {@code out} has that axis removed. */
  void argmax(Tensor x, int axis, Tensor out);

  /**
   * {@code out[..., k] = (labels[...] == k) ? 1 : 0} for integer labels, {@code out} of shape
   * {@code labels.shape + (classes)}. Labels outside {@code [0, classes)} give a zero row; core
   * checks the range first.
   */
  void oneHot(Tensor labels, Tensor out);

  // ---- data movement (Capability.DATA_MOVEMENT) ----

  /** {@code y = x.permute(axes)}: {@code y.shape[i] = x.shape[axes[i]]}. */
  default void permute(Tensor x, int[] axes, Tensor y) {
    throw unsupported("permute", Capability.DATA_MOVEMENT);
  }

  /** {@code y = x[..., start : start + y.dim(axis), ...]} along {@code axis}. */
  default void narrow(Tensor x, int axis, int start, Tensor y) {
    throw unsupported("narrow", Capability.DATA_MOVEMENT);
  }

  /** {@code dst[..., start : start + src.dim(axis), ...] = src} along {@code axis}; the rest of dst is kept. */
  default void narrowAssign(Tensor src, int axis, int start, Tensor dst) {
    throw unsupported("narrowAssign", Capability.DATA_MOVEMENT);
  }

  /** {@code out = cond != 0 ? a : b} with broadcasting of all three; NaN in the unselected operand does not leak. */
  default void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
    throw unsupported("where", Capability.DATA_MOVEMENT);
  }

  // ---- padding (Capability.PADDING) ----

  /**
   * Pads the last {@code before.length} axes of {@code x}: axis {@code rank - k + i} gets
   * {@code before[i]} elements in front and {@code after[i]} behind, filled as {@code mode} says
   * ({@code value} for CONSTANT). Reflect needs {@code pad < size}, circular {@code pad <= size}
   * (checked in core).
   */
  default void pad(PadMode mode, int[] before, int[] after, double value, Tensor x, Tensor y) {
    throw unsupported("pad", Capability.PADDING);
  }

  /** Gradient of {@link #pad}: each element of {@code dy} added to the input element it was copied from. */
  default void padBackward(PadMode mode, int[] before, int[] after, Tensor dy, Tensor dx) {
    throw unsupported("padBackward", Capability.PADDING);
  }

  // ---- unpooling (Capability.UNPOOLING) ----

  /**
   * Max pooling that also writes, per output element, the index (I64) of the window's first
   * maximum within its {@code (n, c)} plane of the input, flattened over the spatial axes, as
   * PyTorch's {@code return_indices=True}.
   */
  default void maxPoolWithIndices(PoolGeometry g, Tensor x, Tensor y, Tensor indices) {
    throw unsupported("maxPoolWithIndices", Capability.UNPOOLING);
  }

  /**
   * {@code y} zero except {@code y[n, c].flat[indices[n, c, i]] = x[n, c, i]}; {@code indices} has
   * x's shape, each in {@code [0, plane of y)} (checked in core).
   */
  default void unpool(Tensor x, Tensor indices, Tensor y) {
    throw unsupported("unpool", Capability.UNPOOLING);
  }

  /** {@code dx[n, c, i] = dy[n, c].flat[indices[n, c, i]]}. */
  default void unpoolBackward(Tensor dy, Tensor indices, Tensor dx) {
    throw unsupported("unpoolBackward", Capability.UNPOOLING);
  }

  // ---- adaptive pooling (Capability.ADAPTIVE_POOLING) ----

  /**
   * Adaptive pooling of {@code x (N, C, *in)} to {@code y (N, C, *out)}: output index {@code i}
   * covers input {@code [floor(i*in/out), ceil((i+1)*in/out))} on each axis, as PyTorch.
   */
  default void adaptivePool(boolean max, Tensor x, Tensor y) {
    throw unsupported("adaptivePool", Capability.ADAPTIVE_POOLING);
  }

  /** Gradient of {@link #adaptivePool}; max routes to the first maximum of each window. */
  default void adaptivePoolBackward(boolean max, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    throw unsupported("adaptivePoolBackward", Capability.ADAPTIVE_POOLING);
  }

  // ---- upsampling (Capability.UPSAMPLING) ----

  /**
   * Resizes the spatial axes of {@code x (N, C, *in)} to {@code y (N, C, *out)}. NEAREST takes
   * {@code floor(o * in / out)}; LINEAR interpolates each axis with PyTorch's source coordinate
   * ({@code alignCorners}: {@code o * (in-1)/(out-1)}; else {@code (o + 0.5) * in/out - 0.5}, clamped at 0).
   */
  default void upsample(UpsampleMode mode, boolean alignCorners, Tensor x, Tensor y) {
    throw unsupported("upsample", Capability.UPSAMPLING);
  }

  /** Gradient of {@link #upsample}: each {@code dy} element spread back with the forward's weights. */
  default void upsampleBackward(UpsampleMode mode, boolean alignCorners, Tensor dy, Tensor dx) {
    throw unsupported("upsampleBackward", Capability.UPSAMPLING);
  }

  // ---- batch normalisation (Capability.BATCH_NORM) ----

  /**
   * Training-mode batch norm over {@code x (N, C, *)}: per channel the batch mean and the biased
   * variance, {@code y = (x - mean) * invStd * weight + bias} with {@code invStd = 1/sqrt(var + eps)};
   * writes {@code batchMean} and {@code batchInvStd} (each {@code (C)}) for the backward and for the
   * running statistics, which core updates.
   */
  default void batchNormTraining(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor batchMean,
      Tensor batchInvStd) {
    throw unsupported("batchNormTraining", Capability.BATCH_NORM);
  }

  /** Inference-mode batch norm with the running statistics: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}. */
  default void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
      double eps, Tensor y) {
    throw unsupported("batchNormInference", Capability.BATCH_NORM);
  }

  /** Gradients of {@link #batchNormTraining} with respect to x, weight and bias. */
  default void batchNormBackward(Tensor x, Tensor weight, Tensor dy, Tensor batchMean, Tensor batchInvStd, Tensor dx,
      Tensor dWeight, Tensor dBias) {
    throw unsupported("batchNormBackward", Capability.BATCH_NORM);
  }

  // ---- local response normalisation (Capability.LRN) ----

  /**
   * Across-channel LRN of {@code x (N, C, *)}, as {@code torch.nn.LocalResponseNorm}:
   * {@code y_c = x_c / (k + alpha/size * sum_{c' in window(c)} x_c'^2)^beta}, the window running
   * from {@code c - size/2} to {@code c + (size-1)/2}, clipped to the channels.
   */
  default void lrn(int size, double alpha, double beta, double k, Tensor x, Tensor y) {
    throw unsupported("lrn", Capability.LRN);
  }

  default void lrnBackward(int size, double alpha, double beta, double k, Tensor x, Tensor y, Tensor dy, Tensor dx) {
    throw unsupported("lrnBackward", Capability.LRN);
  }

  /** The exception a missing optional primitive throws. */
  private UnsupportedOperationException unsupported(String op, Capability group) {
    return new UnsupportedOperationException(op + " is not implemented by the " + description()
        + " backend (it lacks capability " + group + ")");
  }
}

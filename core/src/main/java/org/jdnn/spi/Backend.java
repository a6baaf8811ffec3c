package org.jdnn.spi;

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
 * <p>Composites are built in {@code core} from these: linear layers from {@link #gemm}, bias from
 * broadcasting {@link #binary}, bias gradients from {@link #reduce}, global pooling from
 * {@link #pool} over the whole map, cross-entropy from {@link #softmax} and {@link #oneHot}.
 */
public interface Backend {
  /** The device this backend computes on. */
  Device device();

  /** A short name for logs and reports, e.g. {@code cpu (4 threads)} or {@code cuda:0 H100}. */
  String description();

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
}

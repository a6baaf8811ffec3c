package org.jdnn.spi;

/**
 * Groups of SPI primitives a backend may or may not implement. A backend declares what it has
 * ({@link Backend#capabilities()}); the conformance suite prints what a backend lacks instead of
 * skipping quietly, and ops fail with the backend's name and the missing group.
 */
public enum Capability {
  /**
   * Memory, gemm, convolution, pooling, ReLU/sigmoid/tanh, softmax, element-wise arithmetic and
   * comparisons, reductions, one-hot.
   */
  CORE,
  /** Activations beyond ReLU, sigmoid and tanh (leaky ReLU, ELU, SELU, ReLU6, softplus, softsign, hardtanh, GELU). */
  EXTENDED_ACTIVATIONS,
  /** {@code permute}, {@code narrow}, {@code narrowAssign}, {@code where}. */
  DATA_MOVEMENT,
  /** {@code pad} and its backward: constant, reflect, replicate, circular. */
  PADDING,
  /** Max-pooling indices and {@code unpool}. */
  UNPOOLING,
  /** Adaptive average and max pooling. */
  ADAPTIVE_POOLING,
  /** Nearest and (bi/tri)linear upsampling. */
  UPSAMPLING,
  /** Batch normalisation: training, inference, backward. */
  BATCH_NORM,
  /** Local response normalisation across channels. */
  LRN
}

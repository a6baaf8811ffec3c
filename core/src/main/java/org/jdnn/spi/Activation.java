package org.jdnn.spi;

/**
 * Point-wise activations as the SPI sees them (cuDNN's activation descriptor). Backward receives
 * both {@code x} and {@code y = f(x)}, so each backend uses whichever makes the derivative cheapest
 * (sigmoid and tanh from {@code y}, ReLU from {@code x}).
 */
public enum Activation {
  /** {@code max(0, x)}; derivative 0 at x = 0, as in PyTorch. */
  RELU,
  /** {@code 1 / (1 + exp(-x))}; {@code dy/dx = y (1 - y)}. */
  SIGMOID,
  /** {@code tanh(x)}; {@code dy/dx = 1 - y^2}. */
  TANH
}

package org.jdnn.spi;

/** Element-wise functions of one tensor. */
public enum UnaryOp {
  NEG, EXP, LOG, SQRT, ABS,
  /** -1, 0 or 1 (0 at 0, as the gradient of ABS needs). */
  SIGN,
  SQUARE, RECIPROCAL
}

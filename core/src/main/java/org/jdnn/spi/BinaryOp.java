package org.jdnn.spi;

/**
 * Element-wise functions of two tensors under broadcasting, or of a tensor and a scalar (CORE).
 * Comparisons give 1 where true and 0 where false, in the output's dtype: masks for losses,
 * clamps and gradients of maxima.
 */
public enum BinaryOp {
  ADD, SUB, MUL, DIV, MAX, MIN, POW,
  EQ, NE, LT, LE, GT, GE;

  /** True for the comparisons. */
  public boolean isComparison() {
    return ordinal() >= EQ.ordinal();
  }
}

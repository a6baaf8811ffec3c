package org.jdnn.spi;

/** How {@code pad} fills the border, as {@code torch.nn.functional.pad}'s modes. */
public enum PadMode {
  /** A constant value (zero for convolution padding). */
  CONSTANT,
  /** Mirror without repeating the edge: {@code [a b c] -> b [a b c] b}. */
  REFLECT,
  /** Repeat the edge: {@code [a b c] -> a [a b c] c}. */
  REPLICATE,
  /** Wrap around: {@code [a b c] -> c [a b c] a}. */
  CIRCULAR
}

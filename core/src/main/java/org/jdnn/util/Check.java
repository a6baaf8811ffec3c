package org.jdnn.util;

import java.util.Arrays;

/**
 * One-line argument checks in the spirit of Guava's {@code Preconditions}: each failure states the
 * argument, the rule, and the value received, so callers never write the message by hand twice.
 */
public final class Check {
  private Check() {}

  /** Throws {@link ShapeException} with the formatted message when {@code ok} is false. */
  public static void shape(boolean ok, String format, Object... args) {
    if (!ok) throw new ShapeException(String.format(format, render(args)));
  }

  /** Throws {@link IllegalArgumentException} with the formatted message when {@code ok} is false. */
  public static void arg(boolean ok, String format, Object... args) {
    if (!ok) throw new IllegalArgumentException(String.format(format, render(args)));
  }

  /** Throws {@link IllegalStateException} with the formatted message when {@code ok} is false. */
  public static void state(boolean ok, String format, Object... args) {
    if (!ok) throw new IllegalStateException(String.format(format, render(args)));
  }

  /** Requires {@code value > 0}; names the argument in the error. */
  public static int positive(int value, String name) {
    if (value <= 0) throw new IllegalArgumentException(name + " must be positive; received " + value);
    return value;
  }

  /** Requires {@code value >= 0}; names the argument in the error. */
  public static int nonNegative(int value, String name) {
    if (value < 0) throw new IllegalArgumentException(name + " must be non-negative; received " + value);
    return value;
  }

  // int[] arguments print as [1, 2] rather than as an identity hash.
  private static Object[] render(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof int[]) out[i] = Arrays.toString((int[]) out[i]);
      else if (out[i] instanceof long[]) out[i] = Arrays.toString((long[]) out[i]);
    }
    return out;
  }
}

package org.jdnn.autograd;

/**
 * Whether operations record the graph on the current thread. Use {@link NoGrad} to switch it off
 * for inference or parameter updates.
 */
public final class GradMode {
  private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

  private GradMode() {}

  public static boolean isEnabled() {
    return ENABLED.get();
  }

  static void set(boolean enabled) {
    ENABLED.set(enabled);
  }
}

package org.jdnn.spi;

import org.jdnn.tensor.Device;

/**
 * Registers a backend through {@link java.util.ServiceLoader} (a file
 * {@code META-INF/services/org.jdnn.spi.BackendProvider} in the backend's jar).
 */
public interface BackendProvider {
  /** The device type this provider serves. */
  Device.Type type();

  /**
   * Whether the backend can run here. Must not crash the JVM when native libraries or the device
   * are missing: it reports the reason instead.
   */
  Availability probe();

  /** Creates the backend for device {@code index}; only called after a successful probe. */
  Backend create(int index);

  /** The outcome of a probe: usable or not, and in one line why. */
  final class Availability {
    public final boolean available;
    public final String reason;

    private Availability(boolean available, String reason) {
      this.available = available;
      this.reason = reason;
    }

    public static Availability yes(String detail) {
      return new Availability(true, detail);
    }

    public static Availability no(String reason) {
      return new Availability(false, reason);
    }

    @Override
    public String toString() {
      return (available ? "available: " : "unavailable: ") + reason;
    }
  }
}

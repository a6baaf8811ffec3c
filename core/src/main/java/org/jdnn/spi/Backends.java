package org.jdnn.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.jdnn.tensor.Device;

/**
 * Finds backends through {@link ServiceLoader} and selects one from a device spec: {@code auto}
 * (CUDA when a GPU and its libraries load, else CPU, saying why), {@code cpu}, {@code cuda},
 * {@code cuda:N}. One backend instance per device.
 */
public final class Backends {
  private static final Map<Device, Backend> INSTANCES = new ConcurrentHashMap<>();
  private static volatile List<BackendProvider> providers;

  private Backends() {}

  /** The outcome of a selection: the backend and one line saying why it was chosen. */
  public static final class Selection {
    public final Backend backend;
    public final String reason;

    Selection(Backend backend, String reason) {
      this.backend = backend;
      this.reason = reason;
    }
  }

  /** Every provider on the class path, in discovery order. */
  public static List<BackendProvider> providers() {
    List<BackendProvider> p = providers;
    if (p == null) {
      p = new ArrayList<>();
      for (BackendProvider bp : ServiceLoader.load(BackendProvider.class)) p.add(bp);
      providers = p;
    }
    return p;
  }

  /**
   * Selects by spec. {@code auto} never fails when a CPU backend is present; an explicit
   * {@code cuda} fails with the probe's reason.
   */
  public static Selection select(String spec) {
    String s = spec == null ? "auto" : spec.trim();
    if (s.equalsIgnoreCase("auto")) {
      BackendProvider cuda = provider(Device.Type.CUDA);
      String why;
      if (cuda == null) {
        why = "no CUDA backend on the class path (jdnn-cuda-backend)";
      } else {
        BackendProvider.Availability a = cuda.probe();
        if (a.available) return new Selection(forDevice(Device.cuda(0)), "auto: " + a.reason);
        why = a.reason;
      }
      return new Selection(forDevice(Device.CPU), "auto: using the CPU because " + why);
    }
    Device d = Device.parse(s);
    return new Selection(forDevice(d), "requested " + d);
  }

  /** The backend for a device, created on first use; throws with the probe's reason if unusable. */
  public static Backend forDevice(Device device) {
    return INSTANCES.computeIfAbsent(device, d -> {
      BackendProvider p = provider(d.type());
      if (p == null) {
        throw new IllegalStateException("no backend for device " + d + " on the class path"
            + (d.type() == Device.Type.CPU ? " (add jdnn-cpu-fallback)" : " (add jdnn-cuda-backend)"));
      }
      BackendProvider.Availability a = p.probe();
      if (!a.available) throw new IllegalStateException("device " + d + " is not usable: " + a.reason);
      return p.create(d.index());
    });
  }

  /** The CPU backend: where tensors go when no device is named. */
  public static Backend cpu() {
    return forDevice(Device.CPU);
  }

  private static BackendProvider provider(Device.Type type) {
    for (BackendProvider p : providers()) if (p.type() == type) return p;
    return null;
  }
}

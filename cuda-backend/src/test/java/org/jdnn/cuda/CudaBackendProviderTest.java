package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.jdnn.spi.BackendProvider;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.Device;
import org.junit.jupiter.api.Test;

/**
 * The provider on the machine the tests run on. CI machines have no NVIDIA driver: there the probe
 * must fail cleanly with cudaGetDeviceCount's error 35 and {@code auto} must fall back to the CPU.
 * On a machine with a GPU (one with {@code /dev/nvidiactl}) it must succeed instead; no case is
 * skipped either way.
 */
class CudaBackendProviderTest {
  static final boolean HAS_DRIVER = Files.exists(Path.of("/dev/nvidiactl"));

  @Test
  void isRegisteredAsAServiceForCuda() {
    BackendProvider found = null;
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) if (p instanceof CudaBackendProvider) found = p;
    assertTrue(found != null, "META-INF/services registers CudaBackendProvider");
    assertEquals(Device.Type.CUDA, found.type());
  }

  @Test
  void probeAnswersInOneLineWithoutCrashing() {
    BackendProvider.Availability a = new CudaBackendProvider().probe();
    assertFalse(a.reason.contains("\n"), "one line: " + a.reason);
    if (HAS_DRIVER) {
      assertTrue(a.available, a.reason);
      assertTrue(a.reason.startsWith("cuda:0 "), a.reason);
    } else {
      assertFalse(a.available, a.reason);
      assertTrue(a.reason.startsWith("cudaGetDeviceCount returned 35 (cudaErrorInsufficientDriver): no NVIDIA driver"),
          a.reason);
      assertTrue(a.reason.endsWith("(details: jdnn devices --doctor; docs/cuda.md)"), a.reason);
    }
  }

  @Test
  void autoFallsBackToTheCpuSayingWhy() {
    Backends.Selection s = Backends.select("auto");
    if (HAS_DRIVER) {
      assertEquals(Device.cuda(0), s.backend.device(), s.reason);
    } else {
      assertEquals(Device.CPU, s.backend.device());
      assertTrue(s.reason.startsWith("auto: using the CPU because cudaGetDeviceCount returned 35"), s.reason);
    }
  }

  @Test
  void explicitCudaWithoutADeviceFailsWithTheReason() {
    if (HAS_DRIVER) {
      assertEquals(Device.cuda(0), Backends.forDevice(Device.cuda(0)).device());
      return;
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.forDevice(Device.cuda(0)));
    assertTrue(e.getMessage().startsWith("device cuda:0 is not usable: cudaGetDeviceCount returned 35"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new CudaBackendProvider().create(0),
        "create refuses too, before any native call");
  }

  @Test
  void doctorReportsTheSearchTheLibrariesAndTheResult() {
    String d = CudaBackendProvider.doctor();
    assertTrue(d.startsWith("CUDA backend (jdnn-cuda-backend; settings and set-ups in docs/cuda.md)\n"), d);
    assertTrue(d.contains("searched, in order ("), d);
    assertTrue(d.contains("libraries:\n"), d);
    assertTrue(d.contains("NVIDIA driver  libcuda.so.1"), d);
    assertTrue(d.contains("cuBLAS"), d);
    assertTrue(d.matches("(?s).*runtime: CUDA runtime 12\\.\\d+ \\(linked into JCuda\\).*"), d);
    if (!HAS_DRIVER) assertTrue(d.contains("result:  unavailable: cudaGetDeviceCount returned 35"), d);
  }

  @Test
  void versionsAreDecodedAsNvidiaEncodesThem() {
    assertEquals("12.6", CudaBackendProvider.cudaVersion(12060));
    assertEquals("13.0", CudaBackendProvider.cudaVersion(13000));
    assertEquals("9.5.1", CudaBackendProvider.cudnnVersion(90501));
    assertEquals("?", CudaBackendProvider.cudaVersion(0));
  }
}

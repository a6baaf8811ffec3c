package org.jdnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code jdnn devices} with the CUDA backend on the class path, on this machine. */
class DevicesCommandTest {
  static final boolean HAS_DRIVER = Files.exists(Path.of("/dev/nvidiactl"));

  @Test
  void listsBothBackendsAndWhatAutoPicks() {
    TrainCommandTest.Run r = TrainCommandTest.jdnn("devices");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("cpu   available: pure-Java CPU backend"), r.out());
    if (HAS_DRIVER) {
      assertTrue(r.out().contains("cuda  available: cuda:0 "), r.out());
      assertTrue(r.out().contains("auto  -> cuda:0"), r.out());
    } else {
      assertTrue(r.out().contains("cuda  unavailable: cudaGetDeviceCount returned 35 (cudaErrorInsufficientDriver)"),
          r.out());
      assertTrue(r.out().contains("auto  -> cpu") && r.out().contains("auto: using the CPU because cudaGetDeviceCount "
          + "returned 35"), r.out());
    }
    assertFalse(r.out().contains("searched, in order"), "the library report only with --doctor");
  }

  @Test
  void doctorReportsEveryLibrary() {
    for (String flag : new String[] {"--doctor", "-v"}) {
      TrainCommandTest.Run r = TrainCommandTest.jdnn("devices", flag);
      assertEquals(0, r.code(), r.err());
      String out = r.out();
      assertTrue(out.contains("CUDA backend (jdnn-cuda-backend; settings and set-ups in docs/cuda.md)"), out);
      assertTrue(out.contains("searched, in order ("), out);
      assertTrue(out.contains("NVIDIA driver  libcuda.so.1"), out);
      assertTrue(out.contains("libcublas.so.12"), out);
      assertTrue(out.contains("libcudnn.so.9"), out);
      if (!HAS_DRIVER) assertTrue(out.contains("result:  unavailable: cudaGetDeviceCount returned 35"), out);
    }
  }
}

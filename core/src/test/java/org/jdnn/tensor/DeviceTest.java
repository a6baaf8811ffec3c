package org.jdnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceTest {
  @Test
  void parsesSpecs() {
    assertEquals(Device.CPU, Device.parse("cpu"));
    assertEquals(Device.cuda(0), Device.parse("cuda"));
    assertEquals(Device.cuda(3), Device.parse("CUDA:3"));
    assertEquals("cuda:3", Device.cuda(3).toString());
  }

  @Test
  void badSpecNamesTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu"));
    assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
    assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:-1"));
  }
}

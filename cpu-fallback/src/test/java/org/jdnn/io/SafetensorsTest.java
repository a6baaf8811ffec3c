package org.jdnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir
  Path dir;

  @Test
  void roundTripsEveryDType() throws IOException {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("conv.weight", Tensor.of(new float[] {1.5f, -2f, 3.25f, 0f, 1e-8f, -7f}, 2, 3));
    m.put("f64", Tensor.of(new double[] {Math.PI, -Math.E}, 2));
    m.put("labels", Tensor.of(new long[] {0, 9, Long.MAX_VALUE}, 3));
    m.put("i32", Tensor.of(new int[] {-1, 7}, 1, 2));
    m.put("pixels", Tensor.of(new byte[] {0, (byte) 255, 17}, 3));
    m.put("scalar", Tensor.of(new float[] {42f}));
    Path p = dir.resolve("all.safetensors");
    Safetensors.write(p, m, Map.of("format", "pt"));
    Safetensors.Contents c = Safetensors.read(p);
    assertEquals(m.keySet(), c.tensors.keySet());
    assertEquals("pt", c.metadata.get("format"));
    for (String k : m.keySet()) {
      assertEquals(m.get(k).shape(), c.tensors.get(k).shape(), k);
      assertEquals(m.get(k).dtype(), c.tensors.get(k).dtype(), k);
      assertArrayEquals(m.get(k).toDoubleArray(), c.tensors.get(k).toDoubleArray(), k);
    }
    assertEquals(Long.MAX_VALUE, c.tensors.get("labels").toLongArray()[2]);
    assertEquals(255, c.tensors.get("pixels").toLongArray()[1], "U8 is unsigned");
  }

  @Test
  void layoutIsTheSafetensorsFormat() throws IOException {
    Path p = dir.resolve("one.safetensors");
    Safetensors.write(p, Map.of("w", Tensor.of(new float[] {1f, 2f}, 2)), null);
    byte[] bytes = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).trim();
    assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
    ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1f, data.getFloat());
    assertEquals(2f, data.getFloat());
    assertEquals(8 + n + 8, bytes.length);
  }

  @Test
  void corruptFilesFailWithTheFileAndReason() throws IOException {
    Path good = dir.resolve("g.safetensors");
    Safetensors.write(good, Map.of("w", Tensor.zeros(Shape.of(4, 4), DType.F32, Tensor.zeros(1).backend())), null);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = Files.write(dir.resolve("t.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(truncated));
    assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("truncated"), e.getMessage());

    Path tiny = Files.write(dir.resolve("tiny"), new byte[] {1, 2, 3});
    e = assertThrows(IOException.class, () -> Safetensors.read(tiny));
    assertTrue(e.getMessage().contains("shorter than the 8-byte header length"), e.getMessage());

    Path text = Files.write(dir.resolve("text"), "this is not a checkpoint at all".getBytes());
    e = assertThrows(IOException.class, () -> Safetensors.read(text));
    assertTrue(e.getMessage().contains("header length"), e.getMessage());

    byte[] badJson = bytes.clone();
    badJson[9] = '!';
    Path bj = Files.write(dir.resolve("bj"), badJson);
    e = assertThrows(IOException.class, () -> Safetensors.read(bj));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

    String h = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}";
    Path bf16 = Files.write(dir.resolve("bf16"), file(h, new byte[2]));
    e = assertThrows(IOException.class, () -> Safetensors.read(bf16));
    assertTrue(e.getMessage().contains("dtype 'BF16'"), e.getMessage());

    String wrongSize = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    Path ws = Files.write(dir.resolve("ws"), file(wrongSize, new byte[8]));
    e = assertThrows(IOException.class, () -> Safetensors.read(ws));
    assertTrue(e.getMessage().contains("needs 12 bytes but data_offsets are [0, 8]"), e.getMessage());
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Path p = dir.resolve("m.safetensors");
    Safetensors.write(p, Map.of("a", Tensor.ones(3)), null);
    Safetensors.write(p, Map.of("b", Tensor.zeros(5)), null);
    assertEquals(Map.of("b", 5L), Map.of("b", Safetensors.read(p).tensors.get("b").numel()));
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
    }
  }

  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }
}

package org.jdnn.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdnn.spi.Backend;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length {@code n}, a JSON
 * header of {@code n} bytes mapping each name to {@code dtype}, {@code shape} and
 * {@code data_offsets} (relative to the end of the header), an optional {@code __metadata__} map of
 * strings, then the raw little-endian data. Files written here load in PyTorch with
 * {@code safetensors.torch.load_file}, and theirs load here.
 *
 * <p>Writes go to a temporary file in the same directory, forced to disk, then renamed over the
 * target, so a crash never leaves a half-written file under the final name.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20; // as the reference implementation: 100 MB

  private Safetensors() {}

  /** Tensors by name (in file order) and the string metadata of a file. */
  public static final class Contents {
    public final Map<String, Tensor> tensors;
    public final Map<String, String> metadata;

    Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
      this.tensors = Collections.unmodifiableMap(tensors);
      this.metadata = Collections.unmodifiableMap(metadata);
    }
  }

  /** Writes {@code tensors} (any backend; copied to the host) and {@code metadata} atomically. */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      long bytes = t.numel() * t.dtype().bytes();
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", t.dtype().safetensorsName());
      ArrayNode shape = entry.putArray("shape");
      for (int d : t.shape().toArray()) shape.add(d);
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8; // keep the data 8-byte aligned, padding with spaces
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    head.flip();

    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(ch, head);
        for (Tensor t : tensors.values()) writeFully(ch, toBytes(t));
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads every tensor onto the CPU. */
  public static Contents read(Path path) throws IOException {
    return read(path, Backends.cpu());
  }

  /**
   * Reads every tensor onto {@code backend}. A truncated file, a bad header, an unknown dtype or
   * offsets that do not match the shapes fail with an {@link IOException} naming the file and entry.
   */
  public static Contents read(Path path, Backend backend) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) throw bad(path, "file is " + size + " bytes, shorter than the 8-byte header length");
      ByteBuffer lenBuf = readAt(ch, 0, 8, path);
      long n = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
        throw bad(path, "header length " + n + " does not fit a file of " + size + " bytes (not a safetensors file?)");
      }
      ByteBuffer hb = readAt(ch, 8, (int) n, path);
      JsonNode header;
      try {
        header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw bad(path, "header is not valid JSON: " + e.getMessage());
      }
      if (header == null || !header.isObject()) throw bad(path, "header is not a JSON object");
      long dataStart = 8 + n;
      long dataSize = size - dataStart;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      List<long[]> spans = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        JsonNode v = e.getValue();
        if (name.equals("__metadata__")) {
          v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        DType dtype = DType.fromSafetensors(v.path("dtype").asText());
        if (dtype == null) throw bad(path, "tensor '" + name + "' has dtype '" + v.path("dtype").asText()
            + "'; jdnn reads F32, F64, I32, I64 and U8");
        JsonNode shapeNode = v.path("shape");
        JsonNode off = v.path("data_offsets");
        if (!shapeNode.isArray() || !off.isArray() || off.size() != 2) {
          throw bad(path, "tensor '" + name + "' lacks a shape array or a two-element data_offsets");
        }
        int[] dims = new int[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = shapeNode.get(i).asInt(-1);
        Shape shape = Shape.of(dims);
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        long expected = shape.numel() * dtype.bytes();
        if (begin < 0 || end < begin || end - begin != expected) {
          throw bad(path, "tensor '" + name + "' of shape " + shape + " " + dtype + " needs " + expected
              + " bytes but data_offsets are [" + begin + ", " + end + "]");
        }
        if (end > dataSize) {
          throw bad(path, "tensor '" + name + "' ends at byte " + end + " of the data but the file holds only "
              + dataSize + " data bytes (truncated?)");
        }
        spans.add(new long[] {begin, end});
        ByteBuffer data = readAt(ch, dataStart + begin, (int) expected, path);
        tensors.put(name, fromBytes(data, shape, dtype, backend));
      }
      checkNoOverlap(path, spans);
      return new Contents(tensors, metadata);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString(), null, "safetensors file not found");
    }
  }

  private static void checkNoOverlap(Path path, List<long[]> spans) throws IOException {
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < spans.size(); i++) {
      if (spans.get(i)[0] < spans.get(i - 1)[1]) throw bad(path, "tensor data regions overlap");
    }
  }

  private static IOException bad(Path path, String why) {
    return new IOException(path + ": invalid safetensors file: " + why);
  }

  private static ByteBuffer readAt(FileChannel ch, long pos, int len, Path path) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + b.position());
      if (r < 0) throw bad(path, "unexpected end of file at byte " + (pos + b.position()));
    }
    b.flip();
    return b;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) ch.write(b);
  }

  private static ByteBuffer toBytes(Tensor t) {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.numel() * t.dtype().bytes())).order(ByteOrder.LITTLE_ENDIAN);
    switch (t.dtype()) {
      case F32: b.asFloatBuffer().put(t.toFloatArray()); break;
      case F64: b.asDoubleBuffer().put(t.toDoubleArray()); break;
      case I32: b.asIntBuffer().put(t.toIntArray()); break;
      case I64: b.asLongBuffer().put(t.toLongArray()); break;
      case U8: {
        long[] v = t.toLongArray();
        for (long x : v) b.put((byte) x);
        b.position(0);
        break;
      }
      default: throw new AssertionError(t.dtype());
    }
    return b;
  }

  private static Tensor fromBytes(ByteBuffer data, Shape shape, DType dtype, Backend backend) {
    data.order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) shape.numel();
    Object array;
    switch (dtype) {
      case F32: { float[] a = new float[n]; data.asFloatBuffer().get(a); array = a; break; }
      case F64: { double[] a = new double[n]; data.asDoubleBuffer().get(a); array = a; break; }
      case I32: { int[] a = new int[n]; data.asIntBuffer().get(a); array = a; break; }
      case I64: { long[] a = new long[n]; data.asLongBuffer().get(a); array = a; break; }
      case U8: { byte[] a = new byte[n]; data.get(a); array = a; break; }
      default: throw new AssertionError(dtype);
    }
    return Tensor.fromArray(array, n, dtype, shape.toArray(), backend);
  }
}

package org.jdnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
  @TempDir
  Path dir;

  /** An IDX file of unsigned bytes: magic 0x0000 08 rank, sizes, data. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(0x00000800 | dims.length);
    for (int d : dims) b.putInt(d);
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    }
    return bytes.toByteArray();
  }

  @Test
  void readsPlainAndGzip() throws IOException {
    byte[] data = new byte[2 * 3 * 4];
    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 10);
    byte[] raw = idx(new int[] {2, 3, 4}, data);
    Path plain = Files.write(dir.resolve("x-idx3-ubyte"), raw);
    Path gz = Files.write(dir.resolve("x-idx3-ubyte.gz"), gzip(raw));
    for (Path p : new Path[] {plain, gz}) {
      IdxFile f = IdxFile.read(p);
      assertArrayEquals(new int[] {2, 3, 4}, f.dims, p.toString());
      assertArrayEquals(data, f.data, p.toString());
    }
  }

  @Test
  void truncatedDataNamesFileAndCounts() throws IOException {
    byte[] raw = idx(new int[] {10, 28, 28}, new byte[10 * 784]);
    Path p = Files.write(dir.resolve("t.gz"), gzip(Arrays.copyOf(raw, raw.length - 100)));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("needs 7840 data bytes but only 7740"),
        e.getMessage());
    Path header = Files.write(dir.resolve("h"), Arrays.copyOf(raw, 9));
    e = assertThrows(IOException.class, () -> IdxFile.read(header));
    assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
  }

  @Test
  void truncatedGzipStream() throws IOException {
    byte[] gz = gzip(idx(new int[] {1000}, new byte[1000]));
    Path p = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, 20));
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
  }

  @Test
  void wrongMagicAndType() throws IOException {
    Path text = Files.write(dir.resolve("readme.txt"), "hello world".getBytes());
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(text));
    assertTrue(e.getMessage().contains("not an IDX file: magic number 0x68656c6c"), e.getMessage());
    ByteBuffer floats = ByteBuffer.allocate(12).putInt(0x00000D01).putInt(1).putFloat(1f);
    Path f = Files.write(dir.resolve("f"), floats.array());
    e = assertThrows(IOException.class, () -> IdxFile.read(f));
    assertTrue(e.getMessage().contains("element type 0xd is not supported"), e.getMessage());
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    e = assertThrows(IOException.class, () -> IdxFile.read(empty));
    assertTrue(e.getMessage().contains("shorter than its 4-byte magic"), e.getMessage());
  }

  @Test
  void missingDatasetSaysHowToInstall() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir.resolve("nope"), true));
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir, true));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("--data"), e.getMessage());
  }

  @Test
  void realFashionMnistHasTheDocumentedSplits() throws IOException {
    ImageDataset train = FashionMnist.load(FashionMnist.DEFAULT_DIR, true);
    ImageDataset test = FashionMnist.load(FashionMnist.DEFAULT_DIR, false);
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    int[] perClass = new int[10];
    for (int i = 0; i < train.size(); i++) perClass[train.label(i)]++;
    for (int c = 0; c < 10; c++) assertEquals(6000, perClass[c], "training images of class " + c);
    // the normalisation constants are the training set's own statistics
    float[] x = new float[784 * 1000];
    long[] y = new long[1000];
    int[] idx = new int[1000];
    double sum = 0;
    double sq = 0;
    for (int start = 0; start < 60000; start += 1000) {
      for (int i = 0; i < 1000; i++) idx[i] = start + i;
      train.fill(idx, 1000, x, y);
      for (float v : x) {
        sum += v;
        sq += (double) v * v;
      }
    }
    double n = 60000.0 * 784;
    assertEquals(0, sum / n, 1e-3, "normalised mean");
    assertEquals(1, Math.sqrt(sq / n - (sum / n) * (sum / n)), 1e-3, "normalised std");
  }
}

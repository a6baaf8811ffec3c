package org.jdnn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (plain or gzip, recognised by content):
 * two zero bytes, a type byte ({@code 0x08} = unsigned byte), the number of axes, each axis size as
 * a big-endian int32, then the data row-major.
 */
public final class IdxFile {
  private static final int UBYTE = 0x08;

  /** Axis sizes, outermost first. */
  public final int[] dims;
  /** The unsigned bytes, row-major. */
  public final byte[] data;

  private IdxFile(int[] dims, byte[] data) {
    this.dims = dims;
    this.data = data;
  }

  /** Reads an unsigned-byte IDX file; errors name the file and what is wrong with it. */
  public static IdxFile read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null, "IDX file not found");
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
        int magic;
        try {
          magic = in.readInt();
        } catch (EOFException e) {
          throw new IOException(path + ": not an IDX file: shorter than its 4-byte magic number");
        }
        if ((magic >>> 16) != 0) {
          throw new IOException(path + ": not an IDX file: magic number 0x" + String.format("%08x", magic)
              + " does not start with two zero bytes (expected 0x00000801 for labels or 0x00000803 for images)");
        }
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if (type != UBYTE) {
          throw new IOException(path + ": IDX element type 0x" + Integer.toHexString(type)
              + " is not supported; jdnn reads unsigned-byte (0x08) files");
        }
        if (rank < 1 || rank > 4) throw new IOException(path + ": IDX file declares " + rank + " axes; expected 1 to 4");
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
          try {
            dims[i] = in.readInt();
          } catch (EOFException e) {
            throw new IOException(path + ": truncated IDX header: " + i + " of " + rank + " axis sizes present");
          }
          if (dims[i] < 0) throw new IOException(path + ": negative axis size " + dims[i] + " in IDX header");
          n *= dims[i];
        }
        if (n > Integer.MAX_VALUE - 16) throw new IOException(path + ": IDX data of " + n + " bytes is too large");
        byte[] data = new byte[(int) n];
        int got = in.readNBytes(data, 0, data.length);
        if (got != data.length) {
          throw new IOException(path + ": truncated IDX file: header " + Arrays.toString(dims) + " needs " + n
              + " data bytes but only " + got + " are present");
        }
        return new IdxFile(dims, data);
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException(path + ": corrupt gzip data: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new IOException(path + ": truncated gzip stream", e);
    }
  }
}

package org.jdnn.spi;

import org.jdnn.tensor.DType;

/**
 * Storage in the Java heap: a {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} or
 * {@code byte[]} according to the dtype. Used by the CPU backends and for host staging.
 */
public final class HostStorage extends Storage {
  private Object array;

  public HostStorage(DType dtype, long length) {
    super(dtype, length);
    if (length > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a CPU tensor holds at most 2^31-17 elements; requested " + length);
    }
    int n = (int) length;
    switch (dtype) {
      case F32: array = new float[n]; break;
      case F64: array = new double[n]; break;
      case I32: array = new int[n]; break;
      case I64: array = new long[n]; break;
      case U8: array = new byte[n]; break;
      default: throw new AssertionError(dtype);
    }
  }

  /** The backing Java array; its element type follows {@link #dtype()}. */
  public Object array() {
    if (array == null) throw new IllegalStateException("tensor storage was released (its Scope closed)");
    return array;
  }

  public float[] floats() {
    return (float[]) array();
  }

  public double[] doubles() {
    return (double[]) array();
  }

  public int[] ints() {
    return (int[]) array();
  }

  public long[] longs() {
    return (long[]) array();
  }

  public byte[] bytes() {
    return (byte[]) array();
  }

  @Override
  protected void free() {
    array = null; // the GC reclaims the heap array
  }
}

package org.jdnn.tensor;

/** Element types. F32 is the compute type; integers hold labels and indices; U8 holds raw images. */
public enum DType {
  F32(4, true, "F32"),
  F64(8, true, "F64"),
  I32(4, false, "I32"),
  I64(8, false, "I64"),
  U8(1, false, "U8");

  private final int bytes;
  private final boolean floating;
  private final String safetensorsName;

  DType(int bytes, boolean floating, String safetensorsName) {
    this.bytes = bytes;
    this.floating = floating;
    this.safetensorsName = safetensorsName;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  public boolean isFloating() {
    return floating;
  }

  /** The dtype string of the safetensors header ({@code "F32"}, {@code "I64"}, ...). */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** Inverse of {@link #safetensorsName()}; null for a dtype jdnn does not hold. */
  public static DType fromSafetensors(String name) {
    for (DType t : values()) if (t.safetensorsName.equals(name)) return t;
    return null;
  }
}

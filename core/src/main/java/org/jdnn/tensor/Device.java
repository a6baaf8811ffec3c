package org.jdnn.tensor;

import java.util.Locale;
import java.util.Objects;

/** Where a tensor lives: the host CPU or a numbered CUDA device. */
public final class Device {
  public enum Type { CPU, CUDA }

  public static final Device CPU = new Device(Type.CPU, 0);

  private final Type type;
  private final int index;

  private Device(Type type, int index) {
    this.type = type;
    this.index = index;
  }

  public static Device cuda(int index) {
    if (index < 0) throw new IllegalArgumentException("CUDA device index must be >= 0; received " + index);
    return new Device(Type.CUDA, index);
  }

  /** Parses {@code cpu}, {@code cuda} or {@code cuda:N} (not {@code auto}: see {@code Backends}). */
  public static Device parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) return CPU;
    if (s.equals("cuda")) return cuda(0);
    if (s.startsWith("cuda:")) {
      try {
        return cuda(Integer.parseInt(s.substring(5)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("device must be cpu, cuda or cuda:N; received '" + spec + "'");
      }
    }
    throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N; received '" + spec + "'");
  }

  public Type type() {
    return type;
  }

  public int index() {
    return index;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Device && ((Device) o).type == type && ((Device) o).index == index;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, index);
  }

  @Override
  public String toString() {
    return type == Type.CPU ? "cpu" : "cuda:" + index;
  }
}

package org.jdnn.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jdnn.nn.Module;
import org.jdnn.tensor.Shape;

/** The model zoo by name, as the command line uses it: {@code jdnn train lenet5}. */
public final class Models {
  /** A named model: how to build it and the input it expects, {@code (C, H, W)}. */
  public record Entry(String name, String description, Shape inputShape, Supplier<Module> builder) {}

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    add(new Entry("lenet5", "LeNet-5, modern form (ReLU, max-pool), 28x28x1 input, 10 classes, 61,706 parameters",
        Shape.of(1, 28, 28), LeNet::lenet5));
  }

  private Models() {}

  private static void add(Entry e) {
    ENTRIES.put(e.name(), e);
  }

  /** The entry for {@code name}; the error lists the known names. */
  public static Entry get(String name) {
    Entry e = ENTRIES.get(name.toLowerCase(java.util.Locale.ROOT));
    if (e == null) {
      throw new IllegalArgumentException("unknown model '" + name + "'; available: " + String.join(", ", ENTRIES.keySet()));
    }
    return e;
  }

  public static Map<String, Entry> all() {
    return java.util.Collections.unmodifiableMap(ENTRIES);
  }
}

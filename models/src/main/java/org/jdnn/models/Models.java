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
    Shape image = Shape.of(3, 224, 224);
    add(new Entry("lenet5", "LeNet-5, modern form (ReLU, max-pool), 28x28x1 input, 10 classes, 61,706 parameters",
        Shape.of(1, 28, 28), LeNet::lenet5));
    add(new Entry("lenet5-classic", "LeNet-5 as in LeCun et al. 1998 (32x32, C3 table, RBF output), 60,000 trainable",
        Shape.of(1, 32, 32), LeNet5Classic::new));
    add(new Entry("resnet18-small", "ResNet-18 with a 3x3 stem for 28x28x1 images (Fashion-MNIST), 10 classes",
        Shape.of(1, 28, 28), () -> ResNet.resnet(18, 10, 1, false, true)));
    add(new Entry("alexnet", "AlexNet, torchvision's single-tower form, 61,100,840 parameters", image,
        () -> AlexNet.alexnet(1000)));
    add(new Entry("alexnet-original", "AlexNet 2012, two towers, LRN, 227x227 input, 60,965,224 parameters",
        Shape.of(3, 227, 227), () -> AlexNet.alexnetOriginal(1000)));
    for (int depth : new int[] {11, 13, 16, 19}) {
      add(new Entry("vgg" + depth, "VGG-" + depth + " (configuration " + "ABDE".charAt(java.util.Arrays.asList(11, 13, 16, 19)
          .indexOf(depth)) + ")", image, () -> VGG.vgg(depth, false, 1000)));
      add(new Entry("vgg" + depth + "-bn", "VGG-" + depth + " with batch norm", image, () -> VGG.vgg(depth, true, 1000)));
    }
    add(new Entry("googlenet", "GoogLeNet, torchvision's layout with auxiliary heads (13,004,888 parameters)", image,
        () -> GoogLeNet.torchvision(true, 1000)));
    add(new Entry("googlenet-paper", "GoogLeNet as in Szegedy et al. 2014 (biases, 5x5 branch, LRN, auxiliary heads)",
        image, () -> GoogLeNet.paper(true, 1000)));
    for (int depth : new int[] {18, 34, 50, 101, 152}) {
      add(new Entry("resnet" + depth, "ResNet-" + depth + ", torchvision's v1.5", image, () -> ResNet.resnet(depth, 1000)));
    }
    add(new Entry("unet", "U-Net 2015: valid convolutions, 572x572x1 in, 388x388x2 out, 31,030,658 parameters",
        Shape.of(1, 572, 572), () -> UNet.original(1, 2)));
    add(new Entry("unet-padded", "U-Net with same-size output and batch norm, 1 channel, 2 classes",
        Shape.of(1, 256, 256), () -> UNet.padded(1, 2, true)));
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

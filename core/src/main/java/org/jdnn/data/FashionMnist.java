package org.jdnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.jdnn.tensor.Shape;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 60,000 training and 10,000 test images of 28x28
 * grey clothing articles in 10 classes, in MNIST's IDX format. Debian's package
 * {@code dataset-fashion-mnist} installs it in {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
  public static final Path DEFAULT_DIR = Paths.get("/usr/share/datasets/fashion-mnist");
  /** Mean and standard deviation of the training pixels on the [0, 1] scale. */
  public static final float MEAN = 0.2860f;
  public static final float STD = 0.3530f;
  public static final String[] CLASSES = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
  };

  private FashionMnist() {}

  /** The training (60,000) or test (10,000) split from {@code dir}. */
  public static ImageDataset load(Path dir, boolean train) throws IOException {
    String prefix = train ? "train" : "t10k";
    IdxFile images = IdxFile.read(find(dir, prefix + "-images-idx3-ubyte"));
    IdxFile labels = IdxFile.read(find(dir, prefix + "-labels-idx1-ubyte"));
    if (images.dims.length != 3 || images.dims[1] != 28 || images.dims[2] != 28) {
      throw new IOException(dir + ": " + prefix + " images have shape " + java.util.Arrays.toString(images.dims)
          + "; Fashion-MNIST images are (N, 28, 28)");
    }
    if (labels.dims.length != 1 || labels.dims[0] != images.dims[0]) {
      throw new IOException(dir + ": " + images.dims[0] + " " + prefix + " images but "
          + java.util.Arrays.toString(labels.dims) + " labels");
    }
    int[] y = new int[labels.dims[0]];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.data[i] & 0xff;
      if (y[i] >= 10) throw new IOException(dir + ": " + prefix + " label " + y[i] + " at index " + i + " is not a class 0..9");
    }
    return new ImageDataset(images.data, y, Shape.of(1, 28, 28), 10, new float[] {MEAN}, new float[] {STD});
  }

  /** {@code name.gz} or {@code name} in {@code dir}; a missing dataset says how to install it. */
  static Path find(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "data directory does not exist; " + installHint());
    }
    for (String candidate : new String[] {name + ".gz", name}) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) return p;
    }
    throw new NoSuchFileException(dir.resolve(name + ".gz").toString(), null,
        "Fashion-MNIST file not found (looked for " + name + ".gz and " + name + "); " + installHint());
  }

  static String installHint() {
    return "install the data with `sudo apt-get install dataset-fashion-mnist` (it goes to " + DEFAULT_DIR
        + ") or pass the directory that holds the IDX files with --data";
  }
}

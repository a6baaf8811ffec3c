package org.jdnn.data;

import org.jdnn.tensor.Shape;
import org.jdnn.util.Check;

/**
 * Images held in memory as unsigned bytes {@code (N, C, H, W)} with integer class labels,
 * normalised on the way out: {@code x = (pixel / 255 - mean[c]) / std[c]}.
 */
public final class ImageDataset {
  private final byte[] pixels;
  private final int[] labels;
  private final Shape itemShape;
  private final int classes;
  private final float[] mean;
  private final float[] std;
  private final int offset;
  private final int size;

  /**
   * @param pixels {@code size * C * H * W} unsigned bytes
   * @param labels one class index per image, each in {@code [0, classes)}
   * @param itemShape {@code (C, H, W)}
   * @param mean, std per-channel normalisation on the [0, 1] scale
   */
  public ImageDataset(byte[] pixels, int[] labels, Shape itemShape, int classes, float[] mean, float[] std) {
    this(pixels, labels, itemShape, classes, mean, std, 0, labels.length);
    Check.arg(itemShape.rank() == 3, "item shape must be (C, H, W); received %s", itemShape);
    Check.arg((long) labels.length * itemShape.numel() == pixels.length,
        "%s labels of images %s need %s pixels; received %s", labels.length, itemShape,
        (long) labels.length * itemShape.numel(), pixels.length);
    Check.arg(mean.length == itemShape.dim(0) && std.length == itemShape.dim(0),
        "mean and std need one value per channel (%s); received %s and %s", itemShape.dim(0), mean.length, std.length);
    for (int i = 0; i < labels.length; i++) {
      Check.arg(labels[i] >= 0 && labels[i] < classes, "label %s of image %s is outside [0, %s)", labels[i], i, classes);
    }
  }

  private ImageDataset(byte[] pixels, int[] labels, Shape itemShape, int classes, float[] mean, float[] std, int offset, int size) {
    this.pixels = pixels;
    this.labels = labels;
    this.itemShape = itemShape;
    this.classes = classes;
    this.mean = mean.clone();
    this.std = std.clone();
    this.offset = offset;
    this.size = size;
  }

  public int size() {
    return size;
  }

  /** {@code (C, H, W)}. */
  public Shape itemShape() {
    return itemShape;
  }

  public int classes() {
    return classes;
  }

  public int label(int index) {
    return labels[offset + index];
  }

  /** Images {@code from..to-1} as a dataset sharing this one's memory. */
  public ImageDataset subset(int from, int to) {
    Check.arg(0 <= from && from <= to && to <= size, "subset [%s, %s) is out of range for %s images", from, to, size);
    return new ImageDataset(pixels, labels, itemShape, classes, mean, std, offset + from, to - from);
  }

  /**
   * Writes the normalised images at {@code indices} into {@code x} (row-major {@code (B, C, H, W)})
   * and their labels into {@code y}.
   */
  public void fill(int[] indices, int count, float[] x, long[] y) {
    int item = (int) itemShape.numel();
    int plane = item / itemShape.dim(0);
    for (int b = 0; b < count; b++) {
      int i = offset + indices[b];
      int src = i * item;
      int dst = b * item;
      for (int c = 0; c < itemShape.dim(0); c++) {
        float scale = 1f / (255f * std[c]);
        float shift = mean[c] / std[c];
        for (int p = 0; p < plane; p++) {
          x[dst + c * plane + p] = (pixels[src + c * plane + p] & 0xff) * scale - shift;
        }
      }
      y[b] = labels[i];
    }
  }
}

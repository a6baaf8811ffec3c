package org.jdnn.models;

import java.util.Map;
import org.jdnn.nn.AdaptiveAvgPool2d;
import org.jdnn.nn.BatchNorm2d;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Dropout;
import org.jdnn.nn.Linear;
import org.jdnn.nn.MaxPool2d;
import org.jdnn.nn.Module;
import org.jdnn.nn.ReLU;
import org.jdnn.nn.Sequential;
import org.jdnn.tensor.Tensor;

/**
 * VGG (Simonyan and Zisserman 2014, "Very deep convolutional networks for large-scale image
 * recognition"), configurations A, B, D and E (VGG-11/13/16/19) with or without batch
 * normalisation, in torchvision's layout ({@code features}, {@code avgpool}, {@code classifier})
 * so that its state dicts load by key. VGG-16 has 138,357,544 parameters, VGG-16-BN 138,365,992.
 */
public final class VGG extends Module {
  /** The paper's Table 1 as data: channels of each 3x3 convolution, 0 for a 2x2 max pool. */
  static final Map<Integer, int[]> CONFIGS = Map.of(
      11, new int[] {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
      13, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
      16, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
      19, new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0});

  private VGG(int[] config, boolean batchNorm, int classes) {
    Sequential features = new Sequential();
    int in = 3;
    for (int c : config) {
      if (c == 0) {
        features.add(new MaxPool2d(2));
        continue;
      }
      features.add(Conv2d.builder(in, c, 3).padding(1).build());
      if (batchNorm) features.add(new BatchNorm2d(c));
      features.add(new ReLU());
      in = c;
    }
    registerModule("features", features);
    registerModule("avgpool", new AdaptiveAvgPool2d(7));
    registerModule("classifier", new Sequential(
        new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(0.5),
        new Linear(4096, 4096), new ReLU(), new Dropout(0.5),
        new Linear(4096, classes)));
  }

  /**
   * @param depth 11, 13, 16 or 19 (configurations A, B, D, E)
   */
  public static VGG vgg(int depth, boolean batchNorm, int classes) {
    int[] config = CONFIGS.get(depth);
    if (config == null) throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19; received " + depth);
    return new VGG(config, batchNorm, classes);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    Tensor h = children().get("avgpool").forward(children().get("features").forward(x));
    return children().get("classifier").forward(h.flatten(1));
  }
}

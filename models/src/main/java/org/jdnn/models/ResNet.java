package org.jdnn.models;

import org.jdnn.nn.AdaptiveAvgPool2d;
import org.jdnn.nn.BatchNorm2d;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Identity;
import org.jdnn.nn.Linear;
import org.jdnn.nn.MaxPool2d;
import org.jdnn.nn.Module;
import org.jdnn.nn.ReLU;
import org.jdnn.nn.Sequential;
import org.jdnn.tensor.Tensor;

/**
 * ResNet (He, Zhang, Ren and Sun 2015, "Deep residual learning for image recognition"): depths
 * 18 and 34 with basic blocks, 50, 101 and 152 with bottlenecks, in torchvision's layout
 * ({@code conv1, bn1, layer1..4, fc}) so that its state dicts load by key.
 *
 * <ul>
 *   <li>Stride placement: torchvision's (the "v1.5" variant) puts a bottleneck's stride on its 3x3
 *       convolution; {@code strideOnFirst1x1} gives the paper's v1 (stride on the first 1x1).
 *   <li>{@code smallInput}: for 28/32-pixel images the stem is one 3x3 convolution of stride 1
 *       without max pooling (as the paper's CIFAR networks), keeping 32x32 maps in layer1.
 * </ul>
 * ResNet-18 has 11,689,512 parameters, ResNet-34 21,797,672, ResNet-50 25,557,032.
 */
public final class ResNet extends Module {

  private ResNet(boolean bottleneck, int[] blocks, int classes, int inChannels, boolean strideOnFirst1x1,
      boolean smallInput) {
    int expansion = bottleneck ? 4 : 1;
    registerModule("conv1", smallInput ? conv3x3(inChannels, 64, 1)
        : Conv2d.builder(inChannels, 64, 7).stride(2).padding(3).bias(false).build());
    registerModule("bn1", new BatchNorm2d(64));
    registerModule("relu", new ReLU());
    registerModule("maxpool", smallInput ? new Identity() : new MaxPool2d(3, 2, 1));
    int in = 64;
    int[] widths = {64, 128, 256, 512};
    for (int stage = 0; stage < 4; stage++) {
      Sequential layer = new Sequential();
      for (int b = 0; b < blocks[stage]; b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        layer.add(bottleneck ? new Bottleneck(in, widths[stage], stride, strideOnFirst1x1)
            : new BasicBlock(in, widths[stage], stride));
        in = widths[stage] * expansion;
      }
      registerModule("layer" + (stage + 1), layer);
    }
    registerModule("avgpool", new AdaptiveAvgPool2d(1));
    registerModule("fc", new Linear(512 * expansion, classes));
  }

  /** ResNet-{18, 34, 50, 101, 152} for 224x224 RGB images, torchvision's v1.5. */
  public static ResNet resnet(int depth, int classes) {
    return resnet(depth, classes, 3, false, false);
  }

  /**
   * @param depth 18, 34, 50, 101 or 152
   * @param strideOnFirst1x1 the paper's v1 bottleneck (no effect on basic blocks)
   * @param smallInput a 3x3 stride-1 stem without max pooling, for 28/32-pixel images
   */
  public static ResNet resnet(int depth, int classes, int inChannels, boolean strideOnFirst1x1, boolean smallInput) {
    switch (depth) {
      case 18: return new ResNet(false, new int[] {2, 2, 2, 2}, classes, inChannels, strideOnFirst1x1, smallInput);
      case 34: return new ResNet(false, new int[] {3, 4, 6, 3}, classes, inChannels, strideOnFirst1x1, smallInput);
      case 50: return new ResNet(true, new int[] {3, 4, 6, 3}, classes, inChannels, strideOnFirst1x1, smallInput);
      case 101: return new ResNet(true, new int[] {3, 4, 23, 3}, classes, inChannels, strideOnFirst1x1, smallInput);
      case 152: return new ResNet(true, new int[] {3, 8, 36, 3}, classes, inChannels, strideOnFirst1x1, smallInput);
      default: throw new IllegalArgumentException("ResNet depth must be 18, 34, 50, 101 or 152; received " + depth);
    }
  }

  static Conv2d conv3x3(int in, int out, int stride) {
    return Conv2d.builder(in, out, 3).stride(stride).padding(1).bias(false).build();
  }

  static Conv2d conv1x1(int in, int out, int stride) {
    return Conv2d.builder(in, out, 1).stride(stride).bias(false).build();
  }

  /** {@code downsample}: a 1x1 projection and batch norm where the shortcut changes shape, else none. */
  static Sequential downsample(int in, int out, int stride) {
    return stride != 1 || in != out ? new Sequential(conv1x1(in, out, stride), new BatchNorm2d(out)) : null;
  }

  /** Two 3x3 convolutions with a shortcut (ResNet-18/34). */
  static final class BasicBlock extends Module {
    BasicBlock(int in, int width, int stride) {
      registerModule("conv1", conv3x3(in, width, stride));
      registerModule("bn1", new BatchNorm2d(width));
      registerModule("relu", new ReLU());
      registerModule("conv2", conv3x3(width, width, 1));
      registerModule("bn2", new BatchNorm2d(width));
      Sequential down = downsample(in, width, stride);
      if (down != null) registerModule("downsample", down);
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      Module relu = children().get("relu");
      Tensor h = relu.forward(children().get("bn1").forward(children().get("conv1").forward(x)));
      h = children().get("bn2").forward(children().get("conv2").forward(h));
      Module down = children().get("downsample");
      return relu.forward(h.add(down == null ? x : down.forward(x)));
    }
  }

  /** 1x1 reduce, 3x3, 1x1 expand (x4) with a shortcut (ResNet-50/101/152). */
  static final class Bottleneck extends Module {
    Bottleneck(int in, int width, int stride, boolean strideOnFirst1x1) {
      registerModule("conv1", conv1x1(in, width, strideOnFirst1x1 ? stride : 1));
      registerModule("bn1", new BatchNorm2d(width));
      registerModule("conv2", conv3x3(width, width, strideOnFirst1x1 ? 1 : stride));
      registerModule("bn2", new BatchNorm2d(width));
      registerModule("conv3", conv1x1(width, width * 4, 1));
      registerModule("bn3", new BatchNorm2d(width * 4));
      registerModule("relu", new ReLU());
      Sequential down = downsample(in, width * 4, stride);
      if (down != null) registerModule("downsample", down);
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      Module relu = children().get("relu");
      Tensor h = relu.forward(children().get("bn1").forward(children().get("conv1").forward(x)));
      h = relu.forward(children().get("bn2").forward(children().get("conv2").forward(h)));
      h = children().get("bn3").forward(children().get("conv3").forward(h));
      Module down = children().get("downsample");
      return relu.forward(h.add(down == null ? x : down.forward(x)));
    }
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    Tensor h = children().get("relu").forward(children().get("bn1").forward(children().get("conv1").forward(x)));
    h = children().get("maxpool").forward(h);
    for (int i = 1; i <= 4; i++) h = children().get("layer" + i).forward(h);
    h = children().get("avgpool").forward(h).flatten(1);
    return children().get("fc").forward(h);
  }
}

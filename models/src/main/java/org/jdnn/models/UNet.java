package org.jdnn.models;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.nn.BatchNorm2d;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.ConvTranspose2d;
import org.jdnn.nn.MaxPool2d;
import org.jdnn.nn.Module;
import org.jdnn.nn.ReLU;
import org.jdnn.nn.Sequential;
import org.jdnn.tensor.Tensor;

/**
 * U-Net (Ronneberger, Fischer and Brox 2015, "U-Net: convolutional networks for biomedical image
 * segmentation"): a contracting path of double 3x3 convolutions and 2x2 max pooling (64 to 1024
 * channels), an expanding path of 2x2 up-convolutions that halve the channels, each followed by
 * concatenation with the matching contracting feature map and a double 3x3 convolution, and a 1x1
 * convolution to the classes.
 *
 * <ul>
 *   <li>{@link #original}: the paper's valid (unpadded) convolutions, so the output is smaller than
 *       the input (572x572 in, 388x388 out) and each skip connection is centre-cropped before
 *       concatenation; 31,030,658 parameters for 1 input channel and 2 classes.
 *   <li>{@link #padded}: padding 1 on every 3x3 convolution, so the output has the input's size
 *       (any size divisible by 16), optionally with batch norm after each convolution (then without
 *       convolution bias).
 * </ul>
 * Keys: {@code down1..down4} / {@code bottleneck} / {@code up1..up4} (each {@code .conv} a
 * Sequential, {@code up*.upconv} the up-convolution), {@code head}.
 */
public final class UNet extends Module {
  private static final int[] WIDTHS = {64, 128, 256, 512, 1024};
  private final boolean padded;

  private UNet(int inChannels, int classes, boolean padded, boolean batchNorm) {
    this.padded = padded;
    int in = inChannels;
    for (int level = 0; level < 4; level++) {
      registerModule("down" + (level + 1), doubleConv(in, WIDTHS[level], padded, batchNorm));
      in = WIDTHS[level];
    }
    registerModule("pool", new MaxPool2d(2));
    registerModule("bottleneck", doubleConv(WIDTHS[3], WIDTHS[4], padded, batchNorm));
    for (int level = 3; level >= 0; level--) {
      registerModule("up" + (4 - level), new Up(WIDTHS[level + 1], WIDTHS[level], padded, batchNorm));
    }
    registerModule("head", new Conv2d(WIDTHS[0], classes, 1));
  }

  /** The paper's network: valid convolutions, crop-and-concatenate (572 -> 388). */
  public static UNet original(int inChannels, int classes) {
    return new UNet(inChannels, classes, false, false);
  }

  /** Same-size output; {@code batchNorm} adds batch norm after every 3x3 convolution. */
  public static UNet padded(int inChannels, int classes, boolean batchNorm) {
    return new UNet(inChannels, classes, true, batchNorm);
  }

  /** Two 3x3 convolutions, each followed by (batch norm and) ReLU. */
  static Sequential doubleConv(int in, int out, boolean padded, boolean batchNorm) {
    Sequential s = new Sequential();
    for (int i = 0; i < 2; i++) {
      s.add(Conv2d.builder(i == 0 ? in : out, out, 3).padding(padded ? 1 : 0).bias(!batchNorm).build());
      if (batchNorm) s.add(new BatchNorm2d(out));
      s.add(new ReLU());
    }
    return s;
  }

  /** 2x2 up-convolution halving the channels, concatenation with the skip, double convolution. */
  static final class Up extends Module {
    Up(int in, int out, boolean padded, boolean batchNorm) {
      registerModule("upconv", ConvTranspose2d.builder(in, out, 2).stride(2).build());
      registerModule("conv", doubleConv(2 * out, out, padded, batchNorm));
    }

    Tensor forward(Tensor x, Tensor skip) {
      Tensor up = children().get("upconv").forward(x);
      return children().get("conv").forward(Tensor.cat(List.of(centerCrop(skip, up.dim(2), up.dim(3)), up), 1));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      throw new IllegalArgumentException(describe() + " needs the skip connection: it is called by UNet");
    }
  }

  /** The centre {@code h x w} window of {@code (N, C, H, W)}, as the paper crops its skip connections. */
  static Tensor centerCrop(Tensor x, int h, int w) {
    int top = (x.dim(2) - h) / 2;
    int left = (x.dim(3) - w) / 2;
    if (top == 0 && left == 0 && x.dim(2) == h && x.dim(3) == w) return x;
    return x.narrow(2, top, h).narrow(3, left, w);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    if (x.rank() == 4 && padded && (x.dim(2) % 16 != 0 || x.dim(3) % 16 != 0)) {
      throw new org.jdnn.util.ShapeException("U-Net (padded) needs height and width divisible by 16; received shape "
          + x.shape());
    }
    List<Tensor> skips = new ArrayList<>();
    Tensor h = x;
    Module pool = children().get("pool");
    for (int level = 1; level <= 4; level++) {
      h = children().get("down" + level).forward(h);
      skips.add(h);
      h = pool.forward(h);
    }
    h = children().get("bottleneck").forward(h);
    for (int level = 1; level <= 4; level++) {
      h = ((Up) children().get("up" + level)).forward(h, skips.get(4 - level));
    }
    return children().get("head").forward(h);
  }
}

package org.jdnn.models;

import java.util.List;
import org.jdnn.nn.AdaptiveAvgPool2d;
import org.jdnn.nn.BatchNorm2d;
import org.jdnn.nn.BatchNormNd;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Dropout;
import org.jdnn.nn.Linear;
import org.jdnn.nn.LocalResponseNorm;
import org.jdnn.nn.MaxPool2d;
import org.jdnn.nn.Module;
import org.jdnn.nn.ReLU;
import org.jdnn.nn.Sequential;
import org.jdnn.tensor.Tensor;
import org.jdnn.train.AuxiliaryHeads;

/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014, "Going deeper with convolutions").
 *
 * <ul>
 *   <li>{@link #torchvision}: torchvision's {@code googlenet} — every convolution without bias,
 *       followed by batch norm (eps 0.001) and ReLU, and the "5x5" branch built with a 3x3 kernel as
 *       torchvision does; 6,624,904 parameters, 13,004,888 with the auxiliary classifiers.
 *   <li>{@link #paper}: the paper's Table 1 and Figure 3 — convolutions with bias and ReLU, no batch
 *       norm, local response normalisation after the first pool and after conv3, a true 5x5 branch,
 *       40% dropout; 6,998,552 parameters, 13,378,280 with the auxiliary classifiers.
 * </ul>
 * The auxiliary classifiers (after inception 4a and 4d) run in training mode only; their logits
 * are returned by {@link #forwardWithAux} and weighted 0.3 in the loss by the trainer, as the paper
 * does. {@link #forward} returns the main logits in both modes.
 */
public final class GoogLeNet extends Module implements AuxiliaryHeads {
  /** Inception blocks as the paper's Table 1: in, #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj. */
  private static final int[][] INCEPTION = {
    {192, 64, 96, 128, 16, 32, 32}, {256, 128, 128, 192, 32, 96, 64}, // 3a, 3b
    {480, 192, 96, 208, 16, 48, 64}, {512, 160, 112, 224, 24, 64, 64}, {512, 128, 128, 256, 24, 64, 64},
    {512, 112, 144, 288, 32, 64, 64}, {528, 256, 160, 320, 32, 128, 128}, // 4a-4e
    {832, 256, 160, 320, 32, 128, 128}, {832, 384, 192, 384, 48, 128, 128}, // 5a, 5b
  };
  private static final String[] NAMES = {"inception3a", "inception3b", "inception4a", "inception4b", "inception4c",
    "inception4d", "inception4e", "inception5a", "inception5b"};

  private final boolean auxLogits;

  private GoogLeNet(boolean paper, boolean auxLogits, int classes) {
    this.auxLogits = auxLogits;
    registerModule("conv1", basic(paper, 3, 64, 7, 2, 3));
    registerModule("maxpool1", pool(3, 2));
    if (paper) registerModule("lrn1", new LocalResponseNorm(5, 1e-4, 0.75, 1)); // Figure 3; torchvision drops them
    registerModule("conv2", basic(paper, 64, 64, 1, 1, 0));
    registerModule("conv3", basic(paper, 64, 192, 3, 1, 1));
    if (paper) registerModule("lrn2", new LocalResponseNorm(5, 1e-4, 0.75, 1));
    registerModule("maxpool2", pool(3, 2));
    for (int i = 0; i < INCEPTION.length; i++) {
      registerModule(NAMES[i], new Inception(paper, INCEPTION[i]));
      if (i == 1) registerModule("maxpool3", pool(3, 2));
      if (i == 6) registerModule("maxpool4", pool(2, 2));
    }
    if (auxLogits) {
      registerModule("aux1", new InceptionAux(paper, 512, classes));
      registerModule("aux2", new InceptionAux(paper, 528, classes));
    }
    registerModule("avgpool", new AdaptiveAvgPool2d(1));
    registerModule("dropout", new Dropout(paper ? 0.4 : 0.2));
    registerModule("fc", new Linear(1024, classes));
  }

  /** torchvision's layout and parameter count (batch norm, 3x3 in place of 5x5). */
  public static GoogLeNet torchvision(boolean auxLogits, int classes) {
    return new GoogLeNet(false, auxLogits, classes);
  }

  /** The paper's network: biases, no batch norm, 5x5 branch, 40% dropout. */
  public static GoogLeNet paper(boolean auxLogits, int classes) {
    return new GoogLeNet(true, auxLogits, classes);
  }

  /** torchvision: max pooling with ceil mode. */
  private static MaxPool2d pool(int k, int s) {
    return new MaxPool2d(k, s, 0, 1, true);
  }

  /** A convolution with its normalisation and ReLU: torchvision's {@code BasicConv2d}, or conv+ReLU for the paper. */
  static Module basic(boolean paper, int in, int out, int k, int stride, int padding) {
    return new BasicConv2d(paper, in, out, k, stride, padding);
  }

  /** {@code conv} (+ {@code bn}) + ReLU, keys {@code conv.weight}, {@code bn.*}. */
  static final class BasicConv2d extends Module {
    BasicConv2d(boolean paper, int in, int out, int k, int stride, int padding) {
      registerModule("conv", Conv2d.builder(in, out, k).stride(stride).padding(padding).bias(paper).build());
      if (!paper) registerModule("bn", new BatchNorm2d(out, BatchNormNd.options().eps(0.001)));
      registerModule("relu", new ReLU());
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      Tensor h = children().get("conv").forward(x);
      Module bn = children().get("bn");
      if (bn != null) h = bn.forward(h);
      return children().get("relu").forward(h);
    }
  }

  /** Four parallel branches concatenated on channels. */
  static final class Inception extends Module {
    Inception(boolean paper, int[] c) {
      int in = c[0];
      registerModule("branch1", basic(paper, in, c[1], 1, 1, 0));
      registerModule("branch2", new Sequential(basic(paper, in, c[2], 1, 1, 0), basic(paper, c[2], c[3], 3, 1, 1)));
      // torchvision uses a 3x3 here (a known deviation kept for weight compatibility); the paper a 5x5
      registerModule("branch3", new Sequential(basic(paper, in, c[4], 1, 1, 0),
          paper ? basic(true, c[4], c[5], 5, 1, 2) : basic(false, c[4], c[5], 3, 1, 1)));
      registerModule("branch4", new Sequential(new MaxPool2d(3, 1, 1, 1, true), basic(paper, in, c[6], 1, 1, 0)));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      return Tensor.cat(List.of(children().get("branch1").forward(x), children().get("branch2").forward(x),
          children().get("branch3").forward(x), children().get("branch4").forward(x)), 1);
    }
  }

  /** The auxiliary classifier: 5x5/3 average pool (adaptive 4x4), 1x1 conv 128, fc 1024, dropout 0.7, fc. */
  static final class InceptionAux extends Module {
    InceptionAux(boolean paper, int in, int classes) {
      registerModule("conv", basic(paper, in, 128, 1, 1, 0));
      registerModule("fc1", new Linear(2048, 1024));
      registerModule("fc2", new Linear(1024, classes));
      registerModule("dropout", new Dropout(0.7));
      registerModule("avgpool", new AdaptiveAvgPool2d(4));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      Tensor h = children().get("conv").forward(children().get("avgpool").forward(x)).flatten(1);
      h = children().get("fc1").forward(h).relu();
      return children().get("fc2").forward(children().get("dropout").forward(h));
    }
  }

  /** Main logits, and in training mode with auxiliary heads their logits too (else null). */
  public record Outputs(Tensor logits, Tensor aux1, Tensor aux2) {}

  public Outputs forwardWithAux(Tensor x) {
    Tensor h = children().get("maxpool1").forward(children().get("conv1").forward(x));
    if (children().containsKey("lrn1")) h = children().get("lrn1").forward(h);
    h = children().get("conv3").forward(children().get("conv2").forward(h));
    if (children().containsKey("lrn2")) h = children().get("lrn2").forward(h);
    h = children().get("maxpool2").forward(h);
    Tensor aux1 = null;
    Tensor aux2 = null;
    boolean aux = auxLogits && isTraining();
    for (int i = 0; i < NAMES.length; i++) {
      h = children().get(NAMES[i]).forward(h);
      if (i == 1) h = children().get("maxpool3").forward(h);
      if (i == 2 && aux) aux1 = children().get("aux1").forward(h);
      if (i == 5 && aux) aux2 = children().get("aux2").forward(h);
      if (i == 6) h = children().get("maxpool4").forward(h);
    }
    h = children().get("avgpool").forward(h).flatten(1);
    Tensor logits = children().get("fc").forward(children().get("dropout").forward(h));
    return new Outputs(logits, aux1, aux2);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    return forwardWithAux(x).logits();
  }

  @Override
  public Heads forwardHeads(Tensor x) {
    Outputs o = forwardWithAux(x);
    return new Heads(o.logits(), o.aux1() == null ? List.of() : List.of(o.aux1(), o.aux2()));
  }

  /** The paper: "their loss gets added to the total loss of the network with a discount weight (0.3)". */
  @Override
  public double auxLossWeight() {
    return 0.3;
  }
}

package org.jdnn.models;

import org.jdnn.nn.AdaptiveAvgPool2d;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Dropout;
import org.jdnn.nn.Flatten;
import org.jdnn.nn.Linear;
import org.jdnn.nn.LocalResponseNorm;
import org.jdnn.nn.MaxPool2d;
import org.jdnn.nn.Module;
import org.jdnn.nn.ReLU;
import org.jdnn.nn.Sequential;
import org.jdnn.tensor.Tensor;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton 2012, "ImageNet classification with deep
 * convolutional neural networks"), in two forms:
 *
 * <ul>
 *   <li>{@link #alexnet} — torchvision's single-tower form (64-192-384-256-256 filters, no LRN,
 *       adaptive 6x6 pooling before the classifier; after Krizhevsky's 2014 "One weird trick"),
 *       61,100,840 parameters, state-dict keys as torchvision's {@code alexnet}.
 *   <li>{@link #alexnetOriginal} — the 2012 paper's network on 227x227 input: 96 filters of 11x11
 *       stride 4, local response normalisation (size 5, alpha 1e-4, beta 0.75, k 2) after conv1 and
 *       conv2, and the two-GPU split as groups=2 on conv2, conv4 and conv5 (conv3 and the
 *       classifier see both towers); 60,965,224 parameters.
 * </ul>
 *
 * <pre>
 *   layer   original (227)                 torchvision (224)
 *   conv1   96@11x11/4, ReLU, LRN, pool    64@11x11/4 p2, ReLU, pool      55x55 -> 27x27
 *   conv2   256@5x5 p2 g2, ReLU, LRN, pool 192@5x5 p2, ReLU, pool          27x27 -> 13x13
 *   conv3   384@3x3 p1, ReLU               384@3x3 p1, ReLU
 *   conv4   384@3x3 p1 g2, ReLU            256@3x3 p1, ReLU
 *   conv5   256@3x3 p1 g2, ReLU, pool      256@3x3 p1, ReLU, pool          13x13 -> 6x6
 *   fc6-8   dropout, 4096, ReLU, dropout, 4096, ReLU, classes
 * </pre>
 */
public final class AlexNet extends Module {
  private AlexNet(Sequential features, boolean adaptivePool, Sequential classifier) {
    registerModule("features", features);
    if (adaptivePool) registerModule("avgpool", new AdaptiveAvgPool2d(6));
    registerModule("classifier", classifier);
  }

  /** torchvision's {@code alexnet(num_classes)}. */
  public static AlexNet alexnet(int classes) {
    Sequential features = new Sequential(
        conv(3, 64, 11, 4, 2, 1), new ReLU(), new MaxPool2d(3, 2, 0),
        conv(64, 192, 5, 1, 2, 1), new ReLU(), new MaxPool2d(3, 2, 0),
        conv(192, 384, 3, 1, 1, 1), new ReLU(),
        conv(384, 256, 3, 1, 1, 1), new ReLU(),
        conv(256, 256, 3, 1, 1, 1), new ReLU(), new MaxPool2d(3, 2, 0));
    return new AlexNet(features, true, classifier(256 * 6 * 6, classes));
  }

  /** The 2012 paper's two-tower network (expects 227x227 input). */
  public static AlexNet alexnetOriginal(int classes) {
    Sequential features = new Sequential(
        conv(3, 96, 11, 4, 0, 1), new ReLU(), lrn(), new MaxPool2d(3, 2, 0),
        conv(96, 256, 5, 1, 2, 2), new ReLU(), lrn(), new MaxPool2d(3, 2, 0),
        conv(256, 384, 3, 1, 1, 1), new ReLU(),
        conv(384, 384, 3, 1, 1, 2), new ReLU(),
        conv(384, 256, 3, 1, 1, 2), new ReLU(), new MaxPool2d(3, 2, 0));
    return new AlexNet(features, false, classifier(256 * 6 * 6, classes));
  }

  private static Sequential classifier(int in, int classes) {
    return new Sequential(new Dropout(0.5), new Linear(in, 4096), new ReLU(), new Dropout(0.5),
        new Linear(4096, 4096), new ReLU(), new Linear(4096, classes));
  }

  private static Conv2d conv(int in, int out, int k, int stride, int padding, int groups) {
    return Conv2d.builder(in, out, k).stride(stride).padding(padding).groups(groups).build();
  }

  /** The paper's normalisation: n = 5, alpha = 1e-4, beta = 0.75, k = 2 (PyTorch's alpha is divided by n, as the paper's is not; see docs/models.md). */
  private static LocalResponseNorm lrn() {
    return new LocalResponseNorm(5, 1e-4 * 5, 0.75, 2);
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    Tensor h = children().get("features").forward(x);
    Module pool = children().get("avgpool");
    if (pool != null) h = pool.forward(h);
    return children().get("classifier").forward(h.flatten(1));
  }
}

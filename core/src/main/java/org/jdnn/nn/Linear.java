package org.jdnn.nn;

import org.jdnn.ops.MatMul;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Fully connected layer {@code y = x W^T + b}, as {@code torch.nn.Linear}: weight
 * {@code (out_features, in_features)}, bias {@code (out_features)}.
 *
 * <p>Shape: input {@code (N, in_features)} or {@code (*, in_features)}; output the same with the
 * last axis {@code out_features}.
 */
public final class Linear extends Module {
  private final int inFeatures;
  private final int outFeatures;

  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true);
  }

  public Linear(int inFeatures, int outFeatures, boolean bias) {
    Check.arg(inFeatures > 0 && outFeatures > 0,
        "Linear: in_features and out_features must be positive; received %s and %s", inFeatures, outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    Tensor w = registerParameter("weight", Tensor.empty(Shape.of(outFeatures, inFeatures), DType.F32, Backends.cpu()));
    Tensor b = bias ? registerParameter("bias", Tensor.empty(Shape.of(outFeatures), DType.F32, Backends.cpu())) : null;
    Init.pytorchDefault(w, b);
  }

  public Tensor weight() {
    return param("weight");
  }

  public Tensor bias() {
    return param("bias");
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    Check.shape(x.rank() >= 1 && x.dim(-1) == inFeatures,
        "linear: input's last axis must be in_features=%s; received shape %s", inFeatures, x.shape());
    Tensor x2 = x.rank() == 2 ? x : x.reshape(-1, inFeatures);
    Tensor y = MatMul.matmul(x2, false, weight(), true);
    if (bias() != null) y = y.add(bias());
    if (x.rank() == 2) return y;
    int[] dims = x.shape().toArray();
    dims[dims.length - 1] = outFeatures;
    return y.reshape(dims);
  }

  @Override
  protected String extraRepr() {
    return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias() != null ? "True" : "False");
  }
}

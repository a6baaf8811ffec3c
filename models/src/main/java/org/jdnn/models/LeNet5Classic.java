package org.jdnn.models;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.nn.Conv2d;
import org.jdnn.nn.Init;
import org.jdnn.nn.Linear;
import org.jdnn.nn.Module;
import org.jdnn.ops.Convolution;
import org.jdnn.ops.Pooling;
import org.jdnn.spi.Backends;
import org.jdnn.spi.PoolGeometry;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;

/**
 * LeNet-5 as LeCun, Bottou, Bengio and Haffner published it (1998, "Gradient-based learning applied
 * to document recognition", Section II.B), on 32x32 single-channel input:
 *
 * <pre>
 *   C1  6@5x5 convolution                 6x28x28    156 parameters
 *   S2  2x2 subsampling: sum x coefficient + bias per map    6x14x14     12
 *   C3  16@5x5 convolution, partial connections (Table I: 60 of the 96 map pairs)   16x10x10   1,516
 *   S4  2x2 subsampling                   16x5x5      32
 *   C5  120@5x5 convolution               120x1x1  48,120
 *   F6  84 units                                   10,164
 *   output: 10 Euclidean RBF units over F6 (fixed codes, not trained)        840 frozen
 * </pre>
 * Every unit up to F6 applies the scaled tanh {@code f(a) = 1.7159 tanh(2a/3)}; 60,000 trainable
 * parameters in all, as the paper states.
 *
 * <p>Documented deviations: the RBF centres are fixed random +-1 codes (seeded), not the paper's
 * hand-drawn 7x12 bitmaps, and the forward returns {@code -distance^2} as logits so that
 * cross-entropy can train it (the paper uses its MAP criterion). Weights are initialised uniformly
 * in {@code +-2.4 / fan_in} as in the paper's Appendix.
 */
public final class LeNet5Classic extends Module {
  /** Table I: the S2 maps each C3 map reads. */
  static final int[][] C3_TABLE = {
    {0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 0}, {5, 0, 1},
    {0, 1, 2, 3}, {1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 5, 0}, {4, 5, 0, 1}, {5, 0, 1, 2},
    {0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5},
    {0, 1, 2, 3, 4, 5}
  };
  private static final double A = 1.7159;
  private static final double S = 2.0 / 3.0;

  public LeNet5Classic() {
    registerModule("c1", new Conv2d(1, 6, 5));
    registerModule("s2", new Subsampling(6));
    registerModule("c3", new PartialConv(C3_TABLE, 5));
    registerModule("s4", new Subsampling(16));
    registerModule("c5", new Conv2d(16, 120, 5));
    registerModule("f6", new Linear(120, 84));
    registerModule("output", new EuclideanRbf(84, 10, 0x1998L));
    int[] fanIns = {25, 16 * 25, 120}; // inputs of one unit of C1, C5, F6
    String[] layers = {"c1", "c5", "f6"};
    for (int i = 0; i < layers.length; i++) {
      for (Tensor p : children().get(layers[i]).ownParameters().values()) paperInit(p, fanIns[i]);
    }
  }

  /** The paper's Appendix: uniform in {@code +-2.4 / F_i}, F_i the number of inputs of the unit. */
  private static void paperInit(Tensor t, int fanIn) {
    Init.uniform(t, -2.4 / fanIn, 2.4 / fanIn);
  }

  static Tensor squash(Tensor a) {
    return a.mul(S).tanh().mul(A);
  }

  /** 2x2 subsampling with a trainable coefficient and bias per map: {@code coef * (x1+x2+x3+x4) + bias}. */
  static final class Subsampling extends Module {
    private final int maps;

    Subsampling(int maps) {
      this.maps = maps;
      Tensor coef = registerParameter("weight", Tensor.empty(Shape.of(maps), DType.F32, Backends.cpu()));
      Tensor bias = registerParameter("bias", Tensor.empty(Shape.of(maps), DType.F32, Backends.cpu()));
      paperInit(coef, 4);
      paperInit(bias, 4);
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      Tensor sum = Pooling.pool(PoolGeometry.Mode.AVG_INCLUDE_PAD, x, new int[] {2, 2}, new int[] {2, 2},
          new int[] {0, 0}, new int[] {1, 1}, false).mul(4.0);
      return sum.mul(param("weight").reshape(1, maps, 1, 1)).add(param("bias").reshape(1, maps, 1, 1));
    }
  }

  /**
   * A convolution whose output map {@code i} reads only the input maps {@code table[i]}: weight
   * {@code (sum of |table[i]|, k, k)} (one k x k kernel per connection), bias per output map.
   */
  static final class PartialConv extends Module {
    private final int[][] table;
    private final int k;

    PartialConv(int[][] table, int k) {
      this.table = table;
      this.k = k;
      int links = 0;
      for (int[] row : table) links += row.length;
      // Each unit of map i has |table[i]| * k * k inputs: the paper's bound depends on the map.
      float[] w = new float[links * k * k];
      float[] b = new float[table.length];
      long seed = Generator.getDefault().nextSeed();
      int at = 0;
      for (int i = 0; i < table.length; i++) {
        double bound = 2.4 / (table[i].length * k * k);
        for (int j = 0; j < table[i].length * k * k; j++, at++) w[at] = (float) ((2 * Generator.uniform(seed, at) - 1) * bound);
        b[i] = (float) ((2 * Generator.uniform(~seed, i) - 1) * bound);
      }
      registerParameter("weight", Tensor.of(w, links, k, k));
      registerParameter("bias", Tensor.of(b, table.length));
    }

    @Override
    protected Tensor forwardImpl(Tensor x) {
      if (x.rank() != 4) throw new ShapeException("partial convolution: input must be (N, C, H, W); received " + x.shape());
      List<Tensor> outputs = new ArrayList<>();
      Tensor w = param("weight");
      Tensor b = param("bias");
      int offset = 0;
      for (int i = 0; i < table.length; i++) {
        List<Tensor> inputs = new ArrayList<>();
        for (int c : table[i]) inputs.add(x.narrow(1, c, 1));
        Tensor xi = Tensor.cat(inputs, 1);
        Tensor wi = w.slice(offset, offset + table[i].length).reshape(1, table[i].length, k, k);
        Tensor bi = b.narrow(0, i, 1);
        outputs.add(Convolution.conv(xi, wi, bi, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1));
        offset += table[i].length;
      }
      return Tensor.cat(outputs, 1);
    }
  }

  /** {@code y_i = sum_j (x_j - c_ij)^2} with fixed +-1 centres {@code c} (a frozen parameter). */
  static final class EuclideanRbf extends Module {
    EuclideanRbf(int in, int classes, long seed) {
      float[] codes = new float[classes * in];
      for (int i = 0; i < codes.length; i++) codes[i] = Generator.uniform(seed, i) < 0.5 ? -1f : 1f;
      Tensor c = registerParameter("weight", Tensor.of(codes, classes, in));
      c.requiresGrad(false);
    }

    /** Logits {@code -||x - c_i||^2 = 2 x.c_i - |x|^2 - |c_i|^2}. */
    @Override
    protected Tensor forwardImpl(Tensor x) {
      Tensor c = param("weight");
      Tensor cross = x.matmul(c.transpose(0, 1)).mul(2.0);
      Tensor xx = x.square().sum(new int[] {1}, true);
      Tensor cc = c.square().sum(new int[] {1}, false);
      return cross.sub(xx).sub(cc);
    }
  }

  @Override
  protected Tensor forwardImpl(Tensor x) {
    if (x.rank() != 4 || x.dim(1) != 1 || x.dim(2) != 32 || x.dim(3) != 32) {
      throw new ShapeException("LeNet-5 (1998) expects input (N, 1, 32, 32); received shape " + x.shape());
    }
    Tensor h = squash(children().get("c1").forward(x));
    h = squash(children().get("s2").forward(h));
    h = squash(children().get("c3").forward(h));
    h = squash(children().get("s4").forward(h));
    h = squash(children().get("c5").forward(h)).flatten(1);
    h = squash(children().get("f6").forward(h));
    return children().get("output").forward(h);
  }
}

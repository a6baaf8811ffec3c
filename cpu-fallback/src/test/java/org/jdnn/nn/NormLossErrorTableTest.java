package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdnn.ops.Losses;
import org.jdnn.ops.Losses.DiceMode;
import org.jdnn.ops.Normalization;
import org.jdnn.ops.Reduction;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.ShapeException;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad calls to the normalisation, dropout, activation and loss APIs, each with the exception and
 * the message it must give: the layer or loss and the argument, the rule, and the value received.
 */
class NormLossErrorTableTest {
  record Bad(String name, Class<? extends Throwable> type, String pattern, Executable call) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Bad bad(String name, Class<? extends Throwable> type, String pattern, Executable call) {
    return new Bad(name, type, pattern, call);
  }

  static final Class<ShapeException> SHAPE = ShapeException.class;
  static final Class<IllegalArgumentException> ARG = IllegalArgumentException.class;

  static Tensor f(int... dims) {
    return Tensor.zeros(dims);
  }

  static Tensor labels(long... values) {
    return Tensor.of(values, values.length);
  }

  static Stream<Bad> cases() {
    Tensor nanTarget = Tensor.of(new float[] {1, 0, Float.NaN, 0}, 1, 1, 2, 2);
    return Stream.of(
        // Batch norm
        bad("BatchNorm2d with 4 channels for 3", SHAPE,
            "BatchNorm2d: input must have num_features=3 channels at axis 1; received shape \\[2, 4, 5, 5\\]"
                + " \\(layer BatchNorm2d\\)",
            () -> new BatchNorm2d(3).forward(f(2, 4, 5, 5))),
        bad("BatchNorm1d training on one value per channel", SHAPE,
            "BatchNorm1d: expected more than 1 value per channel when training; received input of shape \\[1, 4\\]",
            () -> new BatchNorm1d(4).forward(f(1, 4))),
        bad("batch_norm with track_running_stats off, batch 1 in eval", SHAPE,
            "batch_norm: expected more than 1 value per channel when training; received input of shape \\[1, 3\\]"
                + " \\(1 value per channel\\)",
            () -> new BatchNorm1d(3, BatchNormNd.options().trackRunningStats(false)).eval().forward(f(1, 3))),
        bad("BatchNorm1d on a 4-d input", SHAPE,
            "BatchNorm1d: expected a 2-d or 3-d input \\(N, C\\) or \\(N, C, L\\); received shape \\[2, 3, 4, 4\\]",
            () -> new BatchNorm1d(3).forward(f(2, 3, 4, 4))),
        bad("BatchNorm2d with 0 features", ARG, "BatchNorm2d: num_features must be positive; received 0",
            () -> new BatchNorm2d(0)),
        bad("batch_norm weight of the wrong size", SHAPE,
            "batch_norm: weight must have shape \\[3\\] \\(one value per channel of the input \\[2, 3\\]\\); "
                + "received \\[4\\]",
            () -> Normalization.batchNorm(f(2, 3), null, null, f(4), null, true, 0.1, 1e-5)),
        bad("batch_norm in eval without running statistics", ARG,
            "batch_norm: evaluation \\(training=false\\) normalises with the running statistics, but none were given",
            () -> Normalization.batchNorm(f(2, 3), null, null, null, null, false, 0.1, 1e-5)),
        // LRN
        bad("LocalResponseNorm on (N, C)", SHAPE,
            "local_response_norm: input must have shape \\(N, C, \\*\\) with at least one spatial axis, rank >= 3; "
                + "received shape \\[2, 4\\] \\(layer LocalResponseNorm\\)",
            () -> new LocalResponseNorm(3).forward(f(2, 4))),
        bad("LocalResponseNorm size 0", ARG, "LocalResponseNorm: size must be >= 1; received 0",
            () -> new LocalResponseNorm(0)),
        // Dropout
        bad("Dropout p 1.5", ARG, "Dropout: dropout probability p must be in \\[0, 1\\]; received 1.5",
            () -> new Dropout(1.5)),
        bad("Dropout3d p -0.5", ARG, "Dropout3d: dropout probability p must be in \\[0, 1\\]; received -0.5",
            () -> new Dropout3d(-0.5)),
        bad("dropout p NaN", ARG, "dropout: dropout probability p must be in \\[0, 1\\]; received NaN",
            () -> Functional.dropout(f(3), Double.NaN, true)),
        bad("Dropout2d on (N, C, L)", SHAPE,
            "dropout2d: input must have shape \\(N, C, H, W\\), rank 4; received shape \\[2, 3, 4\\] "
                + "\\(layer Dropout2d\\)",
            () -> new Dropout2d().forward(f(2, 3, 4))),
        // Activations
        bad("Hardtanh min = max", ARG,
            "Hardtanh: max_val must be greater than min_val; received min_val=2.0, max_val=-2.0",
            () -> new Hardtanh(2, -2)),
        // Cross-entropy and NLL
        bad("cross_entropy target out of range", ARG,
            "cross_entropy: target value 5 at \\[1\\] is not a class index in \\[0, 3\\) \\(3 classes\\) nor "
                + "ignore_index -100",
            () -> new CrossEntropyLoss().forward(f(2, 3), labels(0, 5))),
        bad("cross_entropy negative target", ARG,
            "cross_entropy: target value -1 at \\[0, 1, 0\\] is not a class index in \\[0, 4\\)",
            () -> new CrossEntropyLoss().forward(f(1, 4, 2, 2), Tensor.of(new long[] {0, 0, -1, 0}, 1, 2, 2))),
        bad("cross_entropy float target", ARG,
            "cross_entropy: target must hold integer class indices \\(I64, I32 or U8\\); received F32",
            () -> new CrossEntropyLoss().forward(f(2, 3), f(2))),
        bad("cross_entropy target of the wrong shape", SHAPE,
            "cross_entropy: target must have shape \\[2, 5, 5\\] \\(the input \\[2, 3, 5, 5\\] without its class "
                + "axis 1\\); received \\[2, 5\\]",
            () -> new CrossEntropyLoss().forward(f(2, 3, 5, 5), Tensor.of(new long[10], 2, 5))),
        bad("cross_entropy weight for the wrong number of classes", SHAPE,
            "cross_entropy: weight must have shape \\[3\\] \\(one per class\\); received \\[4\\]",
            () -> CrossEntropyLoss.builder().weight(f(4)).build().forward(f(2, 3), labels(0, 1))),
        bad("CrossEntropyLoss label smoothing 1.5", ARG,
            "CrossEntropyLoss: label_smoothing must be in \\[0, 1\\]; received 1.5",
            () -> CrossEntropyLoss.builder().labelSmoothing(1.5).build()),
        bad("nll_loss on an unbatched input with a batched target", SHAPE,
            "nll_loss: target must have shape \\[\\] \\(the input \\[3\\] without its class axis 1\\); "
                + "received \\[1\\]",
            () -> new NLLLoss().forward(f(3), labels(1))),
        // Dice
        bad("Dice with NaN in the target", ARG,
            "dice_loss: target contains NaN at \\[0, 0, 1, 0\\]; it must hold values in \\[0, 1\\]",
            () -> DiceLoss.builder().mode(DiceMode.MULTILABEL).build().forward(f(1, 1, 2, 2), nanTarget)),
        bad("Dice with a target of 2", ARG, "dice_loss: target must hold values in \\[0, 1\\]; received 2.0 at \\[1\\]",
            () -> DiceLoss.builder().mode(DiceMode.BINARY).build().forward(f(2), Tensor.of(new float[] {0, 2}, 2))),
        bad("Dice class index out of range", ARG,
            "dice_loss: target value 3 at \\[0, 1\\] is not a class index in \\[0, 3\\) \\(3 classes\\)$",
            () -> new DiceLoss().forward(f(1, 3, 2), Tensor.of(new long[] {0, 3}, 1, 2))),
        bad("Dice negative smooth", ARG, "DiceLoss: smooth must be finite and >= 0; received -1.0",
            () -> DiceLoss.builder().smooth(-1).build()),
        // Point-wise losses
        bad("MSE of mismatched shapes", SHAPE,
            "mse_loss: target must have the input's shape \\[3, 4\\]; received \\[4\\]",
            () -> new MSELoss().forward(f(3, 4), f(4))),
        bad("L1 of mismatched dtypes", ARG, "l1_loss: target must have the input's dtype F32; received F64",
            () -> new L1Loss().forward(f(3), f(3).to(org.jdnn.tensor.DType.F64))),
        bad("BCE of mismatched shapes", SHAPE,
            "binary_cross_entropy: target must have the input's shape \\[2, 3\\]; received \\[3, 2\\]",
            () -> new BCELoss().forward(f(2, 3), f(3, 2))),
        bad("BCE of an input outside [0, 1]", ARG,
            "binary_cross_entropy: input must hold values in \\[0, 1\\]; received 1.5 at \\[1\\]",
            () -> new BCELoss().forward(Tensor.of(new float[] {0.5f, 1.5f}, 2), f(2))),
        bad("BCE with logits, integer target", ARG,
            "binary_cross_entropy_with_logits: target must be floating point \\(F32 or F64\\); received I64",
            () -> new BCEWithLogitsLoss().forward(f(2), labels(0, 1))),
        bad("BCE with logits, pos_weight not broadcastable", SHAPE,
            "binary_cross_entropy_with_logits: pos_weight must broadcast to the input's shape \\[4, 3\\]; "
                + "received \\[4\\]",
            () -> new BCEWithLogitsLoss(null, f(4), Reduction.MEAN).forward(f(4, 3), f(4, 3))),
        bad("smooth L1 with a negative beta", ARG, "SmoothL1Loss: beta must be finite and >= 0; received -1.0",
            () -> new SmoothL1Loss(-1, Reduction.MEAN)),
        bad("smooth_l1_loss with a negative beta", ARG, "smooth_l1_loss: beta must be finite and >= 0; received -0.5",
            () -> Losses.smoothL1Loss(f(2), f(2), -0.5, Reduction.SUM)),
        bad("a loss without a reduction", ARG, "MSELoss: reduction must be MEAN, SUM or NONE; received null",
            () -> new MSELoss(null)),
        // Init
        bad("orthogonal of a vector", SHAPE,
            "orthogonal: only tensors with 2 or more dimensions are supported; received \\[5\\]",
            () -> Init.orthogonal(f(5), 1)),
        bad("xavier of a vector", SHAPE, "fan_in needs a weight of rank >= 2; received \\[5\\]",
            () -> Init.xavierUniform(f(5), 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithAMessageNamingArgumentRuleAndValue(Bad b) {
    Throwable e = assertThrows(b.type(), b.call(), b.name());
    assertTrue(Pattern.compile(b.pattern()).matcher(e.getMessage()).find(),
        b.name() + ": message \"" + e.getMessage() + "\" does not match /" + b.pattern() + "/");
  }
}

package org.jdnn.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdnn.ops.Movement;
import org.jdnn.ops.Pooling;
import org.jdnn.spi.PadMode;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad calls and the messages they must produce: each names the layer or argument, the rule and
 * the value received (the error half of the op-set's table-driven cases).
 */
class LayerErrorTableTest {
  /** A call that must fail with {@code type} and a message matching {@code pattern}. */
  record BadCall(String name, Class<? extends RuntimeException> type, String pattern, Supplier<Object> call) {
    @Override
    public String toString() {
      return name;
    }
  }

  static BadCall bad(String name, String pattern, Supplier<Object> call) {
    return new BadCall(name, IllegalArgumentException.class, pattern, call);
  }

  static Stream<BadCall> cases() {
    return Stream.of(
        bad("conv: input channels differ from the weight's", "input channels must equal weight in_channels/groups \\(3\\).*received input of shape \\[2, 4, 8, 8\\].*layer `0` \\(Conv2d\\)",
            () -> new Sequential(new Conv2d(3, 8, 3)).forward(Tensor.zeros(2, 4, 8, 8))),
        bad("conv: groups do not divide the channels", "Conv2d: in_channels \\(6\\) and out_channels \\(8\\) must be divisible by groups \\(4\\)",
            () -> Conv2d.builder(6, 8, 3).groups(4).build()),
        bad("conv: kernel larger than the padded input", "conv2d: kernel .*larger than the padded input; input shape \\[1, 1, 4, 4\\]",
            () -> new Conv2d(1, 1, 7).forward(Tensor.zeros(1, 1, 4, 4))),
        bad("conv: negative stride", "Conv2d: kernel_size, stride and dilation must be positive; received \\[3, 3\\], \\[-1, -1\\]",
            () -> Conv2d.builder(1, 1, 3).stride(-1).build()),
        bad("conv: wrong rank", "conv2d: input must have rank 4 \\(N, C, H, W\\); received shape \\[1, 28, 28\\]",
            () -> new Conv2d(1, 6, 5).forward(Tensor.zeros(1, 28, 28))),
        bad("conv1d: wrong rank", "conv1d: input must have rank 3 \\(N, C, L\\); received shape \\[2, 3, 8, 8\\]",
            () -> new Conv1d(3, 4, 3).forward(Tensor.zeros(2, 3, 8, 8))),
        bad("conv: 'same' with stride 2", "padding='same' is not supported for strided convolutions; received stride \\[2, 2\\]",
            () -> Conv2d.builder(1, 1, 3).stride(2).padding("same").build()),
        bad("conv: unknown padding mode", "padding_mode must be one of zeros, reflect, replicate, circular; received 'mirror'",
            () -> Conv2d.builder(1, 1, 3).paddingMode("mirror")),
        bad("conv: reflect padding as large as the input", "reflect padding must be smaller than the padded axis; axis 3 has size 3",
            () -> Conv2d.builder(1, 1, 3).padding(3).paddingMode("reflect").build().forward(Tensor.zeros(1, 1, 5, 3))),
        bad("conv transpose: output_padding too large", "output_padding must be smaller than either stride or dilation; received output_padding \\[2, 2\\], stride \\[2, 2\\]",
            () -> ConvTranspose2d.builder(4, 2, 3).stride(2).outputPadding(2).build()),
        bad("conv transpose: channel mismatch", "conv_transpose2d: input channels must equal the weight's first axis \\(4\\).*received input of shape \\[1, 3, 5, 5\\]",
            () -> ConvTranspose2d.builder(4, 2, 2).stride(2).build().forward(Tensor.zeros(1, 3, 5, 5))),
        bad("pool: window larger than the input", "max_pool2d: window .*larger than the padded input; input shape \\[1, 1, 2, 2\\]",
            () -> new MaxPool2d(3).forward(Tensor.zeros(1, 1, 2, 2))),
        bad("pool: padding above half the kernel", "padding must be between 0 and half the window size; received padding \\[2, 2\\], kernel \\[3, 3\\]",
            () -> new MaxPool2d(3, 1, 2).forward(Tensor.zeros(1, 1, 8, 8))),
        bad("pool: wrong rank", "max_pool3d: input must have rank 5 \\(N, C, D, H, W\\); received shape \\[1, 2, 4, 4\\]",
            () -> new MaxPool3d(2).forward(Tensor.zeros(1, 2, 4, 4))),
        bad("unpool: index out of range", "max_unpool2d: index 99 at position 0 is out of range for an output plane of 16 elements",
            () -> Pooling.maxUnpool(Tensor.ones(1, 1, 2, 2), Tensor.of(new long[] {99, 1, 2, 3}, 1, 1, 2, 2), new int[] {4, 4})),
        bad("unpool: indices of the wrong shape", "max_unpool2d: indices must have the input's shape \\[1, 1, 2, 2\\]; received \\[1, 1, 4\\]",
            () -> Pooling.maxUnpool(Tensor.ones(1, 1, 2, 2), Tensor.of(new long[] {0, 1, 2, 3}, 1, 1, 4), new int[] {4, 4})),
        bad("unpool layer without indices", "`0` \\(MaxUnpool2d\\) needs the pooling indices: call forward\\(x, indices\\)",
            () -> new Sequential(new MaxUnpool2d(2)).forward(Tensor.ones(1, 1, 2, 2))),
        bad("adaptive pool: zero output size", "AdaptiveAvgPool2d: output_size must be positive; received \\[0\\]",
            () -> new AdaptiveAvgPool2d(0)),
        bad("upsample: mode and rank disagree", "upsample: mode bilinear needs input of rank 4; received shape \\[1, 2, 8\\]",
            () -> Upsample.scale(2, "bilinear", false).forward(Tensor.zeros(1, 2, 8))),
        bad("upsample: align_corners with nearest", "align_corners applies to linear modes only",
            () -> Upsample.scale(2, "nearest", true)),
        bad("pad: odd number of values", "pad: needs \\(before, after\\) pairs for at most 2 axes; received \\[1, 2, 3\\]",
            () -> Movement.pad(Tensor.zeros(2, 3), new int[] {1, 2, 3}, PadMode.CONSTANT, 0)),
        bad("concat: mismatched shapes", "concat: tensors must match in every axis but 1; tensor 0 has shape \\[2, 3\\], tensor 1 has \\[3, 3\\]",
            () -> Tensor.cat(java.util.List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3)), 1)),
        bad("permute: not a permutation", "permute: axes must be a permutation of 0..2; received \\[0, 0, 1\\]",
            () -> Tensor.zeros(2, 3, 4).permute(0, 0, 1)),
        bad("narrow: out of range", "narrow: range \\[2, 5\\) is out of bounds for axis 1 of size 4",
            () -> Tensor.zeros(2, 4).narrow(1, 2, 3)),
        bad("var: one element", "var: the unbiased variance needs more than one element per group",
            () -> Tensor.zeros(3, 1).var(new int[] {1}, true, false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithAClearMessage(BadCall c) {
    RuntimeException e = assertThrows(c.type(), c.call()::get, c.name() + " did not fail");
    assertTrue(Pattern.compile(c.pattern()).matcher(e.getMessage()).find(),
        c.name() + ": message\n  " + e.getMessage() + "\ndoes not match\n  " + c.pattern());
  }
}

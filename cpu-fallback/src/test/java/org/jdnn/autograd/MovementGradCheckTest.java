package org.jdnn.autograd;

import static org.jdnn.autograd.GradCheckTest.a;
import static org.jdnn.autograd.GradCheckTest.away;
import static org.jdnn.autograd.GradCheckTest.c;
import static org.jdnn.autograd.GradCheckTest.distinct;
import static org.jdnn.autograd.GradCheckTest.n;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jdnn.autograd.GradCheckTest.GradCase;
import org.jdnn.ops.Convolution;
import org.jdnn.ops.Movement;
import org.jdnn.ops.Pooling;
import org.jdnn.ops.Reductions;
import org.jdnn.ops.Upsampling;
import org.jdnn.spi.PadMode;
import org.jdnn.spi.UpsampleMode;
import org.jdnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks (F64 central differences, {@link GradCheck}) of the op set's data movement,
 * padding modes, convolution variants, pooling variants and upsampling.
 */
class MovementGradCheckTest {
  static Stream<GradCase> cases() {
    List<GradCase> cases = new ArrayList<>();

    // Rearranging.
    cases.add(c("permute (0, 2, 3, 1)", in -> Movement.permute(in[0], 0, 2, 3, 1).mul(in[1]), n(2, 3, 2, 4), n(3)));
    cases.add(c("transpose(0, 1) then matmul", in -> Movement.transpose(in[0], 0, 1).matmul(in[1]), n(4, 3), n(4, 2)));
    cases.add(c("narrow axis 1 [1, 3)", in -> Movement.narrow(in[0], 1, 1, 2), n(2, 4, 3)));
    cases.add(c("concat axis 1 of three", in -> Movement.concat(List.of(in[0], in[1], in[2]), 1),
        n(2, 1, 3), n(2, 4, 3), n(2, 2, 3)));
    cases.add(c("concat the same tensor twice", in -> Movement.concat(List.of(in[0], in[0].mul(2.0)), 0), n(2, 3)));
    cases.add(c("split axis 0 (1, 3) and recombine", in -> {
      List<Tensor> parts = Movement.split(in[0], 0, 1, 3);
      return parts.get(1).mul(parts.get(0));
    }, n(4, 3)));
    cases.add(c("where with broadcast condition", in -> {
      Tensor cond = Tensor.fromArray(new double[] {1, 0, 1}, 3, org.jdnn.tensor.DType.F64, a(3), in[0].backend());
      return Movement.where(cond, in[0], in[1]);
    }, n(2, 3), n(1)));

    // Reductions and clamps added by the op set.
    cases.add(c("max over axis 1 (amax)", in -> in[0].max(a(1), false), distinct(3, 5)));
    cases.add(c("max over all axes, keeping dims", in -> in[0].max(a(0, 1, 2), true), distinct(2, 3, 4)));
    cases.add(c("var over axis 1 unbiased", in -> Reductions.var(in[0], a(1), true, false), n(3, 5)));
    cases.add(c("var over axes (0, 2) biased, keep dims", in -> Reductions.var(in[0], a(0, 2), false, true), n(2, 3, 4)));
    cases.add(c("clamp(-0.5, 0.7)", in -> in[0].clamp(-0.5, 0.7), away(3, 5)));
    cases.add(c("clamp min only", in -> in[0].clamp(0.1, Double.NaN), away(3, 5)));

    // Padding modes, 1-d to 3-d.
    for (PadMode m : PadMode.values()) {
      cases.add(c("pad " + m + " 1-d (2, 3)", in -> Movement.pad(in[0], a(2, 3), m, 0.25), n(2, 2, 5)));
      cases.add(c("pad " + m + " 2-d (1, 2, 2, 0)", in -> Movement.pad(in[0], a(1, 2, 2, 0), m, 0), n(1, 2, 4, 3)));
      cases.add(c("pad " + m + " 3-d", in -> Movement.pad(in[0], a(1, 0, 0, 2, 1, 1), m, 0), n(1, 1, 3, 3, 3)));
    }

    // Convolution padding modes and per-side padding, and transposed convolution.
    for (PadMode m : PadMode.values()) {
      cases.add(c("conv2d padding mode " + m + " per side (1,0)/(2,1)", in -> Convolution.conv(in[0], in[1], in[2],
          a(1, 1), a(1, 0), a(2, 1), m, a(1, 1), 1), n(2, 2, 4, 4), n(3, 2, 3, 3), n(3)));
    }
    cases.add(c("conv1d reflect, stride 2", in -> Convolution.conv(in[0], in[1], null, a(2), a(2), a(2), PadMode.REFLECT,
        a(1), 1), n(2, 2, 7), n(3, 2, 3)));
    cases.add(c("conv_transpose2d stride 2", in -> Convolution.convTranspose(in[0], in[1], in[2], a(2, 2), a(0, 0),
        a(0, 0), a(1, 1), 1), n(2, 3, 3, 3), n(3, 2, 2, 2), n(2)));
    cases.add(c("conv_transpose2d stride 2 padding 1 output_padding 1", in -> Convolution.convTranspose(in[0], in[1],
        in[2], a(2, 2), a(1, 1), a(1, 1), a(1, 1), 1), n(1, 2, 3, 4), n(2, 3, 3, 3), n(3)));
    cases.add(c("conv_transpose2d groups 2, dilation 2, no bias", in -> Convolution.convTranspose(in[0], in[1], null,
        a(1, 1), a(1, 1), a(0, 0), a(2, 2), 2), n(2, 4, 3, 3), n(4, 1, 3, 3)));
    cases.add(c("conv_transpose1d stride 3", in -> Convolution.convTranspose(in[0], in[1], in[2], a(3), a(1), a(2),
        a(1), 1), n(2, 2, 4), n(2, 3, 3), n(3)));
    cases.add(c("conv_transpose3d stride 2", in -> Convolution.convTranspose(in[0], in[1], in[2], a(2, 2, 2),
        a(0, 0, 0), a(1, 0, 1), a(1, 1, 1), 1), n(1, 2, 2, 2, 2), n(2, 2, 2, 2, 2), n(2)));

    // Pooling variants.
    cases.add(c("max pool with indices then unpool", in -> {
      Pooling.WithIndices p = Pooling.maxPoolWithIndices(in[0], a(2, 2), a(2, 2), a(0, 0), a(1, 1), false);
      return Pooling.maxUnpool(p.values(), p.indices(), a(6, 6));
    }, distinct(2, 2, 6, 6)));
    // Windows must not overlap: an element that is the maximum of two windows gets two gradients
    // but one value (in PyTorch as here), so unpooling is not differentiable there.
    cases.add(c("unpool 1-d, last element dropped by the pooling", in -> {
      Pooling.WithIndices p = Pooling.maxPoolWithIndices(in[0], a(2), a(2), a(0), a(1), false);
      return Pooling.maxUnpool(p.values().mul(in[1]), p.indices(), a(9));
    }, distinct(2, 2, 9), n(1)));
    cases.add(c("unpool 3-d", in -> {
      Pooling.WithIndices p = Pooling.maxPoolWithIndices(in[0], a(2, 2, 2), a(2, 2, 2), a(0, 0, 0), a(1, 1, 1), false);
      return Pooling.maxUnpool(p.values(), p.indices(), a(4, 4, 4));
    }, distinct(1, 2, 4, 4, 4)));
    for (boolean max : new boolean[] {false, true}) {
      String k = max ? "max" : "avg";
      cases.add(c("adaptive " + k + " 2-d (7, 5) -> (3, 2)", in -> Pooling.adaptivePool(max, in[0], a(3, 2)),
          max ? distinct(2, 2, 7, 5) : n(2, 2, 7, 5)));
      cases.add(c("adaptive " + k + " 1-d 5 -> 7", in -> Pooling.adaptivePool(max, in[0], a(7)),
          max ? distinct(1, 2, 5) : n(1, 2, 5)));
      cases.add(c("adaptive " + k + " 3-d", in -> Pooling.adaptivePool(max, in[0], a(2, 1, 3)),
          max ? distinct(1, 2, 3, 4, 5) : n(1, 2, 3, 4, 5)));
      cases.add(c("global " + k, in -> Pooling.globalPool(max, in[0]), max ? distinct(2, 3, 4, 4) : n(2, 3, 4, 4)));
    }

    // Upsampling.
    for (boolean align : new boolean[] {false, true}) {
      cases.add(c("bilinear (3, 4) -> (7, 9) align " + align,
          in -> Upsampling.interpolate(in[0], a(7, 9), UpsampleMode.LINEAR, align), n(2, 2, 3, 4)));
      cases.add(c("linear 5 -> 3 align " + align, in -> Upsampling.interpolate(in[0], a(3), UpsampleMode.LINEAR, align),
          n(1, 2, 5)));
      cases.add(c("trilinear (2, 3, 2) -> (4, 4, 5) align " + align,
          in -> Upsampling.interpolate(in[0], a(4, 4, 5), UpsampleMode.LINEAR, align), n(1, 1, 2, 3, 2)));
    }
    cases.add(c("nearest x2", in -> Upsampling.interpolate(in[0], a(6, 8), UpsampleMode.NEAREST, false), n(1, 2, 3, 4)));
    cases.add(c("nearest (5, 5) -> (3, 7)", in -> Upsampling.interpolate(in[0], a(3, 7), UpsampleMode.NEAREST, false),
        n(1, 2, 5, 5)));
    cases.add(c("nearest 3-d", in -> Upsampling.interpolate(in[0], a(4, 3, 6), UpsampleMode.NEAREST, false),
        n(1, 1, 2, 3, 3)));

    // A decoder step composed from these: upsample, concatenate a skip connection, convolve.
    cases.add(c("U-Net step: up-conv, crop-free concat, conv, relu-free", in -> {
      Tensor up = Convolution.convTranspose(in[0], in[1], null, a(2, 2), a(0, 0), a(0, 0), a(1, 1), 1);
      Tensor cat = Movement.concat(List.of(up, in[2]), 1);
      return Convolution.conv(cat, in[3], null, a(1, 1), a(1, 1), a(1, 1), 1);
    }, n(1, 2, 2, 2), n(2, 1, 2, 2), n(1, 1, 4, 4), n(2, 2, 3, 3)));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesCentralDifferences(GradCase c) {
    Random r = new Random(c.name().hashCode());
    Tensor[] inputs = c.inputs().stream().map(in -> GradCheckTest.make(in, r)).toArray(Tensor[]::new);
    GradCheck.of(c.name()).check(c.f(), inputs);
  }

}

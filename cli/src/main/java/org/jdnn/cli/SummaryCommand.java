package org.jdnn.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jdnn.models.Models;
import org.jdnn.nn.Summary;
import org.jdnn.tensor.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdnn summary lenet5 [--input 1x32x32]}: the per-layer table of a zoo model. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print a model's per-layer table: output shape, parameters, MACs, memory, receptive field, jump.")
final class SummaryCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model: ${COMPLETION-CANDIDATES}.",
      completionCandidates = TrainCommand.ModelNames.class)
  String model;

  @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape per image (default: the model's).")
  String input;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    Models.Entry entry;
    try {
      entry = Models.get(model);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    Shape shape = input == null ? entry.inputShape() : parse(cl, input);
    cl.getOut().print(Summary.of(entry.builder().get(), shape));
    cl.getOut().flush();
    return 0;
  }

  private static Shape parse(CommandLine cl, String s) {
    try {
      int[] dims = Arrays.stream(s.toLowerCase().split("x")).mapToInt(Integer::parseInt).toArray();
      for (int d : dims) if (d <= 0) throw new NumberFormatException();
      return Shape.of(dims);
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(cl, "--input must look like 3x224x224 (positive sizes); received '" + s + "'");
    }
  }
}

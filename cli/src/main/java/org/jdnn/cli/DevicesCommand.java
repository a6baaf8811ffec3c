package org.jdnn.cli;

import java.io.PrintWriter;
import org.jdnn.spi.BackendProvider;
import org.jdnn.spi.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Lists the backends on the class path, whether each can run here and why, and what auto picks. */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List the compute backends, whether each is usable here and why, and what --device auto selects.")
final class DevicesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    for (BackendProvider p : Backends.providers()) {
      out.printf("%-5s %s%n", p.type().name().toLowerCase(), p.probe());
    }
    boolean cuda = Backends.providers().stream().anyMatch(p -> p.type() == org.jdnn.tensor.Device.Type.CUDA);
    if (!cuda) out.println("cuda  unavailable: the CUDA backend is not part of this build");
    Backends.Selection s = Backends.select("auto");
    out.println("auto  -> " + s.backend.description() + " (" + s.reason + ")");
  }
}

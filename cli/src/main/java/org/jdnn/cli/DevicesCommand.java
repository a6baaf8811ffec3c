package org.jdnn.cli;

import java.io.PrintWriter;
import org.jdnn.cuda.CudaBackendProvider;
import org.jdnn.spi.BackendProvider;
import org.jdnn.spi.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lists the backends on the class path, whether each can run here and why, and what auto picks;
 * with {@code --doctor}, also every native library the CUDA backend looked for, where it found it
 * and why not.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List the compute backends, whether each is usable here and why, and what --device auto selects.")
final class DevicesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"--doctor", "-v"}, description = "Also report, per CUDA library, what was looked for, where it "
      + "was found, its version, and for each failure the reason and what to install.")
  boolean doctor;

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
    if (doctor) {
      boolean reported = false;
      for (BackendProvider p : Backends.providers()) {
        if (p instanceof CudaBackendProvider) {
          out.println();
          out.print(CudaBackendProvider.doctor());
          reported = true;
        }
      }
      if (!reported) out.println("no CUDA backend on the class path: nothing to diagnose");
    }
    out.flush(); // the process's writer flushes only on println, and the doctor report is printed whole
  }
}

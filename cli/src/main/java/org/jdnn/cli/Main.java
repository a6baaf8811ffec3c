package org.jdnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jdnn} command. Errors reach the user as one line naming the argument, file or layer
 * at fault, with a non-zero exit code; {@code JDNN_DEBUG=1} adds the stack trace.
 */
@Command(name = "jdnn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A deep-learning engine for the JVM: cuDNN/cuBLAS on NVIDIA GPUs, pure Java on the CPU.",
    subcommands = {TrainCommand.class, SummaryCommand.class, BenchmarkCommand.class, DevicesCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line on the process's streams and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output and error streams (for tests). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(Main::onError);
    cl.setParameterExceptionHandler(Main::onBadArguments);
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int onBadArguments(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + e.getMessage()
        + " (see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
    err.flush();
    return 2;
  }

  private static int onError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": error: " + describe(e));
    if (System.getenv("JDNN_DEBUG") != null) e.printStackTrace(err);
    err.flush();
    return 1;
  }

  /** The message a user needs, without the exception's class name where it adds nothing. */
  static String describe(Throwable e) {
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be accessed ("
          + e.getClass().getSimpleName().replace("Exception", "") + ")");
    }
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof IOException
        || e.getClass().getPackageName().startsWith("org.jdnn")) {
      return e.getMessage();
    }
    return e.toString();
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) p.load(in);
      }
      return new String[] {
        "jdnn " + p.getProperty("version", "(unknown version)"),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}

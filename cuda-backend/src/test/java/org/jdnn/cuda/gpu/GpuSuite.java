package org.jdnn.cuda.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.jdnn.cuda.CudaBackendProvider;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs the GPU suite ({@code org.jdnn.cuda.gpu.*Test}) on a machine without Maven, through the
 * JUnit Platform launcher: {@code java -cp 'LIB/*' org.jdnn.cuda.gpu.GpuSuite REPORT_DIR}. Prints
 * the CUDA doctor report, one line per test, the failures with their messages, and a closing
 * {@code N passed, N failed} line; writes JUnit XML reports to REPORT_DIR; exits 1 if anything
 * failed or nothing ran. See docs/gpu-validation.md and scripts/gpu/run-suite.sh.
 */
public final class GpuSuite {
  /**
   * The suite's classes, named rather than found by scanning the package: the JRE packed for the
   * GPU machine has no jdk.zipfs, without which JUnit cannot scan a package inside a jar.
   * {@code GpuSuiteListTest} checks that this list names every test class of the package.
   */
  public static final List<Class<?>> CLASSES = List.of(CudaBackendTest.class, CudaConformanceTest.class,
      CudaKernelsConformanceTest.class, CudaGoldenTest.class, LeNetParityTest.class, ResNetParityTest.class,
      ModelZooStepTest.class);

  private GpuSuite() {}

  public static void main(String[] args) {
    Path reports = Path.of(args.length > 0 ? args[0] : "gpu-reports");
    PrintWriter out = new PrintWriter(System.out, true);
    out.println(CudaBackendProvider.doctor());
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(CLASSES.stream().map(c -> selectClass(c)).toList())
        .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    TestExecutionListener lines = new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
          if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            out.println("FAILED container " + id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString)
                .orElse(""));
          }
          return;
        }
        String status = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "pass" : "FAIL";
        String cls = id.getUniqueId().replaceAll(".*\\[class:(?:org\\.jdnn\\.cuda\\.gpu\\.)?([^\\]]*)\\].*", "$1");
        String method = id.getLegacyReportingName().replaceAll("\\(.*", "");
        out.println(status + "  " + cls + "." + method + ": " + id.getDisplayName());
        result.getThrowable().ifPresent(t -> out.println("      " + t.toString().replace("\n", "\n      ")));
      }

      @Override
      public void executionSkipped(TestIdentifier id, String reason) {
        out.println("SKIPPED " + id.getDisplayName() + ": " + reason);
      }
    };
    launcher.execute(request, summary, lines, new LegacyXmlReportGeneratingListener(reports, out));
    TestExecutionSummary s = summary.getSummary();
    s.printTo(out);
    long failed = s.getTotalFailureCount() + s.getTestsSkippedCount() + s.getTestsAbortedCount();
    if (s.getTestsFoundCount() == 0) out.println("no GPU test was found: the suite did not run");
    out.println(s.getTestsSucceededCount() + " passed, " + failed + " failed");
    out.flush();
    System.exit(failed > 0 || s.getTestsSucceededCount() == 0 ? 1 : 0);
  }
}

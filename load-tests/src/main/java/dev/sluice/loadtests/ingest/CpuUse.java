package dev.sluice.loadtests.ingest;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * How many of the machine's cores this JVM kept busy while a piece of work ran: its CPU time over the wall time.
 * A throughput variant near the core count is bound by CPU; one well below it waits on something else (the load
 * generator's concurrency, a timer), and its rate says more about the load than about the server.
 */
final class CpuUse {
  /** A result and the cores busy while it was computed. */
  record Measured<T>(T result, double cores) {}

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuUse() {}

  static <T> Measured<T> during(Callable<T> work) throws Exception {
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    T result = work.call();
    long wall = System.nanoTime() - t0;
    long cpu = OS.getProcessCpuTime() - cpu0;
    return new Measured<>(result, wall > 0 && cpu >= 0 ? (double) cpu / wall : Double.NaN);
  }
}

package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.report.Ratio;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./sluice bench}: runs the benchmark suites (ingest, consumer wrapper, replay, JMH schema validation, the
 * wrapper against its peers, sealed values), each in a JVM of its own and bounded in time, then prints one table of
 * every ratio they define with its target and pass/fail, so that a regression shows in one command. The suites hand
 * their ratios over as data ({@link Ratio}, through a JSON file), not as text to parse.
 */
public final class BenchMain {
  static final String INGEST_SINGLE_RATE = "(c) single-event ingest, events/s";
  static final String VALID_OPS = "JMH ValidationBenchmark.validProduct, ops/s";
  static final double VALIDATION_SHARE_BUDGET = 0.25;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = Program.optionsOrExit(args, BenchOptions::wantsHelp, BenchOptions.USAGE,
        BenchOptions::parse);
    if (!options.compare().isEmpty()) {
      System.exit(compare(options.compare()) ? 0 : 1);
    }
    List<Ratio> ratios = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long t0 = System.nanoTime();
    for (Suite suite : options.ordered()) {
      System.out.printf("%n==== sluice bench: %s%s (at most %d min) ====%n", suite.cliName(),
          options.quick() ? " (quick)" : "", suite.limit(options.quick()).toMinutes());
      try {
        ratios.addAll(runSuite(suite, options));
      } catch (SuiteFailed e) {
        problems.add(suite.cliName() + ": " + e.getMessage());
      }
    }
    derived(ratios, Runtime.getRuntime().availableProcessors()).ifPresent(ratios::add);
    String table = "## sluice bench" + (options.quick() ? " --quick" : "") + "\n\n"
        + RatioTable.markdown(ratios, problems, options.quick())
        + String.format("%nRan in %.0f s on %d cores; each suite's own table is above, and in load-tests/target/.%n",
            (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors());
    System.out.println();
    System.out.println(table);
    Path file = options.out().orElseGet(BenchMain::defaultFile);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, table, StandardCharsets.UTF_8);
    System.out.println("Written to " + file.toAbsolutePath());
    // The same ratios as data, beside the table, for comparing runs (./sluice bench --compare).
    Path json = BenchRun.jsonBeside(file);
    Files.writeString(json, BenchRun.toJson(ratios, options.quick()).encodePrettily(), StandardCharsets.UTF_8);
    System.out.println("and " + json.toAbsolutePath());
    System.exit(RatioTable.regressed(ratios, problems, options.quick()) ? 1 : 0);
  }

  /** Prints the runs side by side; whether every ratio judged in all of them was stable. */
  private static boolean compare(List<Path> files) throws IOException {
    List<BenchRun> runs = new ArrayList<>();
    for (Path f : files) {
      runs.add(BenchRun.read(f));
    }
    System.out.println("## sluice bench --compare\n");
    for (int i = 0; i < runs.size(); i++) {
      System.out.printf("- Run %d: %s%s%n", i + 1, runs.get(i).file(), runs.get(i).smoke() ? " (smoke test)" : "");
    }
    System.out.println();
    System.out.println(BenchCompare.markdown(runs));
    return BenchCompare.allStable(runs);
  }

  /** A suite that did not hand back its ratios. */
  static final class SuiteFailed extends Exception {
    SuiteFailed(String message) {
      super(message);
    }
  }

  private static List<Ratio> runSuite(Suite suite, BenchOptions options) throws IOException, InterruptedException,
      SuiteFailed {
    Path json = Files.createTempFile("sluice-bench-" + suite.cliName() + "-", ".json");
    try {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"), SuiteRunner.class.getName(), suite.cliName(),
          json.toString()));
      command.addAll(options.suiteArgs(suite));
      Process p = new ProcessBuilder(command).inheritIO().start();
      if (!p.waitFor(suite.limit(options.quick()).toSeconds(), TimeUnit.SECONDS)) {
        // Only what this command started: the suite's JVM and its children (JMH forks).
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        throw new SuiteFailed("stopped after " + suite.limit(options.quick()).toMinutes() + " min");
      }
      if (p.exitValue() != 0 || Files.size(json) == 0) {
        throw new SuiteFailed("exited with status " + p.exitValue() + " (see its output above)");
      }
      JsonArray array = new JsonArray(Files.readString(json, StandardCharsets.UTF_8));
      List<Ratio> ratios = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        ratios.add(Ratio.fromJson(array.getJsonObject(i)));
      }
      return ratios;
    } finally {
      Files.deleteIfExists(json);
    }
  }

  /**
   * The one figure across suites: the time one validation takes (JMH, one thread) over the machine time the gateway
   * spends per single ingested event ((c): cores / events per second). Reported, not judged: it divides two absolute
   * rates measured minutes apart in different JVMs, not pairs measured side by side, so the machine's drift between
   * the suites moves it (0.02 in one run, 0.03 in the next) and it has no spread to judge by. The 25 % budget it is
   * read against is judged by the ingest suite's paired on/off ratio (d). Empty unless both figures were measured.
   */
  static Optional<Ratio> derived(List<Ratio> ratios, int cores) {
    Optional<Double> single = find(ratios, INGEST_SINGLE_RATE);
    Optional<Double> ops = find(ratios, VALID_OPS);
    if (single.isEmpty() || ops.isEmpty() || ops.get() <= 0 || single.get() <= 0) {
      return Optional.empty();
    }
    double validationMicros = 1e6 / ops.get();
    double eventMicros = 1e6 * cores / single.get();
    return Optional.of(Ratio.reported("validation", "validation time per event (JMH) / machine time per ingested "
            + "event (c)", validationMicros / eventMicros,
        String.format("%.1f µs vs %.0f µs (%d cores / %,.0f events/s); read against a %.0f %% budget, which "
                + "ingest (d) judges side by side", validationMicros, eventMicros, cores, single.get(),
            VALIDATION_SHARE_BUDGET * 100)));
  }

  private static Optional<Double> find(List<Ratio> ratios, String name) {
    return ratios.stream().filter(r -> r.name().equals(name) && Double.isFinite(r.value())).map(Ratio::value)
        .findFirst();
  }

  /** {@code load-tests/target/bench.md}, found from where this class was loaded. */
  private static Path defaultFile() {
    return Program.inTarget(BenchMain.class, "bench.md").orElse(Path.of("bench.md"));
  }
}

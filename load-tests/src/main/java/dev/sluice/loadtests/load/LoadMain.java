package dev.sluice.loadtests.load;

import dev.sluice.loadtests.harness.Program;
import io.gatling.app.Gatling$;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code ./sluice load <scenario> [options]}: drives a running Sluice (by default {@code ./sluice dev} on 127.0.0.1)
 * with Gatling, in this JVM, then writes its own summary, per-second CSV and PNG plot next to Gatling's HTML report
 * under {@code load-tests/target/load-<scenario>/}. Gatling prints its progress every few seconds while it runs.
 *
 * <p>Bounded three ways: the options' hard caps (rate, duration, planned requests), Gatling's maxDuration on the
 * simulation (the planned load plus 15 s), and a watchdog here that ends the JVM if the whole run, report included,
 * outlives the planned load by more than three minutes.
 */
public final class LoadMain {
  private static final Duration WATCHDOG_MARGIN = Duration.ofMinutes(3);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

  private final LoadOptions options;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LoadMain(LoadOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    LoadOptions options = Program.optionsOrExit(args, LoadOptions::wantsHelp, LoadOptions.USAGE, LoadOptions::parse);
    int status;
    try {
      status = new LoadMain(options).run();
    } catch (Exception e) {
      System.err.println("sluice load: " + e.getMessage());
      e.printStackTrace();
      status = 1;
    }
    // Gatling's and the HTTP clients' leftover threads must not keep a finished run alive.
    System.exit(status);
  }

  int run() throws Exception {
    Path dir = options.out().orElseGet(() -> defaultDir(options.scenario()));
    Files.createDirectories(dir);
    Scenario scenario = options.scenario();
    System.out.printf("sluice load %s: %s%n", scenario.cliName(), scenario.description());
    System.out.printf("  gateway %s%s, about %,d requests over %d s at most; report in %s%n", options.gateway(),
        scenario == Scenario.RAMP ? "" : String.format(" at %,.0f/s", options.rate()), options.plannedRequests(),
        options.loadDuration().toSeconds(), dir.toAbsolutePath());

    String problem = preflight();
    if (problem != null) {
      System.err.println("sluice load: " + problem);
      return 1;
    }

    startWatchdog(options.loadDuration().plus(WATCHDOG_MARGIN));
    int maxSeconds = (int) options.loadDuration().toSeconds() + 30;
    long start = System.nanoTime();
    TimeSeriesRecorder traffic = new TimeSeriesRecorder(maxSeconds);
    RedriveJobDriver job = null;
    if (scenario == Scenario.REDRIVE) {
      // One bulk job over the group's quarantined items, paced at the redrive rate, under the live traffic. The
      // console's dev admin token may start a job of any size (an operator's is capped); SLUICE_CONSOLE_TOKEN
      // overrides it.
      String token = Optional.ofNullable(System.getenv("SLUICE_CONSOLE_TOKEN")).orElse("dev-admin");
      job = new RedriveJobDriver(options.console(), token, start);
      if (!job.start(options.group(), options.redriveRate(), options.items())) {
        System.out.println("  the console refused the job: " + job.lastProblem());
        return 1;
      }
      System.out.printf("  bulk redrive job %s over %,d QUARANTINED items of group %s at %,.0f/s under live "
          + "traffic%n", job.id(), job.matched(), options.group(), options.redriveRate());
      if (job.matched() == 0) {
        System.out.println("  (nothing to redrive: run `./sluice load poison` first to fill the quarantine)");
      }
    }
    LoadRun run = new LoadRun(options, new LoadEvents("load-" + UUID.randomUUID().toString().substring(0, 8)),
        traffic);
    LoadRun.begin(run);
    RampMonitor ramp = scenario == Scenario.RAMP ? new RampMonitor(options.ramp(), warmupSeconds(), traffic, run) : null;
    ConsumerWatch watch = scenario == Scenario.POISON ? new ConsumerWatch(options.demo(), start) : null;

    Path gatlingDir = dir.resolve("gatling");
    // Gatling reads its settings from system properties over its defaults. A request unanswered after 10 s is a
    // failure: keeps the run bounded when the target stalls.
    System.setProperty("gatling.http.requestTimeout", "10000");
    System.setProperty("gatling.data.console.writePeriod", "5");
    if (ramp != null) {
      ramp.start();
    }
    if (watch != null) {
      watch.start();
    }
    int gatlingStatus;
    try {
      gatlingStatus = Gatling$.MODULE$.fromArgs(new String[] {"-s", SluiceSimulation.class.getName(), "-rf",
          gatlingDir.toAbsolutePath().toString(), "-rd", "sluice load " + scenario.cliName()});
    } finally {
      if (ramp != null) {
        ramp.close();
      }
      if (job != null) {
        job.finish();
      }
    }
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    if (watch != null) {
      drain(watch);
      watch.close();
    }
    return report(dir, gatlingDir, run, loadSeconds, watch, job, gatlingStatus);
  }

  private int report(Path dir, Path gatlingDir, LoadRun run, double loadSeconds, ConsumerWatch watch,
      RedriveJobDriver job, int gatlingStatus) throws IOException {
    Scenario scenario = options.scenario();
    List<SecondStats> series = run.traffic().series(options::offeredAt);
    int warm = warmupSeconds();
    double seconds = Math.max(1, series.size() - warm);
    LoadSummary summary = new LoadSummary("sluice load " + scenario.cliName());
    summary.line(String.format("%s. Target %s, run at %s.", scenario.description(), options.gateway(),
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    summary.blank();
    summary.line(String.format("The first %d s ramp from 1/s to %,.0f/s and are not measured (plotted, left of the "
        + "first marker); the figures below are of the rest.", warm, options.firstRate()));
    summary.blank();
    summary.traffic(scenario == Scenario.REDRIVE ? "Live traffic" : "Traffic", run.traffic().window(warm,
        Integer.MAX_VALUE), seconds);
    List<PlotWriter.Marker> markers = new ArrayList<>();
    if (warm > 0) {
      markers.add(new PlotWriter.Marker(warm, "warm-up ends"));
    }
    if (scenario == Scenario.RAMP) {
      KneeFinder.Result result = new KneeFinder(options.ramp()).find(RampMonitor.steps(run.traffic(),
          options.ramp(), warm));
      summary.ramp(options.ramp(), result);
      long step = options.ramp().stepDuration().toSeconds();
      result.knee().ifPresent(k -> markers.add(new PlotWriter.Marker(
          warm + (options.ramp().rates().indexOf(k.offeredRate()) + 1) * step, String.format("knee %,.0f/s",
              k.offeredRate()))));
    }
    if (scenario == Scenario.REDRIVE) {
      summary.redriveJob(job, options.redriveRate());
    }
    if (watch != null) {
      summary.consumer(watch.samples(), loadSeconds, watch.lastProblem());
      LoadSummary.writeConsumerCsv(dir.resolve("consumer.csv"), watch.samples());
    }
    run.stopReason().ifPresent(r -> summary.line("Stopped early: " + r + "."));
    if (gatlingStatus != 0) {
      summary.line("Gatling ended with status " + gatlingStatus + ".");
    }

    Path plot = dir.resolve("latency-throughput.png");
    PlotWriter.write(plot, String.format("sluice load %s: latency and throughput per second (%s)",
        scenario.cliName(), options.gateway()), series, markers);
    LoadSummary.writeCsv(dir.resolve("stats.csv"), series);
    Optional<Path> html = newestReport(gatlingDir);
    summary.line("Files: `latency-throughput.png` (this plot), `stats.csv` (per second), "
        + html.map(p -> "Gatling's HTML report `" + dir.relativize(p) + "`").orElse("no Gatling HTML report"));
    Path md = dir.resolve("summary.md");
    summary.write(md);
    System.out.println();
    System.out.println(summary.markdown());
    System.out.println("plot:    " + plot.toAbsolutePath());
    html.ifPresent(p -> System.out.println("gatling: " + p.toAbsolutePath()));
    System.out.println("summary: " + md.toAbsolutePath());
    // Copy the latest plot of each scenario to a fixed name next to the directories, for quick comparison.
    Files.copy(plot, dir.resolveSibling("load-" + scenario.cliName() + ".png"), StandardCopyOption.REPLACE_EXISTING);
    return 0;
  }

  private int warmupSeconds() {
    return (int) options.warmup().toSeconds();
  }

  /** After a poison storm: keep watching until the consumer's lag is back to 0, for a minute at most. */
  private static void drain(ConsumerWatch watch) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    System.out.println("watching the consumer drain its lag (up to " + DRAIN_LIMIT.toSeconds() + " s)...");
    while (System.nanoTime() < deadline) {
      List<ConsumerWatch.Sample> s = watch.samples();
      if (s.size() >= 2 && s.get(s.size() - 1).lag() == 0 && s.get(s.size() - 2).lag() == 0) {
        return;
      }
      Thread.sleep(1_000);
    }
  }

  /** Null when the targets answer as the scenario needs; else what is wrong, for the user. */
  private String preflight() {
    String hint = " (is `./sluice dev` running?)";
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(options.gateway() + "/v1/streams/"
              + options.stream() + "/events"))
          .timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + options.apiKey())
          .header("Content-Type", LoadEvents.CONTENT_TYPE)
          .POST(HttpRequest.BodyPublishers.ofString(new LoadEvents("preflight-" + UUID.randomUUID()).valid()))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        return "the gateway refused a valid event with " + r.statusCode() + ": " + r.body()
            + (r.statusCode() == 401 || r.statusCode() == 403 ? " (pass the key with --api-key)" : "");
      }
    } catch (IOException e) {
      return "cannot reach the gateway at " + options.gateway() + hint + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    if (options.scenario() == Scenario.REDRIVE) {
      return reachable(URI.create(options.console() + "/health/ready"), "the console", hint);
    }
    if (options.scenario() == Scenario.POISON) {
      String p = reachable(URI.create(options.demo() + "/metrics"), "the demo consumer", hint);
      if (p != null) {
        System.out.println("  warning: " + p + "; the storm runs, but the consumer's side is not measured");
      }
    }
    return null;
  }

  private String reachable(URI uri, String what, String hint) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? null : what + " answered " + r.statusCode() + " to GET " + uri;
    } catch (IOException e) {
      return "cannot reach " + what + " at " + uri + hint + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static void startWatchdog(Duration limit) {
    Daemons.unstarted("load-watchdog", () -> {
      try {
        Thread.sleep(limit.toMillis());
        System.err.println("sluice load: still running " + limit.toSeconds() + " s after the start, past the "
            + "planned load; stopping.");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).start();
  }

  static Optional<Path> newestReport(Path gatlingDir) throws IOException {
    if (!Files.isDirectory(gatlingDir)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(gatlingDir)) {
      return dirs.map(d -> d.resolve("index.html")).filter(Files::isRegularFile)
          .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
    }
  }

  /** {@code load-tests/target/load-<scenario>}, found from where this class was loaded; else under the cwd. */
  static Path defaultDir(Scenario scenario) {
    String name = "load-" + scenario.cliName();
    return Program.inTarget(LoadMain.class, name).orElse(Path.of("load-tests", "target", name));
  }
}

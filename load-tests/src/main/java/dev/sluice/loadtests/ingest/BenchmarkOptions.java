package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.method.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's command line. The throughput variants are measured with the shared method ({@link Plan}): warm-ups
 * until the rate settles, then interleaved rounds, each run of a fixed length; (e) and the memory check run once
 * after the rounds. {@code --quick} is a smoke test: {@link Plan#quick()} and short runs, figures shown, not judged.
 *
 * @param plan how many rounds and warm-ups: {@link Plan#full()} (six rounds), or
 *     {@link Plan#quick()} ({@code --quick}); {@code --rounds N} sets the rounds of either
 * @param run the measured part of every run of a throughput variant ({@code --run-seconds}; 5 s, 2 s quick): long
 *     enough for several garbage collections per run
 * @param latency the measured part of (e), the latency phase ({@code --latency-seconds}; 10 s, 3 s quick)
 * @param connections keep-alive connections for single-event ingest and the latency phase ({@code --connections},
 *     default 256). Enough to keep the gateway's cores busy: each single event waits up to the producer's
 *     {@code linger.ms} (5 ms) for its batch, so 64 connections held the gateway to about 64 / 5 ms = 12,800 events/s
 *     with a third of the machine idle, a figure of the load generator rather than of the gateway
 * @param batchConnections keep-alive connections for batch ingest ({@code --batch-connections}, default 16; 4 left
 *     the cores partly idle)
 * @param batchSize events per batch request ({@code --batch-size}, default 100)
 * @param eventBytes size of each event's data, the Kafka record value ({@code --event-bytes}, default 1024)
 * @param latencyLoad the offered rate of the latency phase as a fraction of the measured single-event maximum
 *     ({@code --latency-load}, default 0.5)
 * @param apiKey the producer API key sent as {@code Authorization: Bearer} ({@code --api-key}, default dev-producer)
 * @param gatewayConfig extra {@code sluice.*} keys for the gateways ({@code --set key=value}, repeatable); the
 *     {@code sluice.kafka.*} ones apply to the raw producer (a) too, so it stays the gateway's ceiling
 * @param out where the Markdown report goes ({@code --out}; default {@code load-tests/target/ingest-benchmark.md})
 * @param profile where a JFR recording of the whole run goes ({@code --profile FILE}), summarized for single-event
 *     ingest at the end ({@link ProfileSummary}); empty: none
 */
record BenchmarkOptions(Plan plan, Duration run, Duration latency, int connections, int batchConnections,
    int batchSize, int eventBytes, double latencyLoad, String apiKey, Map<String, String> gatewayConfig,
    Optional<Path> out, Optional<Path> profile) {

  static final String USAGE = """
      usage: IngestBenchmark [--quick] [--rounds N] [--run-seconds N] [--latency-seconds N] [--connections N]
                             [--batch-connections N] [--batch-size N] [--event-bytes N] [--latency-load F]
                             [--api-key KEY] [--set sluice.key=value ...] [--out FILE] [--profile FILE.jfr]
        --quick              a smoke test: 2 rounds, 1 warm-up run, 2 s runs, 3 s of (e); figures not judged
        --rounds             interleaved rounds of every throughput variant (default 6, quick 2)
        --run-seconds        measured seconds of each run of a throughput variant (default 5, quick 2)
        --latency-seconds    measured seconds of (e), the latency phase (default 10, quick 3)
        --connections        keep-alive connections, single-event ingest and latency (default 256)
        --batch-connections  keep-alive connections, batch ingest (default 16)
        --batch-size         events per batch request (default 100)
        --event-bytes        size of each event's data JSON (default 1024)
        --latency-load       offered rate for (e) as a fraction of the single-event maximum (default 0.5)
        --api-key            sent as Authorization: Bearer KEY on every request (default dev-producer)
        --set                an extra gateway config key, e.g. --set sluice.gateway.append.timeout=5s
                             (sluice.kafka.* keys also apply to the raw producer)
        --out                the Markdown report (default load-tests/target/ingest-benchmark.md)
        --profile            record the whole run with JFR into this file, and print where the CPU went during
                             single-event ingest (c)
      """;

  BenchmarkOptions {
    gatewayConfig = Map.copyOf(gatewayConfig);
  }

  /** The unmeasured start of every run: the load loops fill their connections and the producers their batches. */
  Duration ramp() {
    return plan.smoke() ? Duration.ofMillis(300) : Duration.ofMillis(500);
  }

  /** The unmeasured start of (e): after the rounds the stack is warm, only the paced load must reach its rate. */
  Duration latencyWarmup() {
    return plan.smoke() ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
  }

  /** @throws IllegalArgumentException with a message for the user (the usage for {@code --help}) */
  static BenchmarkOptions parse(String[] args) {
    boolean quick = false;
    Integer rounds = null;
    Integer runSeconds = null;
    Integer latencySeconds = null;
    int connections = 256;
    int batchConnections = 16;
    int batchSize = 100;
    int eventBytes = 1024;
    double latencyLoad = 0.5;
    String apiKey = "dev-producer";
    Map<String, String> config = new LinkedHashMap<>();
    Optional<Path> out = Optional.empty();
    Optional<Path> profile = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (flag.equals("--quick")) {
        quick = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      switch (flag) {
        case "--rounds" -> rounds = whole(flag, v, 1, 50);
        case "--run-seconds" -> runSeconds = whole(flag, v, 1, 600);
        case "--latency-seconds" -> latencySeconds = whole(flag, v, 1, 600);
        case "--connections" -> connections = whole(flag, v, 1, 1024);
        case "--batch-connections" -> batchConnections = whole(flag, v, 1, 256);
        case "--batch-size" -> batchSize = whole(flag, v, 1, 10_000);
        case "--event-bytes" -> eventBytes = whole(flag, v, 200, 512 * 1024);
        case "--latency-load" -> latencyLoad = fraction(flag, v);
        case "--api-key" -> apiKey = v;
        case "--set" -> {
          int eq = v.indexOf('=');
          if (eq <= 0 || !v.startsWith("sluice.")) {
            throw new IllegalArgumentException("--set wants sluice.key=value, was " + v);
          }
          config.put(v.substring(0, eq), v.substring(eq + 1));
        }
        case "--out" -> out = Optional.of(Path.of(v));
        case "--profile" -> profile = Optional.of(Path.of(v));
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    Plan plan = Plan.of(quick);
    if (rounds != null) {
      plan = plan.withRounds(rounds);
    }
    return new BenchmarkOptions(plan, Duration.ofSeconds(runSeconds != null ? runSeconds : quick ? 2 : 5),
        Duration.ofSeconds(latencySeconds != null ? latencySeconds : quick ? 3 : 10), connections, batchConnections,
        batchSize, eventBytes, latencyLoad, apiKey, config, out, profile);
  }

  private static int whole(String flag, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", was " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " wants a whole number, was " + v, e);
    }
  }

  private static double fraction(String flag, String v) {
    try {
      double d = Double.parseDouble(v);
      if (!(d > 0 && d <= 1)) {
        throw new IllegalArgumentException(flag + " must be in (0, 1], was " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " wants a number, was " + v, e);
    }
  }
}

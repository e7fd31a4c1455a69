package dev.sluice.loadtests.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's command line. Every phase runs a warm-up, then a measurement of fixed length, so the whole run is
 * bounded: about seven phases of (warm-up + measure) plus start-up, under three minutes with the defaults.
 *
 * @param measure the measured part of each phase ({@code --phase-seconds}, default 10)
 * @param warmup the unmeasured part before it ({@code --warmup-seconds}, default 3)
 * @param connections keep-alive connections for single-event ingest and the latency phase ({@code --connections})
 * @param batchConnections keep-alive connections for batch ingest ({@code --batch-connections})
 * @param batchSize events per batch request ({@code --batch-size}, default 100)
 * @param eventBytes size of each event's data, the Kafka record value ({@code --event-bytes}, default 1024)
 * @param latencyLoad the offered rate of the latency phase as a fraction of the measured single-event maximum
 *     ({@code --latency-load}, default 0.5)
 * @param apiKey the producer API key sent as {@code Authorization: Bearer} ({@code --api-key}, default dev-producer)
 * @param gatewayConfig extra {@code sluice.*} keys for the gateways ({@code --set key=value}, repeatable)
 * @param out where the Markdown report goes ({@code --out}; default {@code load-tests/target/ingest-benchmark.md})
 */
record BenchmarkOptions(Duration measure, Duration warmup, int connections, int batchConnections, int batchSize,
    int eventBytes, double latencyLoad, String apiKey, Map<String, String> gatewayConfig, Optional<Path> out) {

  static final String USAGE = """
      usage: IngestBenchmark [--phase-seconds N] [--warmup-seconds N] [--connections N] [--batch-connections N]
                             [--batch-size N] [--event-bytes N] [--latency-load F] [--api-key KEY]
                             [--set sluice.key=value ...] [--out FILE]
        --phase-seconds      measured seconds per phase (default 10)
        --warmup-seconds     unmeasured warm-up seconds before each phase (default 3)
        --connections        keep-alive connections, single-event ingest and latency (default 64)
        --batch-connections  keep-alive connections, batch ingest (default 4)
        --batch-size         events per batch request (default 100)
        --event-bytes        size of each event's data JSON (default 1024)
        --latency-load       offered rate for (e) as a fraction of the single-event maximum (default 0.5)
        --api-key            sent as Authorization: Bearer KEY on every request (default dev-producer)
        --set                an extra gateway config key, e.g. --set sluice.gateway.append.timeout=5s
        --out                the Markdown report (default load-tests/target/ingest-benchmark.md)
      """;

  static BenchmarkOptions defaults() {
    return new BenchmarkOptions(Duration.ofSeconds(10), Duration.ofSeconds(3), 64, 4, 100, 1024, 0.5,
        "dev-producer", Map.of(), Optional.empty());
  }

  /** @throws IllegalArgumentException with a message for the user */
  static BenchmarkOptions parse(String[] args) {
    BenchmarkOptions o = defaults();
    Map<String, String> config = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      o = switch (flag) {
        case "--phase-seconds" -> o.with(Duration.ofSeconds(positive(flag, v, 1, 600)), o.warmup);
        case "--warmup-seconds" -> o.with(o.measure, Duration.ofSeconds(positive(flag, v, 0, 600)));
        case "--connections" -> new BenchmarkOptions(o.measure, o.warmup, positive(flag, v, 1, 1024),
            o.batchConnections, o.batchSize, o.eventBytes, o.latencyLoad, o.apiKey, o.gatewayConfig, o.out);
        case "--batch-connections" -> new BenchmarkOptions(o.measure, o.warmup, o.connections,
            positive(flag, v, 1, 256), o.batchSize, o.eventBytes, o.latencyLoad, o.apiKey, o.gatewayConfig, o.out);
        case "--batch-size" -> new BenchmarkOptions(o.measure, o.warmup, o.connections, o.batchConnections,
            positive(flag, v, 1, 10_000), o.eventBytes, o.latencyLoad, o.apiKey, o.gatewayConfig, o.out);
        case "--event-bytes" -> new BenchmarkOptions(o.measure, o.warmup, o.connections, o.batchConnections,
            o.batchSize, positive(flag, v, 200, 512 * 1024), o.latencyLoad, o.apiKey, o.gatewayConfig, o.out);
        case "--latency-load" -> new BenchmarkOptions(o.measure, o.warmup, o.connections, o.batchConnections,
            o.batchSize, o.eventBytes, fraction(flag, v), o.apiKey, o.gatewayConfig, o.out);
        case "--api-key" -> new BenchmarkOptions(o.measure, o.warmup, o.connections, o.batchConnections,
            o.batchSize, o.eventBytes, o.latencyLoad, v, o.gatewayConfig, o.out);
        case "--set" -> {
          int eq = v.indexOf('=');
          if (eq <= 0 || !v.startsWith("sluice.")) {
            throw new IllegalArgumentException("--set wants sluice.key=value, was " + v);
          }
          config.put(v.substring(0, eq), v.substring(eq + 1));
          yield o;
        }
        case "--out" -> new BenchmarkOptions(o.measure, o.warmup, o.connections, o.batchConnections, o.batchSize,
            o.eventBytes, o.latencyLoad, o.apiKey, o.gatewayConfig, Optional.of(Path.of(v)));
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      };
    }
    return new BenchmarkOptions(o.measure, o.warmup, o.connections, o.batchConnections, o.batchSize, o.eventBytes,
        o.latencyLoad, o.apiKey, Map.copyOf(config), o.out);
  }

  private BenchmarkOptions with(Duration measure, Duration warmup) {
    return new BenchmarkOptions(measure, warmup, connections, batchConnections, batchSize, eventBytes, latencyLoad,
        apiKey, gatewayConfig, out);
  }

  private static int positive(String flag, String v, int min, int max) {
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

package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.consumer.ConsumerBenchmark;
import dev.sluice.loadtests.consumer.ReadOptions;
import dev.sluice.loadtests.replay.ReplayBenchmark;
import dev.sluice.loadtests.ingest.IngestBenchmark;
import dev.sluice.loadtests.peers.PeersBenchmark;
import dev.sluice.loadtests.sealing.SealingBenchmark;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one suite in this JVM and writes its ratios to a JSON file: {@code SuiteRunner <suite> <ratios.json> [args]}.
 * {@link BenchMain} starts one per suite, so that each suite's engines, threads and JIT state stay its own.
 */
public final class SuiteRunner {
  private SuiteRunner() {}

  public static void main(String[] args) {
    int status = 0;
    try {
      Suite suite = Suite.parse(args[0]);
      Path out = Path.of(args[1]);
      String[] rest = Arrays.copyOfRange(args, 2, args.length);
      List<Ratio> ratios = switch (suite) {
        case INGEST -> IngestBenchmark.ratios(rest, System.out);
        case CONSUMER -> consumer(rest);
        case REPLAY -> replay(rest);
        case VALIDATION -> ValidationSuite.ratios(List.of(rest).contains("--quick"), System.out);
        case PEERS -> PeersBenchmark.ratios(rest, System.out);
        case SEALING -> SealingBenchmark.ratios(rest, System.out);
      };
      JsonArray json = new JsonArray();
      ratios.forEach(r -> json.add(r.toJson()));
      Files.writeString(out, json.encodePrettily(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      System.err.println("suite failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    // The suites' engines leave non-daemon threads behind.
    System.exit(status);
  }

  private static List<Ratio> consumer(String[] args) throws Exception {
    return ConsumerBenchmark.ratios(ReadOptions.parse(args, ConsumerBenchmark.DEFAULTS,
        ConsumerBenchmark.QUICK, "consumer"), System.out);
  }

  private static List<Ratio> replay(String[] args) throws Exception {
    return ReplayBenchmark.ratios(ReadOptions.parse(args, ReplayBenchmark.DEFAULTS, ReplayBenchmark.QUICK,
        "replay"), System.out);
  }
}

package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Benchmark, not a test: a bulk redrive job over {@code sluice.bench.items} (default 20,000) seeded items at the
 * highest rate, against a raw loop over as many items that only does the same conditional update and queue send.
 * Run with {@code -Dsluice.bench=true -Dit.test=RedriveJobsBenchIT}; prints items per second for both.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@EnabledIfSystemProperty(named = "sluice.bench", matches = "true")
class RedriveJobsBenchIT {
  private static final int ITEMS = Integer.getInteger("sluice.bench.items", 20_000);
  /** {@code -Dsluice.bench.raw=false} skips the raw loop: for a large job run on its own (e.g. 100,000 items). */
  private static final boolean RAW = !"false".equals(System.getProperty("sluice.bench.raw"));

  @Test
  void jobThroughputAgainstARawLoop(Stack stack) throws Exception {
    SluiceConfig config = SluiceConfig.from(RawConfig.of(Map.of(
        "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
        "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
        "sluice.sqs.endpoint", stack.engines().sqsEndpoint())));
    Vertx vertx = Vertx.vertx();
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      QuarantineStore store = new QuarantineStore(vertx, stack.dynamo(), stack.quarantineTable(), Clock.systemUTC());
      RedriveQueue queue = new RedriveQueue(vertx, sqs, config.aws().queuePrefix());

      // The raw loop: conditional update then send, one item after the other.
      double rawSeconds = Double.NaN;
      if (RAW) {
        String rawGroup = "bench-raw-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> rawIds = seed(store, rawGroup, ITEMS);
        await(queue.ensureQueue(rawGroup));
        long t0 = System.nanoTime();
        for (String id : rawIds) {
          await(store.operator().requestRedrive(id, Optional.empty(), "bench").compose(i -> queue.send(rawGroup, id)));
        }
        rawSeconds = (System.nanoTime() - t0) / 1e9;
      }

      String jobGroup = "bench-job-" + UUID.randomUUID().toString().substring(0, 8);
      long s0 = System.nanoTime();
      seed(store, jobGroup, ITEMS);
      System.out.printf("BENCH seeded %d items in %.1f s%n", ITEMS, (System.nanoTime() - s0) / 1e9);
      await(queue.ensureQueue(jobGroup));
      Http admin = Http.withKey(Http.DEV_ADMIN);
      long t1 = System.nanoTime();
      // Counting 20,000 matches on DynamoDB Local can take longer than the test client's usual timeout.
      HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(stack.consoleUrl() + "/api/v1/redrives"))
          .timeout(Duration.ofMinutes(5))
          .header("Authorization", "Bearer " + Http.DEV_ADMIN)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
              .put("filter", new JsonObject().put("group", jobGroup)).put("ratePerSecond", 5000).encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, created.statusCode(), created.body());
      double createSeconds = (System.nanoTime() - t1) / 1e9;
      String id = new JsonObject(created.body()).getString("id");
      JsonObject done = Eventually.await("job done", Duration.ofMinutes(20), () -> {
        JsonObject j = admin.get(stack.consoleUrl() + "/api/v1/redrives/" + id).json();
        return "DONE".equals(j.getString("state")) ? Optional.of(j) : Optional.empty();
      });
      double jobSeconds = (System.nanoTime() - t1) / 1e9;
      assertEquals(ITEMS, done.getJsonObject("counts").getLong("sent"), done.encode());
      double drainSeconds = jobSeconds - createSeconds;
      System.out.printf("BENCH items=%d raw=%.1f items/s (%.1f s) job=%.1f items/s end to end (%.1f s, of which"
              + " create/count %.1f s) job drain=%.1f items/s ratio=%.2f (drain only %.2f)%n", ITEMS,
          ITEMS / rawSeconds, rawSeconds, ITEMS / jobSeconds, jobSeconds, createSeconds, ITEMS / drainSeconds,
          rawSeconds / jobSeconds, rawSeconds / drainSeconds);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> seed(QuarantineStore store, String group, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    Instant at = Instant.now().minusSeconds(600);
    for (int from = 0; from < n; from += 100) {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 100); i++) {
        String id = QuarantineItem.idFor(group, "retail", 0, i);
        ids.add(id);
        byte[] payload = ("{\"specversion\":\"1.0\",\"id\":\"e-" + i + "\",\"source\":\"/bench\","
            + "\"type\":\"retail.product.created\",\"data\":{}}").getBytes(StandardCharsets.UTF_8);
        writes.add(store.consumer().quarantine(new QuarantineItem(id, QuarantineStatus.QUARANTINED,
            "retail", group, "retail", 0,
            i, Optional.of("k-" + i), payload, List.of(), Optional.of("e-" + i),
            Optional.of("retail.product.created"), QuarantineReason.HANDLER_REJECTED, "bench.Error", "failed",
            List.of(), 1, at.plusMillis(i), at.plusMillis(i), Optional.empty(), 0,
            List.of(new AuditEntry(at, "QUARANTINED", group, "seeded by the benchmark")))));
      }
      Future.all(writes).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    return ids;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

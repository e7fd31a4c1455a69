package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.Launcher;
import dev.sluice.deploy.Services;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The operator bulk limit ({@code sluice.console.bulk.operator.limit}) on a console of the test's own, started by the
 * launcher from configuration with the limit set to {@value #LIMIT}, on the stack's engines and tables: an operator's
 * job (and dry run) over the limit is refused with a 403 naming it, an admin's is accepted, and an operator's job of
 * exactly the limit is accepted.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(90)
class JobLimitIT {
  private static final int LIMIT = 3;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String JOBS = "/api/v1/redrives";

  private final Http operator = Http.operator();
  private final Http admin = Http.withKey(Http.DEV_ADMIN);

  private static SluiceConfig config(Stack stack, Map<String, String> more) {
    Map<String, String> raw = new java.util.HashMap<>(Map.of(
        "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
        "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
        "sluice.sqs.endpoint", stack.engines().sqsEndpoint()));
    raw.putAll(more);
    return SluiceConfig.from(RawConfig.of(raw));
  }

  /** Seeds {@code n} QUARANTINED items of a new group that has a redrive queue and no consumer; returns their ids. */
  private static List<String> seed(Stack stack, QuarantineSeeds seeds, String group, int n) {
    SluiceConfig config = config(stack, Map.of());
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      sqs.createQueue(b -> b.queueName(RedriveQueue.queueName(config.aws().queuePrefix(), group)));
    }
    Instant at = Instant.now().minusSeconds(60);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(seeds.put(Seed.of("retail", group, i, at.plusMillis(i))));
    }
    return ids;
  }

  private static String body(String group, boolean dryRun) {
    return new JsonObject().put("filter", new JsonObject().put("group", group)).put("ratePerSecond", 100)
        .put("dryRun", dryRun).encode();
  }

  private static void assertRefusedOverTheLimit(Http.Response r, int matched) {
    assertEquals(403, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    JsonObject problem = r.json();
    assertEquals(403, problem.getInteger("status"), r.body());
    assertEquals("operator", problem.getString("role"), r.body());
    String detail = problem.getString("detail");
    assertTrue(detail.contains("over " + LIMIT + " items"), "the detail names the limit: " + detail);
    assertTrue(detail.contains("matches " + matched), "the detail names the count: " + detail);
  }

  private JsonObject awaitDone(String url, String id) {
    return Eventually.await("job " + id + " DONE", WAIT, () -> {
      Http.Response r = operator.get(url + JOBS + "/" + id);
      return r.status() == 200 && "DONE".equals(r.json().getString("state")) ? Optional.of(r.json()) : Optional.empty();
    });
  }

  @Test
  void anOperatorIsRefusedAJobOverTheLimitAnAdminIsNotAndExactlyTheLimitIsAllowed(Stack stack) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String over = "jobs-limit-over-" + suffix;
    String atLimit = "jobs-limit-at-" + suffix;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      List<String> overIds = seed(stack, seeds, over, LIMIT + 1);
      List<String> atLimitIds = seed(stack, seeds, atLimit, LIMIT);

      SluiceConfig limited = config(stack, Map.of(
          "sluice.console.port", "0",
          "sluice.console.dev.users", "true",
          "sluice.console.bulk.operator.limit", Integer.toString(LIMIT)));
      assertEquals(LIMIT, limited.console().auth().operatorBulkLimit());
      try (Launcher launcher = Launcher.start(limited, Set.of(Part.CONSOLE))) {
        String url = "http://127.0.0.1:" + launcher.ports().get(Part.CONSOLE);

        // The session tells the page the limit and whether this principal may go over it.
        JsonObject session = operator.get(url + "/api/v1/session").json();
        assertEquals(LIMIT, session.getLong("operatorBulkLimit"), session.encode());

        // Over the limit: the operator's job is refused, naming the limit and the count.
        assertRefusedOverTheLimit(operator.post(url + JOBS, "application/json", body(over, false)), LIMIT + 1);
        // A dry run is refused the same way: the limit is checked on the count, before a dry run is told apart (the
        // detail still tells the operator how many items match).
        assertRefusedOverTheLimit(operator.post(url + JOBS, "application/json", body(over, true)), LIMIT + 1);
        // Neither refusal touched an item.
        for (String id : overIds) {
          assertEquals(QuarantineStatus.QUARANTINED, seeds.store().get(id).toCompletionStage().toCompletableFuture()
              .get(10, TimeUnit.SECONDS).orElseThrow().status(), id);
        }

        // Exactly the limit: the operator's job is accepted and redrives them all.
        Http.Response exact = operator.post(url + JOBS, "application/json", body(atLimit, false));
        assertEquals(202, exact.status(), exact.body());
        assertEquals(LIMIT, exact.json().getLong("matched"), exact.body());
        JsonObject exactDone = awaitDone(url, exact.json().getString("id"));
        assertEquals(LIMIT, exactDone.getJsonObject("counts").getLong("sent"), exactDone.encode());

        // The admin may go over it: the same filter is accepted and every matching item sent.
        Http.Response large = admin.post(url + JOBS, "application/json", body(over, false));
        assertEquals(202, large.status(), large.body());
        assertEquals(LIMIT + 1, large.json().getLong("matched"), large.body());
        assertEquals(Http.DEV_ADMIN, large.json().getJsonObject("job").getString("createdBy"), large.body());
        JsonObject largeDone = awaitDone(url, large.json().getString("id"));
        assertEquals(LIMIT + 1, largeDone.getJsonObject("counts").getLong("sent"), largeDone.encode());
      }
      for (String id : atLimitIds) {
        assertEquals(QuarantineStatus.REDRIVEN, seeds.store().get(id).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS).orElseThrow().status(), id);
      }
    }
  }
}

package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.console.jobs.JobCounts;
import dev.sluice.console.jobs.JobSettings;
import dev.sluice.console.jobs.JobState;
import dev.sluice.console.jobs.JobStore;
import dev.sluice.console.jobs.RedriveJob;
import dev.sluice.deploy.Services;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.RedriveOutcomes;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Bulk redrive jobs against the whole stack: each item redriven exactly once, dry run, pause/resume/cancel, two
 * identical jobs at once, roles, a console restart mid-job, and the halt threshold. Every test seeds items of a group
 * of its own (with a redrive queue and no consumer), so the items it redrives stay REDRIVEN for it to inspect.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(90)
class RedriveJobsIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String JOBS = "/api/v1/redrives";
  private final Http operator = Http.operator();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static SluiceConfig config(Stack stack) {
    return SluiceConfig.from(RawConfig.of(Map.of(
        "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
        "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
        "sluice.sqs.endpoint", stack.engines().sqsEndpoint())));
  }

  /** Seeds {@code n} QUARANTINED items of a new group that has a redrive queue; returns their ids. */
  private static List<String> seed(Stack stack, QuarantineSeeds seeds, String group, int n) {
    SluiceConfig config = config(stack);
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

  private static String body(String group, int rate, boolean dryRun) {
    return new JsonObject().put("filter", new JsonObject().put("group", group)).put("ratePerSecond", rate)
        .put("dryRun", dryRun).encode();
  }

  private Http.Response create(Http http, String consoleUrl, String group, int rate, boolean dryRun) {
    return http.post(consoleUrl + JOBS, "application/json", body(group, rate, dryRun));
  }

  private JsonObject job(String consoleUrl, String id) {
    Http.Response r = operator.get(consoleUrl + JOBS + "/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private JsonObject awaitJob(String consoleUrl, String id, String what, java.util.function.Predicate<JsonObject> p) {
    return Eventually.await("job " + id + " " + what, WAIT, () -> {
      JsonObject j = job(consoleUrl, id);
      return p.test(j) ? Optional.of(j) : Optional.empty();
    });
  }

  private static long count(JsonObject job, String name) {
    return job.getJsonObject("counts").getLong(name);
  }

  private static QuarantineItem item(QuarantineSeeds seeds, String id) throws Exception {
    return seeds.store().get(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
  }

  @Test
  void aJobRedrivesEveryMatchingItemExactlyOnceThenASingleRedriveOfOneConflicts(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-once");
      List<String> ids = seed(stack, seeds, group, 25);
      Http.Response created = create(operator, stack.consoleUrl(), group, 100, false);
      assertEquals(202, created.status(), created.body());
      assertEquals(25, created.json().getLong("matched"));
      String id = created.json().getString("id");

      JsonObject done = awaitJob(stack.consoleUrl(), id, "DONE", j -> "DONE".equals(j.getString("state")));
      assertEquals(25, count(done, "total"));
      assertEquals(25, count(done, "sent"));
      assertEquals(0, count(done, "skipped"));
      assertEquals(Http.DEV_OPERATOR, done.getString("createdBy"));
      for (String itemId : ids) {
        QuarantineItem i = item(seeds, itemId);
        assertEquals(QuarantineStatus.REDRIVEN, i.status(), itemId);
        assertEquals(1, i.redriveCount(), itemId + " redriven once");
      }

      Http.Response again = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + ids.get(0) + "/redrive",
          "application/json", "{}");
      assertEquals(409, again.status(), again.body());

      Http.Response listed = operator.get(stack.consoleUrl() + JOBS);
      assertEquals(200, listed.status(), listed.body());
      assertTrue(listed.json().getJsonArray("jobs").stream()
          .anyMatch(j -> id.equals(((JsonObject) j).getString("id"))), listed.body());

      // A finished job's event stream sends its last progress and ends.
      Http.Response events = operator.get(stack.consoleUrl() + JOBS + "/" + id + "/events");
      assertEquals(200, events.status());
      assertTrue(events.contentType().startsWith("text/event-stream"), events.contentType());
      assertTrue(events.body().startsWith("event: progress\ndata: {"), events.body());
      assertTrue(events.body().contains("\"state\":\"DONE\""), events.body());
      assertTrue(events.body().contains("\"etaSeconds\":0"), events.body());

      Http.Response audit = operator.get(stack.consoleUrl() + "/api/v1/audit?action=JOB_CREATE&actor="
          + Http.DEV_OPERATOR);
      assertTrue(audit.body().contains("job " + id), audit.body());

      String metrics = operator.get(stack.consoleUrl() + "/metrics").body();
      assertTrue(metrics.contains("sluice_console_redrive_job_items_total{outcome=\"sent\"}"), metrics);
      assertTrue(metrics.contains("sluice_console_redrive_jobs{state=\"done\"}"), metrics);
    }
  }

  @Test
  void aJobOverASelectionRedrivesExactlyTheSelectedQuarantinedItems(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-selection");
      List<String> ids = seed(stack, seeds, group, 12);
      // Picked: 5 QUARANTINED items, one picked twice, one DISCARDED meanwhile, and one id that does not exist.
      seeds.store().operator().discard(ids.get(5), "not this one", "it").toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      List<String> picked = new ArrayList<>(ids.subList(0, 6));
      picked.add(ids.get(0));
      picked.add("no-such-item");
      io.vertx.core.json.JsonArray pickedJson = new io.vertx.core.json.JsonArray(picked);
      Http.Response created = operator.post(stack.consoleUrl() + JOBS, "application/json",
          new JsonObject().put("ids", pickedJson).put("ratePerSecond", 50).encode());
      assertEquals(202, created.status(), created.body());
      assertEquals(5, created.json().getLong("matched"), created.body());
      String id = created.json().getString("id");
      JsonObject done = awaitJob(stack.consoleUrl(), id, "DONE", j -> "DONE".equals(j.getString("state")));
      assertEquals(5, count(done, "total"), done.encode());
      assertEquals(5, count(done, "sent"), done.encode());
      assertEquals(ids.subList(0, 5), done.getJsonArray("selection").getList(), done.encode());
      for (int i = 0; i < ids.size(); i++) {
        QuarantineStatus expected = i < 5 ? QuarantineStatus.REDRIVEN
            : i == 5 ? QuarantineStatus.DISCARDED : QuarantineStatus.QUARANTINED;
        assertEquals(expected, item(seeds, ids.get(i)).status(), "item " + i);
      }
      JsonObject entry = operator.get(stack.consoleUrl() + "/api/v1/audit?action=JOB_CREATE&limit=100").json()
          .getJsonArray("entries").stream().map(JsonObject.class::cast)
          .filter(e -> e.getString("detail").startsWith("job " + id + ": a selection of 5 item(s)"))
          .findFirst().orElseThrow(() -> new AssertionError("no JOB_CREATE entry for job " + id));
      assertEquals(new java.util.HashSet<>(ids.subList(0, 5)),
          new java.util.HashSet<>(entry.getJsonArray("itemIds").getList()), entry.encode());

      // Nothing left to redrive in the same selection: 409 naming the first item's status, and no job.
      Http.Response again = operator.post(stack.consoleUrl() + JOBS, "application/json",
          new JsonObject().put("ids", new io.vertx.core.json.JsonArray(ids.subList(0, 5))).encode());
      assertEquals(409, again.status(), again.body());
      assertTrue(again.body().contains("REDRIVEN"), again.body());
      Http.Response both = operator.post(stack.consoleUrl() + JOBS, "application/json",
          new JsonObject().put("ids", pickedJson).put("filter", new JsonObject()).encode());
      assertEquals(400, both.status(), both.body());
      assertTrue(both.body().contains("\"/ids\""), both.body());
    }
  }

  @Test
  void aDryRunCountsAndSendsNothing(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-dry");
      List<String> ids = seed(stack, seeds, group, 7);
      Http.Response created = create(operator, stack.consoleUrl(), group, 10, true);
      assertEquals(202, created.status(), created.body());
      assertEquals(7, created.json().getLong("matched"));
      JsonObject job = job(stack.consoleUrl(), created.json().getString("id"));
      assertEquals("DONE", job.getString("state"));
      assertTrue(job.getBoolean("dryRun"));
      assertEquals(7, count(job, "total"));
      assertEquals(0, count(job, "sent"));
      Thread.sleep(500);
      for (String itemId : ids) {
        assertEquals(QuarantineStatus.QUARANTINED, item(seeds, itemId).status(), itemId);
      }
    }
  }

  @Test
  void pauseStopsSendingResumeContinuesCancelEndsAndInvalidMovesAre409(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-pause");
      seed(stack, seeds, group, 40);
      String id = create(operator, stack.consoleUrl(), group, 5, false).json().getString("id");
      String url = stack.consoleUrl() + JOBS + "/" + id;
      awaitJob(stack.consoleUrl(), id, "sending", j -> count(j, "sent") >= 2);

      Http.Response paused = operator.post(url + "/pause", "application/json", "");
      assertEquals(200, paused.status(), paused.body());
      assertEquals("PAUSED", paused.json().getString("state"));
      long sentAtPause = count(job(stack.consoleUrl(), id), "sent");
      Thread.sleep(1_500);
      assertEquals(sentAtPause, count(job(stack.consoleUrl(), id), "sent"), "nothing is sent while paused");
      assertEquals(409, operator.post(url + "/pause", "application/json", "").status());

      Http.Response resumed = operator.post(url + "/resume", "application/json", "");
      assertEquals(200, resumed.status(), resumed.body());
      assertEquals("RUNNING", resumed.json().getString("state"));
      awaitJob(stack.consoleUrl(), id, "sending again", j -> count(j, "sent") > sentAtPause);
      assertEquals(409, operator.post(url + "/resume", "application/json", "").status());

      Http.Response cancelled = operator.post(url + "/cancel", "application/json", "");
      assertEquals(200, cancelled.status(), cancelled.body());
      assertEquals("CANCELLED", cancelled.json().getString("state"));
      long sentAtCancel = count(job(stack.consoleUrl(), id), "sent");
      Thread.sleep(1_000);
      assertEquals(sentAtCancel, count(job(stack.consoleUrl(), id), "sent"));
      assertTrue(sentAtCancel < 40, "cancelled before the end: " + sentAtCancel);
      Http.Response again = operator.post(url + "/resume", "application/json", "");
      assertEquals(409, again.status(), again.body());
      assertEquals("CANCELLED", again.json().getString("currentState"));

      assertEquals(404, operator.get(stack.consoleUrl() + JOBS + "/0123456789abcdef").status());
      String audit = operator.get(stack.consoleUrl() + "/api/v1/audit?actor=" + Http.DEV_OPERATOR).body();
      for (String action : List.of("JOB_PAUSE", "JOB_RESUME", "JOB_CANCEL")) {
        assertTrue(audit.contains(action), action + " in " + audit);
      }
    }
  }

  @Test
  void twoIdenticalJobsAtOnceRedriveEachItemOnceInTotal(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-race");
      List<String> ids = seed(stack, seeds, group, 30);
      CompletableFuture<Http.Response> a = CompletableFuture.supplyAsync(
          () -> create(operator, stack.consoleUrl(), group, 20, false));
      CompletableFuture<Http.Response> b = CompletableFuture.supplyAsync(
          () -> create(Http.withKey(Http.DEV_ADMIN), stack.consoleUrl(), group, 20, false));
      String idA = a.get(30, TimeUnit.SECONDS).json().getString("id");
      String idB = b.get(30, TimeUnit.SECONDS).json().getString("id");
      JsonObject jobA = awaitJob(stack.consoleUrl(), idA, "DONE", j -> "DONE".equals(j.getString("state")));
      JsonObject jobB = awaitJob(stack.consoleUrl(), idB, "DONE", j -> "DONE".equals(j.getString("state")));
      assertEquals(30, count(jobA, "sent") + count(jobB, "sent"), jobA + "\n" + jobB);
      assertEquals(count(jobA, "total") + count(jobB, "total") - 30, count(jobA, "skipped") + count(jobB, "skipped"));
      assertTrue(count(jobA, "skipped") + count(jobB, "skipped") > 0, "the jobs overlapped: " + jobA + "\n" + jobB);
      for (String itemId : ids) {
        assertEquals(1, item(seeds, itemId).redriveCount(), itemId + " redriven once in total");
      }
    }
  }

  @Test
  void aViewerMayReadJobsButNotStartOrControlThem(Stack stack) {
    Http.Response r = create(Http.viewer(), stack.consoleUrl(), "anything", 10, false);
    assertEquals(403, r.status(), r.body());
    assertEquals(200, Http.viewer().get(stack.consoleUrl() + JOBS).status());
    assertEquals(403, Http.viewer().post(stack.consoleUrl() + JOBS + "/0123456789abcdef/pause", "application/json",
        "").status());
    Http.Response bad = operator.post(stack.consoleUrl() + JOBS, "application/json",
        "{\"filter\":{\"status\":\"RESOLVED\"}}");
    assertEquals(400, bad.status(), bad.body());
    assertEquals("/filter/status", bad.json().getString("pointer"));
  }

  /** A console of the test's own on the stack's tables and queues, as Services builds one. */
  private static final class OwnConsole implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final ConsoleVerticle verticle;
    final SqsClient sqs;
    final software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;

    /**
     * A console of the test's own on a jobs table of the test's own, so that no other console (the stack's) ever
     * takes its jobs over; with a short lease, so that takeovers are quick.
     */
    OwnConsole(Stack stack, String jobsTable) throws Exception {
      SluiceConfig config = SluiceConfig.from(RawConfig.of(Map.of(
          "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
          "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
          "sluice.sqs.endpoint", stack.engines().sqsEndpoint(),
          "sluice.console.port", "0",
          "sluice.console.dev.users", "true",
          "sluice.console.jobs.table", jobsTable,
          "sluice.console.jobs.lease", "3s")));
      sqs = AwsClients.sqs(config.aws());
      dynamo = AwsClients.dynamo(config.aws());
      JobStore.ensure(dynamo, jobsTable);
      EventAppender appender = RedriveService.appender(vertx, stack.kafkaProps(), Duration.ofSeconds(5))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      verticle = new ConsoleVerticle(config.console(), Services.consoleParts(vertx, config,
          SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()), dynamo, sqs, appender, Optional.empty(), meters),
          meters);
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url() {
      return "http://127.0.0.1:" + verticle.actualPort();
    }

    @Override
    public void close() throws Exception {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } finally {
        sqs.close();
        dynamo.close();
      }
    }
  }

  @Test
  void aRestartedConsoleResumesItsRunningJobWhereItWas(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-restart");
      List<String> ids = seed(stack, seeds, group, 40);
      String table = unique("it-jobs");
      String id;
      long sentBeforeStop;
      try (OwnConsole first = new OwnConsole(stack, table)) {
        Http.Response created = create(operator, first.url(), group, 10, false);
        assertEquals(202, created.status(), created.body());
        id = created.json().getString("id");
        awaitJob(first.url(), id, "sending", j -> count(j, "sent") >= 5);
      }
      RedriveJob stopped = stored(stack, table, id);
      sentBeforeStop = stopped.counts().sent();
      assertEquals(JobState.RUNNING, stopped.state(), "a stopped console leaves its job RUNNING");
      assertTrue(stopped.lease().isEmpty(), "a stopped console gives its lease up: " + stopped.lease());
      assertTrue(sentBeforeStop < 40, "stopped mid-job: " + stopped.toJson());
      Thread.sleep(500);
      assertEquals(sentBeforeStop, stored(stack, table, id).counts().sent(), "nothing runs it meanwhile");

      try (OwnConsole second = new OwnConsole(stack, table)) {
        JsonObject done = awaitJob(second.url(), id, "DONE", j -> "DONE".equals(j.getString("state")));
        assertEquals(40, count(done, "sent"), done.encode());
        assertEquals(40, count(done, "total"), done.encode());
      }
      for (String itemId : ids) {
        QuarantineItem i = item(seeds, itemId);
        assertEquals(QuarantineStatus.REDRIVEN, i.status(), itemId);
        assertEquals(1, i.redriveCount(), itemId + " redriven once across the restart");
      }
    }
  }

  /** The job as stored in a test's own jobs table. */
  private static RedriveJob stored(Stack stack, String table, String id) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (var dynamo = AwsClients.dynamo(config(stack).aws())) {
      return new JobStore(vertx, dynamo, table, Clock.systemUTC()).get(id).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS).orElseThrow();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void whenTheConsoleRunningAJobStopsAnotherConsoleTakesItOverAndRedrivesEachItemOnce(Stack stack)
      throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-takeover");
      List<String> ids = seed(stack, seeds, group, 40);
      String table = unique("it-jobs");
      try (OwnConsole b = new OwnConsole(stack, table)) {
        String id;
        String runByA;
        try (OwnConsole a = new OwnConsole(stack, table)) {
          Http.Response created = create(operator, a.url(), group, 8, false);
          assertEquals(202, created.status(), created.body());
          id = created.json().getString("id");
          runByA = created.json().getJsonObject("job").getJsonObject("runBy").getString("instance");
          awaitJob(a.url(), id, "sending", j -> count(j, "sent") >= 3);
          // Both consoles are up, and each looks for unattended jobs every second: the one that runs it keeps it.
          for (int i = 0; i < 5; i++) {
            JsonObject seenByB = job(b.url(), id);
            assertEquals(runByA, seenByB.getJsonObject("runBy").getString("instance"), seenByB.encode());
            Thread.sleep(500);
          }
        }
        JsonObject done = awaitJob(b.url(), id, "DONE", j -> "DONE".equals(j.getString("state")));
        assertEquals(40, count(done, "sent") + count(done, "skipped"), done.encode());
        assertEquals(40, count(done, "total"), done.encode());
        JsonObject runBy = done.getJsonObject("runBy");
        assertTrue(runBy == null || !runByA.equals(runBy.getString("instance")), "taken over: " + done.encode());
      }
      for (String itemId : ids) {
        QuarantineItem i = item(seeds, itemId);
        assertEquals(QuarantineStatus.REDRIVEN, i.status(), itemId);
        assertEquals(1, i.redriveCount(), itemId + " redriven once across the takeover");
      }
    }
  }

  @Test
  void aRestartedConsoleLearnsTheOutcomesOfRedrivesSentBeforeIt(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-outcomes");
      List<String> ids = seed(stack, seeds, group, 30);
      String table = unique("it-jobs");
      String id;
      try (OwnConsole first = new OwnConsole(stack, table)) {
        Http.Response created = create(operator, first.url(), group, 50, false);
        assertEquals(202, created.status(), created.body());
        id = created.json().getString("id");
        JsonObject done = awaitJob(first.url(), id, "DONE", j -> "DONE".equals(j.getString("state")));
        assertEquals(0, count(done, "succeeded") + count(done, "failedAgain"), "no consumer has answered yet");
      }
      // While no console runs, the consumer answers: 20 taken, 10 failed again.
      for (int i = 0; i < ids.size(); i++) {
        String itemId = ids.get(i);
        if (i < 20) {
          seeds.store().operator().resolve(itemId, "it").toCompletionStage().toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
        } else {
          seeds.store().operator().requarantine(itemId, QuarantineReason.HANDLER_REJECTED,
              "dev.sluice.demo.PriceTooHigh",
              "still too high", List.of(), 1, "it").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
      }
      try (OwnConsole second = new OwnConsole(stack, table)) {
        JsonObject learned = awaitJob(second.url(), id, "all outcomes learned",
            j -> count(j, "succeeded") + count(j, "failedAgain") == 30);
        assertEquals(20, count(learned, "succeeded"), learned.encode());
        assertEquals(10, count(learned, "failedAgain"), learned.encode());
        assertEquals("DONE", learned.getString("state"), "10 of 30 is below the halt ratio's minimum outcomes");
      }
    }
  }

  @Test
  void anOutcomeIsCountedOnceEvenWhenCountedAgain(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-once");
      List<String> ids = seed(stack, seeds, group, 3);
      Vertx vertx = Vertx.vertx();
      SluiceConfig config = config(stack);
      try (var dynamo = AwsClients.dynamo(config.aws())) {
        JobStore jobs = new JobStore(vertx, dynamo, JobSettings.DEFAULT_TABLE, Clock.systemUTC());
        String jobId = unique("once");
        Instant now = Instant.now();
        jobs.create(new RedriveJob(jobId, JobState.DONE, new JsonObject(), 1, false, "it", now, now,
            new JobCounts(3, 3, 0, 0, 0), 3, Optional.empty(), true, 0, Optional.empty(), Optional.empty(), List.of()))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        RedriveOutcomes outcomes = seeds.store().outcomes();
        List<JobStore.CountedOutcome> counted = new ArrayList<>();
        for (String itemId : ids) {
          seeds.store().operator().requestRedrive(itemId, Optional.empty(), "it")
              .toCompletionStage().toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
          counted.add(new JobStore.CountedOutcome(itemId, true, outcomes.countOnce(itemId, 1)));
        }
        JobCounts first = jobs.countOutcomes(jobId, counted).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        assertEquals(3, first.succeeded());
        // A console that died after counting and before forgetting reads the same watches again.
        JobCounts again = jobs.countOutcomes(jobId, counted).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        assertEquals(0, again.succeeded() + again.failedAgain(), "counted once");
        // The next redrive of the same item is an outcome of its own.
        JobCounts next = jobs.countOutcomes(jobId, List.of(new JobStore.CountedOutcome(ids.get(0), false,
            outcomes.countOnce(ids.get(0), 2)))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, next.failedAgain());
        RedriveJob stored = jobs.get(jobId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
            .orElseThrow();
        assertEquals(3, stored.counts().succeeded(), stored.toJson().encode());
        assertEquals(1, stored.counts().failedAgain(), stored.toJson().encode());
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aJobWhoseRedrivenEventsFailAgainHaltsItself(Stack stack) throws Exception {
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("jobs-halt");
      List<String> ids = seed(stack, seeds, group, 200);
      String id = create(operator, stack.consoleUrl(), group, 25, false).json().getString("id");
      // Plays the consumer that rejects every redriven event again: REDRIVEN -> QUARANTINED.
      AtomicBoolean failing = new AtomicBoolean(true);
      CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
        while (failing.get()) {
          for (String itemId : ids) {
            try {
              if (item(seeds, itemId).status() == QuarantineStatus.REDRIVEN) {
                seeds.store().operator().requarantine(itemId, QuarantineReason.HANDLER_REJECTED,
                    "dev.sluice.demo.PriceTooHigh",
                    "still too high", List.of(), 1, "it").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
              }
            } catch (Exception e) {
              // raced with the job; the next round sees it
            }
          }
        }
      });
      try {
        JsonObject halted = awaitJob(stack.consoleUrl(), id, "HALTED", j -> "HALTED".equals(j.getString("state")));
        assertTrue(count(halted, "failedAgain") >= 50, halted.encode());
        assertTrue(count(halted, "sent") < 200, "halted before the end: " + halted.encode());
        assertTrue(halted.getString("detail").contains("failed again"), halted.encode());
        long sentAtHalt = count(halted, "sent");
        Thread.sleep(1_000);
        assertEquals(sentAtHalt, count(job(stack.consoleUrl(), id), "sent"), "a halted job sends nothing more");
      } finally {
        failing.set(false);
        consumer.get(30, TimeUnit.SECONDS);
      }
      String audit = operator.get(stack.consoleUrl() + "/api/v1/audit?action=JOB_HALT").body();
      assertTrue(audit.contains("job " + id + " halted"), audit);
    }
  }
}

package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.config.GroupsSettings;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.ServiceVerticles;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Fan-out: fifty wrapped consumer groups, each with a light handler, on one Vert.x in this process, read one stream of
 * their own while events are produced to it at a steady rate. Every group gets every event (its handler saw each
 * CloudEvent id), every group shows in the console's stream catalog as wrapped with its lag from Kafka, and the run
 * prints one line with what it measured: how long the groups took to start and to show in the catalog, the production
 * rate, how long until the last group had everything, and the largest lag seen (in the catalog, and in process).
 *
 * <p>The Vert.x is given a worker pool sized for the groups: each wrapped group keeps two SQS long polls (its redrive
 * and retry queues) in flight at all times, each holding a worker thread while it waits. On Vert.x's default twenty
 * workers every other blocking call (heartbeats, queue creation, the Kafka client's construction) waits behind up to a
 * hundred long polls: the starts took 33 s instead of 5, and the heartbeats came too late for the catalog ever to show
 * all fifty at once. See docs/consumers.md, "Many groups in one process".
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(240)
class FanOutIT {
  private static final int GROUPS = 50;
  private static final int EVENTS = 3_000;
  private static final int PARTITIONS = 3;
  /** The production rate aimed at: the run produces for EVENTS / PER_SECOND seconds, while the groups read. */
  private static final int PER_SECOND = 500;
  private static final String TYPE = "retail.product.created";
  /**
   * Two long polls per group hold a worker each, always; the rest is for everything else that blocks.
   * {@code -Dsluice.fanout.workers=20} runs the groups on Vert.x's default pool instead, to see what that costs.
   */
  private static final int WORKER_THREADS = Integer.getInteger("sluice.fanout.workers", 2 * GROUPS + 20);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Http viewer = Http.viewer();

  /** One group's handler: counts every call, keeps the distinct event ids, and notes when it has all of them. */
  private static final class Counting {
    final String group;
    final Set<String> ids = ConcurrentHashMap.newKeySet();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong completeAt = new AtomicLong();

    Counting(String group) {
      this.group = group;
    }

    // Runs on the group's event loop: nothing in it blocks.
    Future<Void> handle(ConsumedEvent event) {
      calls.incrementAndGet();
      if (ids.add(event.event().id()) && ids.size() == EVENTS) {
        completeAt.compareAndSet(0, System.nanoTime());
      }
      return Future.succeededFuture();
    }
  }

  /** What the catalog showed while the events flowed. */
  private static final class CatalogWatch {
    final AtomicLong maxLag = new AtomicLong(-1);
    final AtomicLong polls = new AtomicLong();
    final AtomicLong slowestMillis = new AtomicLong();
    /** Reads in which one of our groups had no lag: Kafka's answer missing, or nothing committed yet. */
    final AtomicLong withoutLag = new AtomicLong();
    volatile boolean watching = true;
  }

  @Test
  void fiftyWrappedGroupsEachGetEveryEventAndShowInTheCatalogWithTheirLag(Stack stack) throws Exception {
    String stream = "it-fanout-" + UUID.randomUUID().toString().substring(0, 8);
    SchemaRegistry registry = createStream(stack, stream);
    GroupsSettings heartbeats = SluiceConfig.from(RawConfig.of(StackExtension.settings())).groups();
    AwsConfig aws = AwsConfig.local(stack.engines().dynamoEndpoint(), stack.engines().sqsEndpoint());
    Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(WORKER_THREADS));
    ServiceVerticles consumers = new ServiceVerticles(vertx);
    SqsClient sqs = AwsClients.sqs(aws);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Counting> groups = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      groups.add(new Counting(String.format("it-fanout-g%02d-%s", g, stream.substring(stream.length() - 8))));
    }
    Set<String> ours = new HashSet<>(groups.stream().map(c -> c.group).toList());
    List<String> deployments = new ArrayList<>();
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<String, Object>(Map.of(
        "bootstrap.servers", stack.engines().bootstrapServers(), "acks", "all", "linger.ms", 5)),
        new ByteArraySerializer(), new ByteArraySerializer());
    CatalogWatch watch = new CatalogWatch();
    var sampler = Executors.newSingleThreadScheduledExecutor();
    try {
      // Started side by side: each start waits for its Kafka client, its two queues and its first heartbeat.
      long startAt = System.nanoTime();
      List<Callable<String>> starts = new ArrayList<>();
      for (Counting c : groups) {
        QuarantiningConsumer consumer = QuarantiningConsumer.builder(config(c.group, stream))
            .kafka(stack.kafkaProps())
            .store(stack.dynamo(), stack.quarantineTable())
            .queues(sqs, aws.queuePrefix())
            .schemas(registry)
            .heartbeat(heartbeats.table(), heartbeats.heartbeatInterval(), heartbeats.aliveFor())
            .handler(c::handle)
            .build(vertx);
        starts.add(() -> consumers.start(consumer::start, consumer::stop));
      }
      for (var started : pool.invokeAll(starts)) {
        deployments.add(started.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      double startSeconds = secondsSince(startAt);
      Eventually.await("all " + GROUPS + " groups in the catalog as wrapped", WAIT, () -> Optional.of(readers(stack,
          stream, ours)).filter(r -> r.size() == GROUPS && r.stream().allMatch(g -> g.getBoolean("wrapped"))));
      double inCatalogSeconds = secondsSince(startAt);

      var watching = pool.submit(() -> watchCatalog(stack, stream, ours, watch));
      AtomicLong acked = new AtomicLong();
      AtomicLong maxBacklog = new AtomicLong();
      // In process, every 100 ms: how far the slowest group is behind what the broker has acknowledged.
      sampler.scheduleAtFixedRate(() -> maxBacklog.accumulateAndGet(acked.get()
          - groups.stream().mapToLong(c -> c.ids.size()).min().orElse(0), Math::max), 0, 100, TimeUnit.MILLISECONDS);

      Set<String> produced = ConcurrentHashMap.newKeySet();
      AtomicReference<Exception> sendFailure = new AtomicReference<>();
      long produceAt = System.nanoTime();
      for (int i = 0; i < EVENTS; i++) {
        // Paced in slices of a tenth of a second: the events flow while the groups read, not all at once.
        if (i % (PER_SECOND / 10) == 0) {
          long due = produceAt + TimeUnit.SECONDS.toNanos(1) * i / PER_SECOND;
          long early = due - System.nanoTime();
          if (early > 0) {
            TimeUnit.NANOSECONDS.sleep(early);
          }
        }
        String id = UUID.randomUUID().toString();
        produced.add(id);
        producer.send(event(stream, id, "p-" + (i % 300)), (meta, e) -> {
          if (e != null) {
            sendFailure.compareAndSet(null, e);
          } else {
            acked.incrementAndGet();
          }
        });
      }
      producer.flush();
      long producedAt = System.nanoTime();
      assertNull(sendFailure.get(), "every event written");
      assertEquals(EVENTS, acked.get());
      double produceSeconds = (producedAt - produceAt) / 1e9;

      Eventually.await("every group has all " + EVENTS + " events", WAIT, () -> Optional.of(groups)
          .filter(all -> all.stream().allMatch(c -> c.ids.size() >= EVENTS)));
      long lastComplete = groups.stream().mapToLong(c -> c.completeAt.get()).max().orElseThrow();
      sampler.shutdownNow();
      for (Counting c : groups) {
        Set<String> missing = new HashSet<>(produced);
        missing.removeAll(c.ids);
        assertEquals(0, missing.size(), c.group + " missed " + missing.size() + " events, e.g. "
            + missing.stream().limit(3).toList());
        assertEquals(EVENTS, c.ids.size(), c.group + " saw only the events produced");
      }
      long duplicates = groups.stream().mapToLong(c -> c.calls.get() - c.ids.size()).sum();

      // Every group committed up to the end: the catalog shows each with its lag from Kafka, and it is 0.
      List<JsonObject> caughtUp = Eventually.await("every group in the catalog with lag 0", WAIT, () -> Optional
          .of(readers(stack, stream, ours)).filter(r -> r.size() == GROUPS && r.stream().allMatch(g ->
              g.getBoolean("wrapped") && g.getValue("lag") != null && g.getLong("lag") == 0L)));
      watch.watching = false;
      watching.get(30, TimeUnit.SECONDS);
      assertEquals(GROUPS, caughtUp.size());
      assertTrue(watch.polls.get() > 0, "the catalog was read while the events flowed");

      double endToEnd = (lastComplete - produceAt) / 1e9;
      System.out.printf("FanOutIT: %d wrapped groups (%d worker threads), %d events on %d partitions; "
              + "groups started in %.1f s, all in the catalog after %.1f s; "
              + "produced at %.0f events/s (aimed at %d) in %.1f s; "
              + "every group had every event %.1f s after the first send (%.1f s after the last), "
              + "%d deliveries at %.0f/s, %d duplicates; "
              + "max lag of a group in the catalog while flowing %d (%d reads, %d of them without every group's lag, "
              + "slowest %d ms); max in-process backlog of the slowest group %d%n",
          GROUPS, WORKER_THREADS, EVENTS, PARTITIONS, startSeconds, inCatalogSeconds,
          EVENTS / produceSeconds, PER_SECOND, produceSeconds,
          endToEnd, (lastComplete - producedAt) / 1e9,
          (long) GROUPS * EVENTS, GROUPS * EVENTS / endToEnd, duplicates,
          watch.maxLag.get(), watch.polls.get(), watch.withoutLag.get(), watch.slowestMillis.get(), maxBacklog.get());
    } finally {
      watch.watching = false;
      sampler.shutdownNow();
      long stopAt = System.nanoTime();
      List<Callable<Void>> stops = new ArrayList<>();
      for (String d : deployments) {
        stops.add(() -> {
          consumers.stop(d);
          return null;
        });
      }
      // Stopped side by side too: each waits for its drainers' long polls in hand (about a second).
      for (var stopped : pool.invokeAll(stops)) {
        stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      consumers.stopAll();
      System.out.printf("FanOutIT: %d groups stopped in %.1f s%n", deployments.size(), secondsSince(stopAt));
      pool.shutdownNow();
      producer.close(Duration.ofSeconds(5));
      forget(stack, sqs, aws, ours);
      sqs.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Light settings: short long polls, so that the groups stop within about a second; commits twice a second. */
  private static WrapperConfig config(String group, String stream) {
    DelayedRetry off = DelayedRetry.disabled();
    return WrapperConfig.of(group, Set.of(stream), StackExtension.TEST_BACKOFF).with(d -> {
      d.delayed = new DelayedRetry(false, off.backoff(), Duration.ofSeconds(1), off.resendAfter());
      d.redriveWait = Duration.ofSeconds(1);
      d.commitInterval = Duration.ofMillis(500);
    });
  }

  /**
   * A stream of its own, registered through the gateway (so the console's catalog knows it), and the wrappers' view
   * of it: the product type, checked against its schema.
   */
  private static SchemaRegistry createStream(Stack stack, String stream) throws Exception {
    JsonObject definition = new JsonObject().put("topic", stream).put("partitions", PARTITIONS)
        .put("ordering", "KEY_ORDERED").put("types", new JsonArray().add(new JsonObject().put("type", TYPE)
            .put("partitionKey", "/id")));
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(stack.gatewayUrl() + "/v1/streams/" + stream))
        .header("Authorization", "Bearer " + Http.DEV_ADMIN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(definition.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    return SchemaRegistry.fromCatalog(StreamCatalog.parse(new JsonObject().put("streams", new JsonArray()
        .add(definition.copy().put("name", stream).put("types", new JsonArray().add(new JsonObject()
            .put("type", TYPE).put("partitionKey", "/id").put("schema", TYPE + ".json"))))).encode(), "fanout-it"));
  }

  /** A product event, binary mode as the gateway writes it, keyed by the product id. */
  private static ProducerRecord<byte[], byte[]> event(String stream, String id, String productId) {
    CloudEvent e = new CloudEvent("1.0", id, "/it/fanout", TYPE, "application/json", null, null, null, Map.of(),
        new JsonObject().put("id", productId).put("brand", "Acme").put("name", "Anvil").put("category", "tools")
            .put("price", 10).encode());
    List<Header> headers = CloudEventKafkaBinding.headers(e).stream()
        .map(h -> (Header) new RecordHeader(h.key(), h.value())).toList();
    return new ProducerRecord<>(stream, null, null, productId.getBytes(StandardCharsets.UTF_8),
        e.data().getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Our groups among the stream's readers in the catalog (an empty list while the console does not know it). */
  private List<JsonObject> readers(Stack stack, String stream, Set<String> ours) {
    Http.Response r = viewer.get(stack.consoleUrl() + "/api/v1/catalog/streams/" + stream);
    if (r.status() != 200) {
      return List.of();
    }
    return r.json().getJsonArray("groups").stream().map(JsonObject.class::cast)
        .filter(g -> ours.contains(g.getString("group"))).toList();
  }

  /** Reads the catalog until told to stop, keeping the largest lag of one of our groups it showed. */
  private Void watchCatalog(Stack stack, String stream, Set<String> ours, CatalogWatch watch) throws Exception {
    while (watch.watching) {
      long at = System.nanoTime();
      List<JsonObject> seen = readers(stack, stream, ours);
      watch.slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at), Math::max);
      watch.polls.incrementAndGet();
      if (seen.size() < ours.size() || seen.stream().anyMatch(g -> g.getValue("lag") == null)) {
        watch.withoutLag.incrementAndGet();
      }
      seen.stream().filter(g -> g.getValue("lag") != null).mapToLong(g -> g.getLong("lag"))
          .forEach(lag -> watch.maxLag.accumulateAndGet(lag, Math::max));
      Thread.sleep(250);
    }
    return null;
  }

  /**
   * Removes what this test made and nothing else: its groups' committed offsets (the catalog reads every group the
   * broker knows, so fifty stale ones would slow every later page) and their redrive and retry queues.
   */
  private static void forget(Stack stack, SqsClient sqs, AwsConfig aws, Set<String> ours) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(stack.kafkaProps()))) {
      for (var deleted : admin.deleteConsumerGroups(List.copyOf(ours)).deletedGroups().values()) {
        try {
          deleted.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // A group that never committed (its start failed) may be gone already: nothing of ours is left there.
          if (!(e.getCause() instanceof GroupIdNotFoundException)) {
            throw e;
          }
        }
      }
    }
    for (String group : ours) {
      for (String queue : List.of(RedriveQueue.queueName(aws.queuePrefix(), group),
          RetryQueue.queueName(aws.queuePrefix(), group))) {
        try {
          sqs.deleteQueue(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(queue)).queueUrl()));
        } catch (QueueDoesNotExistException neverMade) {
          // The group's start failed before it made this queue.
        }
      }
    }
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}

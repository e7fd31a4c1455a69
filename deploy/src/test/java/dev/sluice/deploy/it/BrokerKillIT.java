package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.SluiceProcess;
import dev.sluice.gateway.GatewayVerticle;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kills the broker (SIGKILL, a separate process started as {@code ./sluice kafka} starts it) in the middle of a load
 * of retrying clients, restarts it on the same data and ports, and then reads the whole topic back:
 * <ul>
 *   <li>every event that got a 2xx is in the topic (a 2xx means acks=all);
 *   <li>every posted event eventually got a 2xx (the clients retried through the outage on 503);
 *   <li>duplicates, if any, are the same event: same CloudEvent id, same bytes.
 * </ul>
 *
 * <p>Why a SIGKILL of a single-node broker loses nothing acknowledged: with acks=all on one node, the broker
 * acknowledges once the record is in its log segment through the OS page cache, not once it is fsynced
 * ({@code log.flush.interval.messages} is unbounded by default). A killed process leaves the page cache to the OS,
 * which writes it out later, so the restarted broker finds every acknowledged record. A power cut or kernel crash
 * would lose the unflushed tail: on one node, only replication (RF >= 3, min.insync.replicas = 2) protects against
 * that, which is what acks=all is for in production.
 */
class BrokerKillIT {
  private static final System.Logger LOG = System.getLogger(BrokerKillIT.class.getName());

  private static final int EVENTS = 20_000;
  private static final int CLIENTS = 16;
  private static final int KILL_AFTER_ACKS = 5_000;
  private static final Duration DOWN_FOR = Duration.ofSeconds(3);
  private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(5);
  /** Every client gives up on an event after this many attempts or when the load's time runs out. */
  private static final int MAX_ATTEMPTS = 200;
  private static final Duration LOAD_BUDGET = Duration.ofSeconds(110);
  private static final String TOPIC = "retail";

  /** What the load saw, shared by the client threads. */
  private static final class Load {
    final Map<String, String> acked = new ConcurrentHashMap<>(EVENTS * 2);
    final Map<String, String> gaveUp = new ConcurrentHashMap<>();
    final AtomicInteger acks = new AtomicInteger();
    final LongAdder unavailable = new LongAdder();
    final LongAdder connectionErrors = new LongAdder();
    final LongAdder otherStatuses = new LongAdder();
    final AtomicLong killedAt = new AtomicLong();
    final AtomicLong restartedAt = new AtomicLong();
    final AtomicLong firstAckAfterRestart = new AtomicLong();
    final AtomicLong lastUnavailable = new AtomicLong();
    /** The slowest 503: how long a client waited for a "not now" during the outage. */
    final AtomicLong slowestUnavailableNanos = new AtomicLong();
  }

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void everyAcknowledgedEventSurvivesABrokerKill() throws Exception {
    Path workDir = Files.createTempDirectory("sluice-broker-kill");
    int[] ports = FreePorts.pick(2);
    Map<String, String> kafkaProps = Map.of("bootstrap.servers", "127.0.0.1:" + ports[0]);
    Vertx vertx = Vertx.vertx();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
    try (SluiceProcess broker = SluiceProcess.kafka(workDir, ports[0], ports[1])) {
      Duration firstStart = broker.start(Duration.ofSeconds(60));
      LOG.log(System.Logger.Level.INFO, "broker process up in {0} ms", firstStart.toMillis());
      try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      StreamCatalog catalog = StreamCatalog.loadDefault();
      GatewayVerticle gateway = new GatewayVerticle(
          new GatewayConfig("127.0.0.1", 0, GatewayConfig.DEFAULT_MAX_BODY_BYTES, APPEND_TIMEOUT), 
          SchemaRegistry.fromCatalog(catalog), kafkaProps, meters);
      vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      URI events = URI.create("http://127.0.0.1:" + gateway.actualPort() + "/v1/streams/" + TOPIC + "/events");

      String run = Long.toString(System.currentTimeMillis(), 36);
      Load load = new Load();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      long t0 = System.nanoTime();
      long loadDeadline = t0 + LOAD_BUDGET.toNanos();
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        workers.add(clients.submit(() -> {
          for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
            postUntilAccepted(http, events, "kill-" + run + "-" + i, i, load, loadDeadline);
          }
          return null;
        }));
      }
      Future<?> killer = clients.submit(() -> {
        while (load.acks.get() < KILL_AFTER_ACKS && System.nanoTime() < loadDeadline) {
          Thread.sleep(5);
        }
        load.killedAt.set(System.nanoTime());
        broker.kill();
        LOG.log(System.Logger.Level.INFO, "killed the broker (SIGKILL) after {0} acks, {1} ms into the load",
            load.acks.get(), ms(load.killedAt.get() - t0));
        Thread.sleep(DOWN_FOR.toMillis());
        Duration restart = broker.start(Duration.ofSeconds(60));
        load.restartedAt.set(System.nanoTime());
        LOG.log(System.Logger.Level.INFO, "broker process restarted on the same data dir and ports in {0} ms",
            restart.toMillis());
        return null;
      });
      killer.get(LOAD_BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
      for (Future<?> w : workers) {
        w.get(LOAD_BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
      }
      long loadNanos = System.nanoTime() - t0;

      Map<String, List<byte[]>> topic = readWholeTopic(kafkaProps);
      int records = topic.values().stream().mapToInt(List::size).sum();
      long duplicated = topic.values().stream().filter(v -> v.size() > 1).count();

      Map<String, Double> causes = new TreeMap<>();
      for (Counter counter : meters.find(GatewayMetrics.UNAVAILABLE).counters()) {
        causes.put(counter.getId().getTag("cause"), counter.count());
      }
      LOG.log(System.Logger.Level.INFO, String.join("\n  ",
          "broker kill under load:",
          "events posted: " + EVENTS + " by " + CLIENTS + " retrying clients in " + ms(loadNanos) + " ms ("
              + (EVENTS * 1_000_000_000L / loadNanos) + " events/s overall)",
          "acknowledged (2xx): " + load.acked.size() + "; gave up: " + load.gaveUp.size(),
          "503 answers seen: " + load.unavailable.sum() + " (gateway causes " + causes + "); connection errors: "
              + load.connectionErrors.sum() + "; other statuses: " + load.otherStatuses.sum()
              + "; slowest 503 answered after " + ms(load.slowestUnavailableNanos.get()) + " ms (append timeout "
              + APPEND_TIMEOUT.toMillis() + " ms)",
          "killed at " + ms(load.killedAt.get() - t0) + " ms; broker up again " + ms(load.restartedAt.get()
              - load.killedAt.get()) + " ms after the kill; first 2xx after the restart "
              + ms(load.firstAckAfterRestart.get() - load.restartedAt.get()) + " ms after it was up ("
              + ms(load.firstAckAfterRestart.get() - load.killedAt.get()) + " ms after the kill); last 503 at "
              + (load.lastUnavailable.get() == 0 ? "-" : ms(load.lastUnavailable.get() - t0) + " ms"),
          "topic: " + records + " records, " + topic.size() + " distinct event ids, " + (records - topic.size())
              + " duplicate records (" + duplicated + " ids appended more than once)"));

      assertTrue(load.killedAt.get() != 0 && load.restartedAt.get() != 0, "the broker was killed and restarted");
      assertEquals(Map.of(), load.gaveUp, "every posted event eventually got a 2xx");
      assertEquals(0, load.otherStatuses.sum(), "only 202 and 503 answers");
      assertEquals(EVENTS, load.acked.size());
      List<String> lost = load.acked.keySet().stream().filter(id -> !topic.containsKey(id)).sorted().toList();
      assertEquals(List.of(), lost, "every acknowledged event is in the topic");
      List<String> strangers = topic.keySet().stream().filter(id -> !load.acked.containsKey(id)).toList();
      assertEquals(List.of(), strangers, "the topic holds only posted events");
      for (Map.Entry<String, List<byte[]>> e : topic.entrySet()) {
        for (byte[] value : e.getValue()) {
          assertTrue(Arrays.equals(e.getValue().get(0), value), "duplicates of " + e.getKey() + " are the same event");
        }
      }
    } finally {
      clients.shutdownNow();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      DataDirs.wipe(workDir);
    }
  }

  /** Posts one event, retrying the same event on 503 or a connection error, until a 2xx or the budget runs out. */
  private static void postUntilAccepted(HttpClient http, URI url, String id, int i, Load load, long deadline)
      throws InterruptedException {
    String body = new JsonObject().put("specversion", "1.0").put("id", id).put("source", "/it/broker-kill")
        .put("type", "retail.product.created").put("datacontenttype", "application/json")
        .put("data", Events.product("p-" + i, 10 + i % 90)).encode();
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/cloudevents+json")
        .header("Authorization", "Bearer dev-producer")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    for (int attempt = 1; attempt <= MAX_ATTEMPTS && System.nanoTime() < deadline; attempt++) {
      long sentAt = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202) {
          load.acked.put(id, r.body());
          load.acks.incrementAndGet();
          long now = System.nanoTime();
          if (load.restartedAt.get() != 0) {
            load.firstAckAfterRestart.compareAndSet(0, now);
          }
          return;
        }
        if (r.statusCode() != 503) {
          load.otherStatuses.increment();
          load.gaveUp.put(id, r.statusCode() + " " + r.body());
          return;
        }
        load.unavailable.increment();
        long now = System.nanoTime();
        load.lastUnavailable.set(now);
        load.slowestUnavailableNanos.accumulateAndGet(now - sentAt, Math::max);
      } catch (IOException e) {
        load.connectionErrors.increment();
      }
      // Backoff with jitter, capped low: the test wants the clients back as soon as the broker is.
      long backoff = Math.min(1_000, 50L << Math.min(attempt, 5));
      Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
    }
    load.gaveUp.put(id, "no 2xx within the attempts or time");
  }

  /** Every record of the topic from the beginning, grouped by CloudEvent id ({@code ce_id}), values in order. */
  private static Map<String, List<byte[]>> readWholeTopic(Map<String, String> kafkaProps) {
    Map<String, List<byte[]>> byId = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(new HashMap<String, Object>(kafkaProps),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read the topic to its end " + end);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          Header ceId = r.headers().lastHeader("ce_id");
          String id = ceId == null ? "(no ce_id at " + r.partition() + "@" + r.offset() + ")"
              : new String(ceId.value(), StandardCharsets.UTF_8);
          byId.computeIfAbsent(id, k -> new ArrayList<>(1)).add(r.value());
        }
      }
    }
    return byId;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}

package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.MetricsCatalogue;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The metrics catalogue ({@code docs/metrics.md}) is exactly what the running parts export: after a scripted scenario
 * over the whole stack (as {@code ./sluice dev} runs it), every {@code sluice_} family on the gateway's, the console's
 * and the demo consumer's {@code /metrics} is catalogued with its type and labels, and every catalogued family is
 * exported.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class MetricsCatalogueIT {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final Pattern TYPE = Pattern.compile("^# TYPE (sluice_[a-z0-9_]+) ([a-z]+)$");
  private static final Pattern SAMPLE = Pattern.compile("^(sluice_[a-z0-9_]+)(?:\\{(.*)})? ");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Set<String> SERIES_LABELS = Set.of("le", "quantile");

  private final Http producer = Http.producer();
  private final Http operator = Http.operator();

  /** One exported family: its type and the label names of its samples. */
  private record Family(String type, Set<String> labels) {}

  @Test
  void everyExportedMetricIsCataloguedAndEveryCataloguedMetricIsExported(Stack stack) throws Exception {
    runScenario(stack);

    MetricsCatalogue catalogue = MetricsCatalogue.load();
    // Some families appear a moment after the scenario (the redrive's outcome, the release): wait for all of them,
    // then say which are still missing.
    Map<String, Family> exported = scrape(stack);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!missing(catalogue, exported).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      exported = scrape(stack);
    }
    assertEquals(Set.of(), missing(catalogue, exported), "catalogued in docs/metrics.md but not exported");

    Set<String> problems = new TreeSet<>();
    exported.forEach((name, family) -> {
      Optional<MetricsCatalogue.Entry> entry = catalogue.familyOf(name);
      if (entry.isEmpty()) {
        problems.add(name + " is exported but not in docs/metrics.md");
        return;
      }
      boolean maxGauge = name.endsWith("_max") && !name.equals(entry.get().name());
      if (!maxGauge && !entry.get().type().equals(family.type())) {
        problems.add(name + " is a " + family.type() + ", catalogued as a " + entry.get().type());
      }
      if (!entry.get().labels().equals(family.labels())) {
        problems.add(name + " has labels " + family.labels() + ", catalogued " + entry.get().labels());
      }
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /**
   * Families a wrapper exports only while its group replays history: the demo group of this scenario does not, so
   * they are not missed here (their labels are checked whenever they are exported); ReplaySteeringIT reads them.
   */
  private static final String ONLY_DURING_A_REPLAY = "sluice_consumer_replay_";

  private static Set<String> missing(MetricsCatalogue catalogue, Map<String, Family> exported) {
    Set<String> missing = new TreeSet<>(catalogue.entries().keySet());
    missing.removeIf(name -> name.startsWith(ONLY_DURING_A_REPLAY));
    exported.keySet().forEach(n -> catalogue.familyOf(n).ifPresent(e -> missing.remove(e.name())));
    return missing;
  }

  /** Every {@code sluice_} family of the three parts' scrapes. */
  private Map<String, Family> scrape(Stack stack) {
    Map<String, Family> out = new TreeMap<>();
    for (String base : List.of(stack.gatewayUrl(), stack.consoleUrl(), stack.demoUrl())) {
      Http.Response r = producer.get(base + "/metrics");
      assertEquals(200, r.status(), base);
      Map<String, String> types = new TreeMap<>();
      for (String line : r.body().split("\n")) {
        Matcher t = TYPE.matcher(line);
        if (t.matches()) {
          String name = t.group(1);
          // Counters are named with _total in the catalogue, whichever way the exposition writes their TYPE line.
          types.put(t.group(2).equals("counter") && !name.endsWith("_total") ? name + "_total" : name, t.group(2));
          continue;
        }
        Matcher s = SAMPLE.matcher(line);
        if (!s.find()) {
          continue;
        }
        String family = familyOfSample(s.group(1), types);
        Set<String> labels = new TreeSet<>();
        if (s.group(2) != null) {
          Matcher l = LABEL.matcher(s.group(2));
          while (l.find()) {
            if (!SERIES_LABELS.contains(l.group(1))) {
              labels.add(l.group(1));
            }
          }
        }
        Family known = out.get(family);
        Set<String> all = new TreeSet<>(labels);
        if (known != null) {
          all.addAll(known.labels());
        }
        out.put(family, new Family(types.getOrDefault(family, "untyped"), all));
      }
    }
    return out;
  }

  /** A histogram's or summary's _bucket/_count/_sum sample belongs to its family, as typed by its TYPE line. */
  private static String familyOfSample(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_created")) {
      if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    return sample;
  }

  /**
   * Exercises every part: accepted, duplicate, refused (and captured), unauthenticated and batch ingest; a poison
   * record straight into Kafka; a handler rejection, an event parked behind it, and its fixed redrive.
   */
  private void runScenario(Stack stack) throws Exception {
    String events = stack.gatewayUrl() + "/v1/streams/retail/events";
    String productId = Events.uid("p");
    String rejected = Events.structured("retail.product.created", Events.product(productId, 500_000));
    Http.Response first = producer.post(events, "application/cloudevents+json", rejected);
    assertEquals(202, first.status(), first.body());
    assertEquals(202, producer.post(events, "application/cloudevents+json", rejected).status(), "a duplicate");
    Http.Response behind = producer.post(events, "application/cloudevents+json",
        Events.structured("retail.product.created", Events.product(productId, 20)));
    assertEquals(202, behind.status(), behind.body());
    assertEquals(422, producer.post(events, "application/cloudevents+json",
        Events.structured("retail.product.created", new JsonObject().put("id", "x"))).status());
    assertEquals(401, new Http().post(events, "application/cloudevents+json", rejected).status());
    JsonArray batch = new JsonArray()
        .add(new JsonObject(Events.structured("retail.product.created", Events.product(Events.uid("p"), 10))))
        .add(new JsonObject(Events.structured("retail.product.created", Events.product(Events.uid("p"), 11))));
    assertEquals(202, producer.post(events, "application/cloudevents-batch+json", batch.encode()).status());
    try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.<String, Object>copyOf(stack.kafkaProps()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>("retail", Events.uid("k").getBytes(StandardCharsets.UTF_8),
          "not a cloudevent".getBytes(StandardCharsets.UTF_8))).get();
    }

    JsonObject ack = first.json();
    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", ack.getInteger("partition"), ack.getLong("offset"));
    Eventually.await("item " + id, WAIT, () -> Optional.of(operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id))
        .filter(r -> r.status() == 200 && r.json().getString("status").equals("QUARANTINED")));
    JsonObject behindAck = behind.json();
    String behindId = QuarantineItem.idFor(stack.demoGroup(), "retail", behindAck.getInteger("partition"),
        behindAck.getLong("offset"));
    Eventually.await("parked " + behindId, WAIT, () -> Optional.of(
            operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + behindId))
        .filter(r -> r.status() == 200 && r.json().getString("status").equals("PARKED")));
    Http.Response redrive = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive",
        "application/json", new JsonObject().put("data", Events.product(productId, 5)).encode());
    assertEquals(202, redrive.status(), redrive.body());
    Eventually.await("released " + behindId, WAIT, () -> Optional.of(
            operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + behindId))
        .filter(r -> r.status() == 200 && r.json().getString("status").equals("RESOLVED")));
  }
}

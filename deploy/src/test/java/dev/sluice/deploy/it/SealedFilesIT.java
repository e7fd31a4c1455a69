package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.deploy.DevStack;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.engine.Endpoint;
import dev.sluice.deploy.testing.ByteForms;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.ServiceVerticles;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.deploy.testing.StoredBytes;
import dev.sluice.deploy.testing.StoredBytes.Hit;
import dev.sluice.deploy.testing.StoredBytes.Source;
import dev.sluice.deploy.testing.StoredText;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.consumer.EventHandler;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.retry.PoisonPill;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * No value a schema marks sensitive lies in the clear in any byte the engines keep on disk. The whole of Sluice runs as
 * {@code ./sluice dev} runs it ({@link DevStack}: Kafka and DynamoDB Local keeping their files under the dev data
 * directory, the KEK made there on first start), and a scripted run sends marked values everywhere they could land:
 * sealed single and batch ingest, refused events captured at the ingress (one readable, one not), a granted consumer
 * group that quarantines sealed events (a tampered ciphertext, a handler's refusal, a handler failure until its retries
 * are used up, through the quarantine log) and an operator's redrives of them (one with values typed anew, and a
 * captured reject fixed by typing its withheld values), the key table, the audit table (a data
 * subject forgotten), the gateway's dedup table. Then everything stops, so every file is complete, and every byte
 * under the data directory is searched for every marked value ({@link StoredBytes}: whole files, SQLite cells,
 * decompressed Kafka records; UTF-8, UTF-16, base64): none is there. An unmarked value of the same events is found
 * by each way of reading (raw DynamoDB and Kafka files, base64 in DynamoDB, SQLite cells, the lz4-compressed
 * quarantine log's records), so the search can fail; nothing here stores text as UTF-16, so that form has no such
 * control and is searched only in case.
 *
 * <p>Each marked value holds a random core of ASCII letters and digits, which is what is searched for: any copy of the
 * value as text, JSON-escaped or not, contains the core byte for byte.
 *
 * <p>One thing is left out on purpose: the demo group runs ungranted ({@code sluice.demo.unseal=false};
 * {@code ./sluice dev} grants it, and its view then keeps each photographer's name in DynamoDB, to serve it): a
 * granted consumer's read model is its own data, outside what Sluice seals.
 */
@Timeout(120)
class SealedFilesIT {
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private static final String CE = "application/cloudevents+json";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String GROUP = "sealed-files-it";

  private final Http producer = Http.producer();
  private final Http operator = Http.operator();
  private final Http admin = Http.withKey(Http.DEV_ADMIN);
  /** The core of every marked value of the run, and what it was. */
  private final Map<String, String> marked = new ConcurrentHashMap<>();
  /** The data the granted group's handler was called with, as text, every call. */
  private final List<String> handled = new CopyOnWriteArrayList<>();
  /** While set, the handler fails on {@link #failing}'s events, retryably, as on a downstream outage. */
  private final AtomicBoolean downstreamDown = new AtomicBoolean(true);
  /** While set, the handler refuses {@link #refused}'s events as poison. */
  private final AtomicBoolean refusing = new AtomicBoolean(true);
  private final String failing = subject();
  private final String refused = subject();

  @TempDir
  Path dir;

  /** A data subject (a photographer id): not marked, and unique to the run. */
  private static String subject() {
    return "ph-" + HexFormat.of().formatHex(randomBytes(10));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  /** A marked value's core, recorded for the search: letters and digits only, which no encoding of text escapes. */
  private String marker(String what) {
    String core = "mk" + HexFormat.of().formatHex(randomBytes(12));
    marked.put(core, what);
    return core;
  }

  /** A photographer whose name and e-mail are marked values of the run (the name with characters JSON escapes). */
  private JsonObject photographer(String id, String what) {
    return new JsonObject().put("id", id).put("name", "Zoë \"" + marker(what + " name") + "\" O'Brien")
        .put("email", marker(what + " email") + "@example.com");
  }

  private static String event(String id, JsonObject data) {
    return new JsonObject().put("specversion", "1.0").put("id", id).put("source", "/it/sealed-files")
        .put("type", PHOTOGRAPHER).put("datacontenttype", "application/json").put("data", data).encode();
  }

  @Test
  void noMarkedValueIsInAnyByteOfTheEnginesFilesAfterAScriptedRun() throws Exception {
    int[] ports = FreePorts.pick(4);
    Map<String, String> settings = new HashMap<>(StackExtension.settings());
    settings.put("sluice.dev.dir", dir.toString());
    settings.put("sluice.dev.kafka.port", Integer.toString(ports[0]));
    settings.put("sluice.dev.kafka.controller.port", Integer.toString(ports[1]));
    settings.put("sluice.dev.dynamodb.port", Integer.toString(ports[2]));
    settings.put("sluice.dev.sqs.port", Integer.toString(ports[3]));
    settings.put("sluice.demo.unseal", "false");
    // The dedup marks in DynamoDB, as a gateway of several instances keeps them, so that table is searched too.
    settings.put("sluice.gateway.dedup.store", "dynamodb");
    SluiceConfig config = SluiceConfig.from(RawConfig.of(settings));
    Path data = config.engines().dataDir();
    String control = subject();

    DevStack dev = DevStack.start(config, false);
    Vertx vertx = Vertx.vertx();
    DynamoDbClient dynamo = AwsClients.dynamo(config.aws());
    KeyRing ring = KeyRing.onDynamo(vertx, dynamo, config.crypto().orElseThrow(), Clock.systemUTC());
    ServiceVerticles groups = new ServiceVerticles(vertx);
    try {
      Stack stack = new Stack(new Engines(dev.engines().kafka().bootstrapServers(), dev.engines().dynamoDb().endpoint(),
          dev.engines().sqs().endpoint(), config.engines().kafkaDataDir()), url(dev, "gateway"), url(dev, "console"),
          url(dev, "catalog-builder"), config.kafka().clientConfig(), dynamo, config.aws().quarantineTable(),
          config.demo().group(), config.storms().table(), config.groups().table(), config.crypto().orElseThrow());
      startGrantedGroup(config, vertx, dynamo, ring, groups);
      script(stack, control, config.ingress().dedup().table());
    } finally {
      try {
        // The group before the key ring it unseals with, and both before the stack they talk to.
        groups.stopAll();
        ring.close();
        vertx.close().await(30, TimeUnit.SECONDS);
        dynamo.close();
      } finally {
        // The applications stop first (committing, flushing), then the engines: every file is complete after this.
        dev.close();
      }
    }

    List<Path> files = StoredBytes.files(data);
    assertTrue(files.stream().anyMatch(f -> f.startsWith(config.engines().dynamoDbDataDir())
        && f.getFileName().toString().endsWith(".db")), "DynamoDB Local kept its tables in a file: " + files);
    String quarantineLog = config.quarantineLog().log().orElseThrow().topic();
    assertTrue(files.stream().anyMatch(f -> f.getParent().getFileName().toString().startsWith(quarantineLog + "-")),
        "the quarantine log's segments are there: " + files);

    List<ByteForms> values = marked.keySet().stream().map(ByteForms::of).toList();
    List<Hit> leaks = StoredBytes.find(data, values);
    assertEquals(List.of(), leaks.stream().map(h -> marked.get(h.value()) + " (" + h.value() + ") as " + h.form()
        + " in " + h.source() + " " + h.where()).toList(), "marked values on disk");

    // The control: an unmarked value of the same events (the tampered photographer's id) is found by each search.
    List<Hit> found = StoredBytes.find(data, List.of(ByteForms.of(control)));
    Path dynamoDir = config.engines().dynamoDbDataDir();
    Path kafkaDir = config.engines().kafkaDataDir();
    assertFound(found, "in DynamoDB Local's file as text (the key table, the items)",
        h -> h.source() == Source.FILE && Path.of(h.where()).startsWith(dynamoDir) && h.form().equals("utf-8"));
    assertFound(found, "in DynamoDB Local's file as base64 (the quarantine item's binary payload)",
        h -> h.source() == Source.FILE && Path.of(h.where()).startsWith(dynamoDir) && h.form().startsWith("base64@"));
    assertFound(found, "in a SQLite cell", h -> h.source() == Source.SQLITE_CELL);
    assertFound(found, "in the broker's files as text (the record's key)",
        h -> h.source() == Source.FILE && Path.of(h.where()).startsWith(kafkaDir) && h.form().equals("utf-8"));
    assertFound(found, "in a decompressed record of the quarantine log (lz4)", h -> h.source() == Source.KAFKA_RECORD
        && h.where().contains("/" + quarantineLog + "-"));
  }

  private static void assertFound(List<Hit> found, String where, Predicate<Hit> test) {
    assertTrue(found.stream().anyMatch(test), "the control value is found " + where + "; found: " + found);
  }

  /** The address of one part of the dev stack, on the loopback address. */
  private static String url(DevStack dev, String part) {
    String address = dev.endpoints().stream().filter(e -> e.name().equals(part)).map(Endpoint::address)
        .findFirst().orElseThrow();
    return "http://127.0.0.1:" + address.substring(address.lastIndexOf(':') + 1);
  }

  /**
   * A wrapped group of the test's own on {@code retail}, granted the keys (so its handler sees the marked values in
   * the clear) and built as the demo's is, quarantine log included; its handler fails and refuses as told.
   */
  private void startGrantedGroup(SluiceConfig config, Vertx vertx, DynamoDbClient dynamo, KeyRing ring,
      ServiceVerticles groups) throws Exception {
    EventHandler handler = event -> {
      JsonObject data = event.data();
      handled.add(data.encode());
      String subject = data.getString("id");
      if (subject.equals(failing) && downstreamDown.get()) {
        return Future.failedFuture(new IllegalStateException("the test's downstream is down"));
      }
      if (subject.equals(refused) && refusing.get()) {
        return Future.failedFuture(new PoisonPill("the test's rule refuses this photographer"));
      }
      return Future.succeededFuture();
    };
    var sqs = AwsClients.sqs(config.aws());
    QuarantiningConsumer consumer = QuarantiningConsumer.builder(config.demoWrapper().with(d -> d.group = GROUP))
        .kafka(config.kafka().clientConfig())
        .store(dynamo, config.aws().quarantineTable())
        .queues(sqs, config.aws().queuePrefix())
        .schemas(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()))
        .meters(new SimpleMeterRegistry())
        .quarantineLog(config.quarantineLog().log().orElseThrow())
        .heartbeat(config.groups().table(), config.groups().heartbeatInterval(), config.groups().aliveFor())
        .storms(config.storms().table())
        .unsealWith(ring)
        .handler(handler)
        .build(vertx);
    groups.start(consumer::start, () -> consumer.stop().eventually(() -> {
      sqs.close();
      return Future.succeededFuture();
    }));
  }

  /** Every way in for a marked value, each checked to have happened. */
  private void script(Stack stack, String control, String dedupTable) throws Exception {
    String events = stack.gatewayUrl() + "/v1/streams/retail/events";

    // Sealed ingest: one event, then a batch of two subjects.
    Http.Response single = producer.post(events, CE, event(UUID.randomUUID().toString(),
        photographer(subject(), "single")));
    assertEquals(202, single.status(), single.body());
    String forgotten = subject();
    String batch = new JsonArray().add(new JsonObject(event(UUID.randomUUID().toString(),
            photographer(subject(), "batch 1"))))
        .add(new JsonObject(event(UUID.randomUUID().toString(), photographer(forgotten, "batch 2")))).encode();
    Http.Response batched = producer.post(events, "application/cloudevents-batch+json", batch);
    assertEquals(202, batched.status(), batched.body());

    // Events the granted group fails on, refuses, and finds tampered with.
    Http.Response failed = producer.post(events, CE, event(UUID.randomUUID().toString(),
        photographer(failing, "handler failure")));
    assertEquals(202, failed.status(), failed.body());
    Http.Response refusal = producer.post(events, CE, event(UUID.randomUUID().toString(),
        photographer(refused, "handler refusal")));
    assertEquals(202, refusal.status(), refusal.body());
    Http.Response original = producer.post(events, CE, event(UUID.randomUUID().toString(),
        photographer(control, "tampered")));
    assertEquals(202, original.status(), original.body());
    int tamperedPartition = original.json().getInteger("partition");
    long tamperedOffset = tamper(stack, RetailTopic.read(stack, tamperedPartition,
        original.json().getLong("offset")));

    // Refused at the ingress: one whose marked values can be found (kept withheld), one whose body is not JSON (not
    // kept at all).
    String readable = UUID.randomUUID().toString();
    String readableSubject = subject();
    JsonObject badEmail = photographer(readableSubject, "refused, readable");
    badEmail.put("email", "not-an-address-" + marker("refused, readable, email"));
    Http.Response r422 = producer.post(events, CE, event(readable, badEmail));
    assertEquals(422, r422.status(), r422.body());
    String unreadable = UUID.randomUUID().toString();
    Http.Response r400 = producer.post(events, "application/json",
        "{\"id\": \"" + subject() + "\", \"name\": \"" + marker("refused, not JSON, name") + "\", \"email\": ",
        "ce-specversion", "1.0", "ce-id", unreadable, "ce-source", "/it/sealed-files", "ce-type", PHOTOGRAPHER);
    assertEquals(400, r400.status(), r400.body());
    JsonObject readableItem = awaitIngressItem(stack, i -> readable.equals(i.getString("eventId")));
    assertTrue(readableItem.encode().contains("sluice:withheld"), readableItem.encode());
    // Without a body it has no event id either: it is the run's one malformed request.
    JsonObject unreadableItem = awaitIngressItem(stack, i -> "MALFORMED".equals(i.getString("reason")));
    assertTrue(unreadableItem.getString("errorMessage").contains("the body was not kept"), unreadableItem.encode());

    // The group's items: refused and tampered at once, the failure once its retries are used up.
    JsonObject refusedItem = awaitItem(stack, refusal.json(), "QUARANTINED");
    assertEquals("HANDLER_REJECTED", refusedItem.getString("reason"));
    JsonObject tamperedItem = awaitItem(stack, new JsonObject().put("partition", tamperedPartition)
        .put("offset", tamperedOffset), "QUARANTINED");
    assertEquals("SEAL_FAILURE", tamperedItem.getString("reason"));
    JsonObject failedItem = awaitItem(stack, failed.json(), "QUARANTINED");
    assertEquals("RETRIES_EXHAUSTED", failedItem.getString("reason"));

    // The operator redrives both once the handler is well: the failure as it is, the refusal with values typed anew
    // (the console seals them before it stores or audits the edit); the wrapper opens them from the sealed item.
    downstreamDown.set(false);
    refusing.set(false);
    Http.Response asIs = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + failedItem.getString("id")
        + "/redrive", "application/json", "");
    assertEquals(202, asIs.status(), asIs.body());
    Http.Response edited = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + refusedItem.getString("id")
        + "/redrive", "application/json",
        new JsonObject().put("data", photographer(refused, "operator's edit")).encode());
    assertEquals(202, edited.status(), edited.body());
    // The captured reject fixed: its withheld values typed anew, the e-mail an address now; appended sealed.
    Http.Response fixedReject = operator.post(stack.consoleUrl() + "/api/v1/quarantine/"
        + readableItem.getString("id") + "/redrive", "application/json",
        new JsonObject().put("data", photographer(readableSubject, "operator's fix of a reject")).encode());
    assertEquals(202, fixedReject.status(), fixedReject.body());
    awaitItem(stack, failed.json(), "RESOLVED");
    awaitItem(stack, refusal.json(), "RESOLVED");

    // An admin forgets one subject: a tombstone in the key table, an entry in the audit table.
    Http.Response forget = admin.post(stack.consoleUrl() + "/api/v1/subjects/retail/" + forgotten + "/forget",
        "application/json", "");
    assertEquals(200, forget.status(), forget.body());
    assertTrue(operator.get(stack.consoleUrl() + "/api/v1/audit?action=FORGET_SUBJECT").body().contains(forgotten));

    // The granted handler saw the values in the clear (first deliveries and redrives): they were in the system.
    for (String what : List.of("single name", "handler failure email", "handler refusal name",
        "operator's edit email", "operator's fix of a reject name")) {
      String core = marked.entrySet().stream().filter(e -> e.getValue().equals(what)).findFirst().orElseThrow()
          .getKey();
      Eventually.await("the handler saw " + what, WAIT,
          () -> handled.stream().anyMatch(d -> d.contains(core)) ? Optional.of(true) : Optional.empty());
    }
    // And the key table holds a key for each subject, the control's among them; the dedup table its marks.
    assertTrue(StoredText.items(stack.dynamo(), stack.crypto().keysTable()).anyMatch(i -> i.contains(control)));
    assertTrue(StoredText.items(stack.dynamo(), dedupTable).findAny().isPresent(), "the gateway's dedup marks");
  }

  /**
   * Appends a copy of a sealed record with its two ciphertexts swapped (each authentic, neither opens in the other's
   * field), as an attacker with write access to the topic could; answers its offset.
   */
  private static long tamper(Stack stack, ConsumerRecord<String, byte[]> sealed) throws Exception {
    JsonObject data = new JsonObject(new String(sealed.value(), StandardCharsets.UTF_8));
    String name = data.getString("name");
    data.put("name", data.getString("email")).put("email", name);
    Map<String, Object> props = new HashMap<>(stack.kafkaProps());
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(),
        new ByteArraySerializer())) {
      return p.send(new ProducerRecord<>(RetailTopic.TOPIC, sealed.partition(), sealed.key(),
          data.encode().getBytes(StandardCharsets.UTF_8), sealed.headers())).get(30, TimeUnit.SECONDS).offset();
    }
  }

  /** The ingress item that {@code which} picks among the run's (listed, as the console lists them). */
  private JsonObject awaitIngressItem(Stack stack, Predicate<JsonObject> which) {
    return Eventually.await("an ingress item", WAIT, () -> Optional.of(operator.get(
            stack.consoleUrl() + "/api/v1/quarantine?group=" + QuarantineItem.INGRESS_GROUP + "&limit=100"))
        .filter(r -> r.status() == 200).flatMap(r -> r.json().getJsonArray("items").stream()
            .map(JsonObject.class::cast).filter(which).findFirst()));
  }

  /** The item the granted group made of the record at an acknowledged position, once in {@code status}. */
  private JsonObject awaitItem(Stack stack, JsonObject at, String status) {
    String id = QuarantineItem.idFor(GROUP, RetailTopic.TOPIC, at.getInteger("partition"), at.getLong("offset"));
    return Eventually.await("item " + id + " " + status, WAIT, () -> {
      Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return r.status() == 200 && status.equals(r.json().getString("status")) ? Optional.of(r.json())
          : Optional.empty();
    });
  }
}

package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.KeyTable;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealed;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.deploy.engine.EmbeddedDynamoDb;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.StoredText;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.ingest.seal.EventSealing;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Sealed fields end to end on the real engines: records sealed as the gateway seals them (the real {@link Sealer} over
 * a {@link KeyRing} on the key table in DynamoDB Local, a local KEK file), produced to Kafka with their
 * {@code sluice-sealed} header, and consumed by wrapped groups. A granted group (built with {@code unsealWith}, its
 * own key ring, as another process has) sees the values in the clear, or erased once the subject is forgotten; an
 * ungranted group, or one granted other streams only, sees them withheld; a tampered record is quarantined as SEAL_FAILURE and its item holds no plaintext;
 * a key outage holds the partition, quarantining nothing, until the keys answer.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(90)
class SealedFieldsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TYPE = "retail.photographer.registered";
  private static final String NAME = "Ann Q. Example";
  private static final String EMAIL = "ann.secret@example.com";

  @TempDir
  Path dir;

  private final List<WrapperHarness> harnesses = new ArrayList<>();
  private final List<KeyRing> rings = new ArrayList<>();
  /** What a test opened besides harnesses and rings (a console's producer), closed first. */
  private final List<AutoCloseable> closers = new ArrayList<>();
  /** The data each harness's handler took, by CloudEvent id. */
  private final Map<String, JsonObject> seen = new ConcurrentHashMap<>();
  /** CloudEvent ids the handlers refuse (each call fails) for as long as they are here. */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private CryptoSettings settings;
  /** The gateway's ring, which seals (and forgets). */
  private KeyRing gateway;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closers) {
      c.close();
    }
    // The consumers first, then the rings they used, then the harnesses (whose Vert.x the rings run on).
    for (WrapperHarness h : harnesses) {
      h.stopConsumer();
    }
    rings.forEach(KeyRing::close);
    for (WrapperHarness h : harnesses) {
      h.close();
    }
  }

  /** A group of its own on a one-partition topic of photographer events, its handler recording what it saw. */
  private WrapperHarness group(Engines engines, boolean granted) throws Exception {
    return group(engines, granted, null);
  }

  /** As the other, with the key table on {@code keysDynamo} (null: on the engines' DynamoDB Local). */
  private WrapperHarness group(Engines engines, boolean granted, DynamoDbClient keysDynamo) throws Exception {
    return group(engines, topic -> granted ? Optional.of(KeyGrant.allStreams()) : Optional.empty(), keysDynamo);
  }

  /** A group granted what {@code grantOf} gives for its topic (its stream's name): nothing, some streams or all. */
  private WrapperHarness group(Engines engines, Function<String, Optional<KeyGrant>> grantOf,
      DynamoDbClient keysDynamo) throws Exception {
    WrapperHarness h = new WrapperHarness(engines, OrderingPolicy.UNORDERED, 1, c -> c);
    harnesses.add(h);
    DynamoDbClient keys = keysDynamo == null ? h.dynamo : keysDynamo;
    if (gateway == null) {
      settings = CryptoSettings.defaults("local:" + dir.resolve("kek.json"))
          .withKeysTable("k-" + UUID.randomUUID().toString().substring(0, 8));
      KeyTable.ensure(keys, settings.keysTable());
      gateway = KeyRing.onDynamo(h.vertx, keys, settings, Clock.systemUTC());
      rings.add(gateway);
    }
    // The consumer's ring: another process's, with a cache of its own.
    KeyRing consumerRing = KeyRing.onDynamo(h.vertx, keys, settings, Clock.systemUTC());
    rings.add(consumerRing);
    SchemaRegistry photographers = registry(h.topic);
    EventHandler recording = event -> {
      if (refused.contains(event.event().id())) {
        return Future.failedFuture(new IllegalStateException("refused by the test"));
      }
      seen.put(event.event().id(), event.data());
      return Future.succeededFuture();
    };
    h.startConsumer(b -> {
      b.schemas(photographers).handler(recording);
      return grantOf.apply(h.topic).map(grant -> b.unsealWith(consumerRing, grant)).orElse(b);
    });
    return h;
  }

  /** A catalog of one stream, named as its topic, of photographer events (name and e-mail marked, the id the subject). */
  private static SchemaRegistry registry(String topic) {
    return SchemaRegistry.fromCatalog(StreamCatalog.parse(new JsonObject().put("streams", new JsonArray().add(
        new JsonObject().put("name", topic).put("topic", topic).put("partitions", 1).put("ordering", "UNORDERED")
            .put("types", new JsonArray().add(new JsonObject().put("type", TYPE).put("partitionKey", "/id")
                .put("schema", TYPE + ".json"))))).encode(), "sealed-fields-it"));
  }

  private static String plain(String subject) {
    return new JsonObject().put("id", subject).put("name", NAME).put("email", EMAIL).encode();
  }

  /** A record as the gateway appends it: its marked values sealed, the header with it. */
  private record SealedRecord(String eventId, String subject, String data, List<KafkaHeader> headers) {
    SealedRecord withData(String other) {
      return new SealedRecord(eventId, subject, other, headers);
    }
  }

  private SealedRecord seal(WrapperHarness h, String subject) throws Exception {
    String id = UUID.randomUUID().toString();
    String data = plain(subject);
    MarkedLocations.Located located = MarkedLocations.locate(
        registry(h.topic).state().latest(TYPE).orElseThrow().marks(), data).orElseThrow();
    Sealed sealed = new Sealer(gateway).seal(new SealInput(new EventRef(h.topic, "/it/sealed", id, TYPE),
            ((DataSubject.Valid) located.subject()).value(), data, located.values()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CloudEvent e = new CloudEvent("1.0", id, "/it/sealed", TYPE, "application/json", null, null, null, Map.of(),
        sealed.data());
    List<KafkaHeader> headers = new ArrayList<>(CloudEventKafkaBinding.headers(e));
    headers.add(new KafkaHeader(SealHeader.NAME, sealed.header().orElseThrow().encode()));
    assertFalse(sealed.data().contains(EMAIL) || sealed.data().contains(NAME), "sealed: " + sealed.data());
    return new SealedRecord(id, subject, sealed.data(), List.copyOf(headers));
  }

  private static RecordMetadata produce(WrapperHarness h, SealedRecord r) throws Exception {
    return h.produceRaw(0, r.subject(), r.data().getBytes(StandardCharsets.UTF_8), r.headers());
  }

  private JsonObject handled(String eventId) {
    return Eventually.await("the handler saw " + eventId, WAIT, () -> Optional.ofNullable(seen.get(eventId)));
  }

  /** The ciphertext (a JSON string, with its quotes) at member {@code name} of sealed data. */
  private static String ciphertextOf(String sealedData, String name) {
    int start = sealedData.indexOf("\"" + name + "\":\"sluice:v1:") + name.length() + 3;
    return sealedData.substring(start, sealedData.indexOf('"', start + 1) + 1);
  }

  private static double unseals(WrapperHarness h, String result) {
    Counter c = h.meters.find("sluice.consumer.unseals").tags("result", result, "group", h.group).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aGrantedGroupSeesTheValuesAndAnUngrantedOneSeesThemWithheld(Engines engines) throws Exception {
    WrapperHarness granted = group(engines, true);
    WrapperHarness ungranted = group(engines, false);

    SealedRecord forGranted = seal(granted, "ph-1");
    produce(granted, forGranted);
    JsonObject clear = handled(forGranted.eventId());
    assertEquals("ph-1", clear.getString("id"));
    assertEquals(NAME, clear.getString("name"));
    assertEquals(EMAIL, clear.getString("email"));
    assertEquals(1, unseals(granted, "unsealed"));

    SealedRecord forUngranted = seal(ungranted, "ph-1");
    produce(ungranted, forUngranted);
    JsonObject withheld = handled(forUngranted.eventId());
    assertEquals("ph-1", withheld.getString("id"));
    assertEquals("sluice:withheld", withheld.getString("name"));
    assertEquals("sluice:withheld", withheld.getString("email"));
    assertEquals(1, unseals(ungranted, "withheld"));
  }

  @Test
  void aGrantIsPerStreamTheGroupGrantedItsStreamByNameSeesTheValuesOneGrantedAnotherSeesThemWithheld(
      Engines engines) throws Exception {
    WrapperHarness byName = group(engines, topic -> Optional.of(KeyGrant.only(topic)), null);
    WrapperHarness another = group(engines, topic -> Optional.of(KeyGrant.only("payments-" + topic)), null);

    SealedRecord forByName = seal(byName, "ph-1");
    produce(byName, forByName);
    JsonObject clear = handled(forByName.eventId());
    assertEquals(NAME, clear.getString("name"));
    assertEquals(EMAIL, clear.getString("email"));
    assertEquals(1, unseals(byName, "unsealed"));

    SealedRecord forAnother = seal(another, "ph-1");
    produce(another, forAnother);
    JsonObject withheld = handled(forAnother.eventId());
    assertEquals("ph-1", withheld.getString("id"));
    assertEquals("sluice:withheld", withheld.getString("name"));
    assertEquals("sluice:withheld", withheld.getString("email"));
    assertEquals(1, unseals(another, "withheld"));
    assertEquals(0, unseals(another, "unsealed") + unseals(another, "key_unavailable")
        + unseals(another, "access_denied"), "its stream's keys were never asked for");
  }

  @Test
  void aTamperedRecordIsQuarantinedAsASealFailureAndItsItemHoldsNoPlaintext(Engines engines) throws Exception {
    WrapperHarness h = group(engines, true);
    SealedRecord sealed = seal(h, "ph-1");
    String name = ciphertextOf(sealed.data(), "name");
    String email = ciphertextOf(sealed.data(), "email");
    // Each ciphertext authentic, each in the other's field: bound to its own pointer, neither opens.
    SealedRecord swapped = sealed.withData(sealed.data().replace(name, "@N@").replace(email, name)
        .replace("@N@", email));
    RecordMetadata bad = produce(h, swapped);
    SealedRecord good = seal(h, "ph-2");
    RecordMetadata next = produce(h, good);

    QuarantineItem item = h.awaitItem(bad, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.SEAL_FAILURE, item.reason());
    assertEquals("Tampered", item.errorClass());
    assertEquals("field /name failed authentication: tampered or moved", item.errorMessage());
    assertEquals(List.of(), item.attemptLog(), "never handed to the handler");
    assertEquals(swapped.data(), new String(item.payload(), StandardCharsets.UTF_8), "the record as on the ledger");
    assertFalse(seen.containsKey(swapped.eventId()));
    assertEquals(NAME, handled(good.eventId()).getString("name"), "the partition moved on");
    h.awaitCommitted(0, next.offset() + 1, WAIT);
    assertEquals(1, unseals(h, "tampered"));

    // Every attribute of every stored item, binary ones decoded: the ciphertexts are there, the plaintext is not.
    String stored = StoredText.items(h.dynamo, h.table).collect(Collectors.joining("\n"));
    assertTrue(stored.contains(email.substring(1, email.length() - 1)), "the item keeps the sealed payload");
    assertFalse(stored.contains(EMAIL), stored);
    assertFalse(stored.contains(NAME), stored);
  }

  @Test
  void afterTheSubjectIsForgottenAGrantedGroupSeesItsValuesErased(Engines engines) throws Exception {
    WrapperHarness h = group(engines, true);
    SealedRecord before = seal(h, "ph-3");
    gateway.forget(new SubjectRef(h.topic, "ph-3"), "it-operator", "audit-1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    produce(h, before);

    JsonObject erased = handled(before.eventId());
    assertEquals("ph-3", erased.getString("id"));
    assertEquals("sluice:erased", erased.getString("name"));
    assertEquals("sluice:erased", erased.getString("email"));
    assertEquals(1, unseals(h, "erased"));
  }

  @Test
  void aKeyOutageHoldsThePartitionAndItsEventsAreHandledOnceTheKeysAnswer(Engines engines) throws Exception {
    // The key table on a DynamoDB Local of its own, really stopped and started again (with its files).
    Path files = Files.createDirectories(dir.resolve("keys-ddb"));
    int port = FreePorts.pick();
    EmbeddedDynamoDb keysDb = EmbeddedDynamoDb.startPersistent(files, port);
    DynamoDbClient keysDynamo = AwsClients.dynamo(AwsConfig.local(keysDb.endpoint(), engines.sqsEndpoint()));
    try {
      WrapperHarness h = group(engines, true, keysDynamo);
      SealedRecord first = seal(h, "ph-4");
      SealedRecord second = seal(h, "ph-5");
      keysDb.close();
      RecordMetadata a = produce(h, first);
      RecordMetadata b = produce(h, second);

      Eventually.await("tries that met the outage", WAIT,
          () -> unseals(h, "key_unavailable") >= 2 ? Optional.of(true) : Optional.empty());
      // For 3 s of outage: nothing handled, nothing committed past the held event, nothing quarantined.
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < until) {
        assertTrue(seen.isEmpty(), "nothing handled: " + seen.keySet());
        assertTrue(h.committed(0) <= a.offset(), "committed past the held event: " + h.committed(0));
        Thread.sleep(250);
      }
      assertEquals(Optional.empty(), h.item(a), "not quarantined: an outage says nothing about the record");
      assertEquals(Optional.empty(), h.item(b));
      assertEquals(0, unseals(h, "key_not_found") + unseals(h, "withheld") + unseals(h, "unsealed"));

      keysDb = EmbeddedDynamoDb.startPersistent(files, port);
      assertEquals(NAME, handled(first.eventId()).getString("name"));
      assertEquals(EMAIL, handled(second.eventId()).getString("email"));
      h.awaitCommitted(0, b.offset() + 1, WAIT);
      assertEquals(Optional.empty(), h.item(a));
      assertEquals(2, unseals(h, "unsealed"));
    } finally {
      keysDb.close();
      keysDynamo.close();
    }
  }

  @Test
  void anOperatorsEditIsSealedAgainBeforeItIsStoredAndTheGrantedHandlerGetsItInTheClear(Engines engines)
      throws Exception {
    WrapperHarness h = group(engines, true);
    SealedRecord sealed = seal(h, "ph-6");
    refused.add(sealed.eventId());
    RecordMetadata at = produce(h, sealed);
    QuarantineItem item = h.awaitItem(at, QuarantineStatus.QUARANTINED, WAIT);
    refused.remove(sealed.eventId());
    RedriveService console = console(h);

    // A ciphertext moved to another member does not open there: refused by pointer, nothing written.
    String name = ciphertextOf(sealed.data(), "name");
    String email = ciphertextOf(sealed.data(), "email");
    ConsoleError.InvalidData moved = assertInstanceOf(ConsoleError.InvalidData.class,
        refusal(console.redrive(item.id(), Optional.of(sealed.data().replace(name, email)), "it-operator")));
    assertEquals("/data/name", moved.violations().get(0).pointer());
    assertEquals(QuarantineStatus.QUARANTINED, h.item(at).orElseThrow().status());

    // The raw data edited as an API client would: the e-mail retyped in the clear, the name carried over sealed.
    String fixed = "ann.fixed@example.com";
    String edit = new JsonObject(sealed.data()).put("email", fixed).encode();
    await(console.redrive(item.id(), Optional.of(edit), "it-operator"));

    QuarantineItem resolved = h.awaitItem(at, QuarantineStatus.RESOLVED, WAIT);
    JsonObject took = handled(sealed.eventId());
    assertEquals(fixed, took.getString("email"), "the granted handler gets the edit in the clear");
    assertEquals(NAME, took.getString("name"), "and the value carried over, opened");
    SealHeader editSeal = ((SealHeader.Parsed.Ok) SealHeader.parse(
        resolved.editedSeal().orElseThrow().getBytes(StandardCharsets.UTF_8))).header();
    assertEquals(List.of("/email", "/name"), editSeal.fields());
    assertEquals("ph-6", editSeal.subject());
    // Every attribute of every stored item: the edit is there, sealed; neither value is there in the clear.
    String stored = StoredText.items(h.dynamo, h.table).collect(Collectors.joining("\n"));
    assertTrue(stored.contains("\"id\":\"ph-6\""), "the search can find what is stored in the clear");
    assertFalse(stored.contains(fixed), stored);
    assertFalse(stored.contains(NAME), stored);
  }

  /** A console's redrive service over the group's store and queue, sealing with the gateway's key ring. */
  private RedriveService console(WrapperHarness h) throws Exception {
    EventAppender appender = await(RedriveService.appender(h.vertx, h.kafkaProps, Duration.ofSeconds(10)));
    closers.add(() -> await(appender.close()));
    return new RedriveService(h.store, h.redriveQueue, new SealingAppender(new EventSealing(gateway), appender),
        registry(h.topic), ValidationLane.create(h.vertx), new RecordPayloads(h.vertx, h.kafkaProps));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The console error a redrive was refused with. */
  private static ConsoleError refusal(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (java.util.concurrent.ExecutionException e) {
      return assertInstanceOf(ConsoleFailure.class, e.getCause()).error();
    }
    throw new AssertionError("the redrive was accepted");
  }

  /** An item's attributes as text: names, strings, numbers, binary values read as UTF-8, nested ones flattened. */
}

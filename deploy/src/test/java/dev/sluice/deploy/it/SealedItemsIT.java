package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.deploy.testing.StoredText;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Items with sealed values in the console, on the whole stack: a photographer posted through the gateway (its name
 * and e-mail sealed on the ledger) and quarantined, exactly as on the ledger, for a group of the test's own. Operators
 * see the values opened and viewers masked, while the raw payload stays sealed; a draft is judged in the clear; an
 * edit or a patch is stored sealed again, and neither the store nor the audit keeps what the operator typed.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class SealedItemsIT {
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private final Http producer = Http.producer();
  private final Http operator = Http.operator();
  private final Http viewer = Http.viewer();

  /** A photographer on the ledger, quarantined for a group of its own: the item's id, and its values. */
  private record Seeded(String id, String subject, String name, String email, String group) {}

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Seeded seed(Stack stack, Http producer) throws Exception {
    String subject = unique("ph-");
    String name = unique("Name-");
    String email = unique("mail-") + "@example.com";
    JsonObject data = new JsonObject().put("id", subject).put("name", name).put("email", email);
    String event = new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
        .put("source", "/it/sealed-items").put("type", PHOTOGRAPHER).put("data", data).encode();
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        event);
    assertEquals(202, r.status(), r.body());
    ConsumerRecord<String, byte[]> record = RetailTopic.read(stack, r.json().getInteger("partition"),
        r.json().getLong("offset"));
    String group = unique("sealed-items-");
    String id = QuarantineItem.idFor(group, record.topic(), record.partition(), record.offset());
    List<KafkaHeader> headers = new ArrayList<>();
    for (Header h : record.headers()) {
      headers.add(new KafkaHeader(h.key(), h.value()));
    }
    Instant now = Instant.now();
    QuarantineItem item = new QuarantineItem(id, QuarantineStatus.QUARANTINED, "retail", group, record.topic(),
        record.partition(), record.offset(), Optional.ofNullable(record.key()), record.value(), headers,
        Optional.of(new JsonObject(event).getString("id")), Optional.of(PHOTOGRAPHER), QuarantineReason.HANDLER_REJECTED,
        "it.Refused", "refused by the test", List.of(), 1, now, now, Optional.empty(), 0,
        List.of(new AuditEntry(now, "QUARANTINED", group, "seeded by a test")));
    Vertx vertx = Vertx.vertx();
    try (SqsClient sqs = AwsClients.sqs(AwsConfig.local(stack.engines().dynamoEndpoint(),
        stack.engines().sqsEndpoint()))) {
      new QuarantineStore(vertx, stack.dynamo(), stack.quarantineTable(), Clock.systemUTC()).consumer()
          .quarantine(item).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // The group's redrive queue, as the group makes it when it starts: a redrive is queued there.
      new RedriveQueue(vertx, sqs, "sluice").ensureQueue(group).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return new Seeded(id, subject, name, email, group);
  }

  private static JsonObject item(Stack stack, Http http, String id) {
    Http.Response r = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** Every stored byte of the quarantine and audit tables, binary attributes decoded. */
  private static String stored(Stack stack) {
    return StoredText.items(stack.dynamo(), stack.quarantineTable()).collect(Collectors.joining("\n")) + "\n"
        + StoredText.items(stack.dynamo(), ConsoleConfig.DEFAULT_AUDIT_TABLE).collect(Collectors.joining("\n"));
  }

  @Test
  void operatorsSeeTheSealedValuesOpenedViewersSeeThemMaskedAndThePayloadStaysSealed(Stack stack) throws Exception {
    Seeded s = seed(stack, producer);

    JsonObject opened = item(stack, operator, s.id());
    assertEquals(s.email(), opened.getJsonObject("data").getString("email"));
    assertEquals(s.name(), opened.getJsonObject("data").getString("name"));
    assertEquals("opened", opened.getJsonObject("sealedValues").getString("data"));
    assertFalse(opened.getString("payload").contains(s.email()), "the raw payload is the ledger's, sealed");

    JsonObject masked = item(stack, viewer, s.id());
    assertFalse(masked.encode().contains(s.email()), masked.encode());
    assertFalse(masked.encode().contains(s.name()), masked.encode());
    assertEquals(s.subject(), masked.getJsonObject("data").getString("id"), "unmarked values are shown");
  }

  @Test
  void aDraftIsJudgedInTheClearAndAnEditIsStoredSealedAgain(Stack stack) throws Exception {
    Seeded s = seed(stack, producer);
    JsonObject raw = new JsonObject(item(stack, operator, s.id()).getString("payload"));
    String url = stack.consoleUrl() + "/api/v1/quarantine/" + s.id();

    // The raw data as it is, its sealed values carried over: valid once opened (a ciphertext is no e-mail address).
    Http.Response asIs = operator.post(url + "/validate", "application/json",
        new JsonObject().put("data", raw).encode());
    assertEquals(200, asIs.status(), asIs.body());
    assertTrue(asIs.json().getBoolean("valid"), asIs.body());
    Http.Response bad = operator.post(url + "/validate", "application/json",
        new JsonObject().put("data", raw.copy().put("email", "not an address")).encode());
    assertFalse(bad.json().getBoolean("valid"), bad.body());
    assertEquals("/data/email", bad.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));
    // A sealed value moved to another member opens nowhere: refused by pointer, nothing written.
    Http.Response moved = operator.post(url + "/redrive", "application/json",
        new JsonObject().put("data", raw.copy().put("name", raw.getString("email"))).encode());
    assertEquals(422, moved.status(), moved.body());
    assertTrue(moved.body().contains("/data/name"), moved.body());

    String fixed = unique("fixed-") + "@example.com";
    Http.Response redrive = operator.post(url + "/redrive", "application/json",
        new JsonObject().put("data", raw.copy().put("email", fixed)).encode());
    assertEquals(202, redrive.status(), redrive.body());

    JsonObject after = item(stack, operator, s.id());
    assertEquals("REDRIVEN", after.getString("status"));
    assertEquals(fixed, after.getJsonObject("editedData").getString("email"), "an operator sees the edit opened");
    assertEquals(s.name(), after.getJsonObject("editedData").getString("name"));
    assertEquals("opened", after.getJsonObject("sealedValues").getString("editedData"));
    String stored = stored(stack);
    assertTrue(stored.contains(s.subject()), "the search finds what is stored in the clear");
    assertFalse(stored.contains(fixed), "the edit is stored and audited sealed");
    assertFalse(stored.contains(s.name()));
    assertFalse(stored.contains(s.email()));
  }

  @Test
  void aPatchAppliesToTheOpenedValuesIsStoredSealedAndNeverCopiesOneOut(Stack stack) throws Exception {
    Seeded s = seed(stack, producer);
    String fingerprint = item(stack, operator, s.id()).getString("fingerprint");
    String url = stack.consoleUrl() + "/api/v1/quarantine/groups/" + fingerprint + "/patch?group=" + s.group();
    String fixed = unique("patched-") + "@example.com";
    JsonArray replace = new JsonArray()
        .add(new JsonObject().put("op", "replace").put("path", "/data/email").put("value", fixed));

    Http.Response copy = operator.post(url, "application/json", new JsonObject().put("dryRun", true)
        .put("patch", new JsonArray().add(new JsonObject().put("op", "copy").put("from", "/data/email")
            .put("path", "/data/note"))).encode());
    assertEquals(200, copy.status(), copy.body());
    assertEquals(0, copy.json().getInteger("applicable"), copy.body());
    assertTrue(copy.json().getJsonArray("notApplicable").getJsonObject(0).getString("reason")
        .contains("never copied or moved"), copy.body());

    Http.Response dry = operator.post(url, "application/json",
        new JsonObject().put("dryRun", true).put("patch", replace).encode());
    assertEquals(1, dry.json().getInteger("applicable"), dry.body());
    JsonObject sample = dry.json().getJsonArray("sample").getJsonObject(0);
    assertEquals(s.email(), sample.getJsonObject("before").getString("email"), "patched as opened");
    assertEquals(fixed, sample.getJsonObject("after").getString("email"));

    Http.Response run = operator.post(url, "application/json",
        new JsonObject().put("dryRun", false).put("patch", replace).encode());
    assertEquals(200, run.status(), run.body());
    assertEquals(new JsonArray().add(s.id()), run.json().getJsonArray("redriven"), run.body());
    JsonObject after = item(stack, operator, s.id());
    assertEquals(fixed, after.getJsonObject("editedData").getString("email"));
    JsonObject audit = operator.get(stack.consoleUrl() + "/api/v1/audit?action=PATCH&itemId=" + s.id()).json();
    assertFalse(audit.encode().contains(fixed), "the audit keeps no patched value in the clear: " + audit.encode());
    String stored = stored(stack);
    assertTrue(stored.contains(s.subject()));
    assertFalse(stored.contains(fixed), "neither the item nor the audit stores the patched value in the clear");
    assertFalse(stored.contains(s.email()));
    assertFalse(stored.contains(s.name()));
  }
}

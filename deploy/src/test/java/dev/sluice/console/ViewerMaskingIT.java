package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.SensitiveFields;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.deploy.testing.StoredText;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * What the dev viewer (token {@code dev-viewer}) can learn of a value the schema marks sensitive (the photographer's
 * email in the demo catalog) through every way the console answers it: search, captured requests the gateway could
 * not read, the audit trail, and the headers a producer sent. Where the value is kept (an operator's edited data, a
 * patch in the audit trail), each test checks first that an operator does see it, so that its absence from the
 * viewer's answers means it was hidden, not that it was never there; a captured request keeps none at all.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class ViewerMaskingIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TYPE = "retail.photographer.registered";
  private final Http producer = Http.producer();
  private final Http operator = Http.operator();
  private final Http viewer = Http.viewer();

  private static String token() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Http.Response post(Stack stack, String contentType, String body, String... headers) {
    return producer.post(stack.gatewayUrl() + "/v1/streams/retail/events", contentType, body, headers);
  }

  /** Posts what the gateway refuses for what it is (a 4xx, so it is kept as an ingress item). */
  private void refused(Stack stack, String contentType, String body, String... headers) {
    Http.Response r = post(stack, contentType, body, headers);
    assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
  }

  /** A structured-mode photographer with no name, which the gateway refuses (422) and keeps as an ingress item. */
  private static String namelessPhotographer(String eventId, String photographerId, String email) {
    return new JsonObject().put("specversion", "1.0").put("id", eventId).put("source", "/it/viewer")
        .put("type", TYPE).put("data", new JsonObject().put("id", photographerId).put("email", email)).encode();
  }

  private String refusedPhotographer(Stack stack, String photographerId, String email, String... headers) {
    String eventId = UUID.randomUUID().toString();
    String body = namelessPhotographer(eventId, photographerId, email);
    Http.Response r = post(stack, "application/cloudevents+json", body, headers);
    assertEquals(422, r.status(), r.body());
    // The item's id is made from the body as kept, without the marked values: found by the event's id instead.
    String itemId = awaitItemHolding(stack, eventId);
    awaitDetail(stack, itemId);
    return itemId;
  }

  private JsonObject awaitDetail(Stack stack, String itemId) {
    return Eventually.await("ingress item " + itemId, WAIT, () -> Optional.of(
        operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId)).filter(x -> x.status() == 200)
        .map(Http.Response::json));
  }

  /** The one ingress item whose payload holds {@code token}, found as the operator (who may search everything). */
  private String awaitItemHolding(Stack stack, String token) {
    return Eventually.await("the ingress item holding " + token, WAIT, () -> {
      JsonArray items = operator.get(stack.consoleUrl() + "/api/v1/quarantine?group=ingress&q=" + enc(token)).json()
          .getJsonArray("items");
      return items.size() == 1 ? Optional.of(items.getJsonObject(0).getString("id")) : Optional.empty();
    });
  }

  private JsonObject find(Http who, Stack stack, String query) {
    Http.Response r = who.get(stack.consoleUrl() + "/api/v1/quarantine?group=ingress&" + query);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private Http.Response get(Http who, Stack stack, String path) {
    Http.Response r = who.get(stack.consoleUrl() + path);
    assertEquals(200, r.status(), r.body());
    return r;
  }

  @Test
  void aViewersFreeTextSearchNeverMatchesInsideAMaskedValue(Stack stack) {
    String photographerId = "ph-" + token();
    String secret = token();
    String email = "ann." + secret + "@example.com";
    String itemId = refusedPhotographer(stack, photographerId, email);
    // Another one, fixed by an operator with a new email: that one is only in the item's edited data.
    String editedSecret = token();
    String editedEmail = "bo." + editedSecret + "@example.com";
    String editedId = refusedPhotographer(stack, "ph-" + token(), "x@example.com");
    Http.Response fixed = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + editedId + "/redrive",
        "application/json", new JsonObject().put("data", new JsonObject().put("id", "ph-" + token())
            .put("name", "Bo").put("email", editedEmail)).encode());
    assertEquals(202, fixed.status(), fixed.body());

    // The gateway kept the refused request without its marked values, and the operator's own fix is kept sealed in
    // the item's edited data: not even the operator finds either by its email, only by what is kept in the clear.
    String probe = secret.substring(6) + "@exam";
    String editedProbe = editedSecret.substring(6) + "@exam";
    assertEquals(List.of(), ids(find(operator, stack, "q=" + enc(probe))));
    assertEquals(List.of(), ids(find(operator, stack, "q=" + enc(editedProbe))));
    assertEquals(List.of(itemId), ids(find(operator, stack, "q=" + enc(photographerId))));

    // Nor the viewer, who sees both masked: not in the list, the count, the groups or the timeline.
    assertAll(List.of(probe, editedProbe, email, editedEmail).stream().map(q -> (Executable) () -> {
      JsonObject page = find(viewer, stack, "q=" + enc(q));
      assertEquals(List.of(), ids(page), q);
      assertEquals(0, page.getLong("count"), q);
      JsonObject groups = get(viewer, stack, "/api/v1/quarantine/groups?group=ingress&q=" + enc(q)).json();
      assertEquals(0, groups.getJsonArray("groups").size(), q + ": " + groups.encode());
      JsonObject timeline = get(viewer, stack, "/api/v1/quarantine/timeline?group=ingress&q=" + enc(q)).json();
      assertEquals(new JsonObject(), timeline.getJsonObject("series"), q + ": " + timeline.encode());
    }));
    // What the viewer does see still matches.
    assertEquals(List.of(itemId), ids(find(viewer, stack, "q=" + enc(photographerId))));
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  @Test
  void aCapturedRequestWhoseMarkedValuesCannotBeFoundIsNotKeptAtAll(Stack stack) {
    String email = "cy." + token() + "@example.com";
    JsonObject data = new JsonObject().put("id", "ph-" + token()).put("name", "Cy").put("email", email);
    String dataBase64 = Base64.getEncoder().encodeToString(data.encode().getBytes(StandardCharsets.UTF_8));
    // Each refusal carries a trace id of its own, kept with the item (an allowed header), to find its item by.
    Map<String, String> traces = new java.util.LinkedHashMap<>();
    Instant since = Instant.now().minusSeconds(1);

    traces.put("no specversion", refusedWithTrace(stack, "application/cloudevents+json", new JsonObject()
        .put("id", token()).put("source", "/it/viewer").put("type", TYPE).put("data", data).encode()));
    traces.put("malformed JSON", refusedWithTrace(stack, "application/cloudevents+json", "{\"specversion\":\"1.0\","
        + "\"id\":\"" + token() + "\",\"source\":\"/it/viewer\",\"type\":\"" + TYPE + "\",\"data\":" + data.encode()));
    traces.put("data_base64", refusedWithTrace(stack, "application/cloudevents+json", new JsonObject()
        .put("specversion", "1.0").put("id", token()).put("source", "/it/viewer").put("type", TYPE)
        .put("data_base64", dataBase64).encode()));
    traces.put("type differs by case", refusedWithTrace(stack, "application/cloudevents+json", new JsonObject()
        .put("specversion", "1.0").put("id", token()).put("source", "/it/viewer")
        .put("type", "Retail.Photographer.Registered").put("data", data).encode()));
    traces.put("binary text/plain", refusedWithTrace(stack, "text/plain", data.copy().put("note", token()).encode(),
        "ce-specversion", "1.0", "ce-id", token(), "ce-source", "/it/viewer", "ce-type", TYPE));

    // Every case is kept, as an item with its reason and headers but no body: whatever a viewer or an operator asks,
    // and whatever DynamoDB holds, the values are not there to show.
    assertAll(traces.entrySet().stream().map(c -> (Executable) () -> {
      String why = c.getKey();
      // The operator sees everything the console holds of it: its headers (the trace id among them), and no body.
      String itemId = Eventually.await(why + ": its ingress item", WAIT, () -> find(operator, stack,
          "from=" + enc(since.toString()) + "&limit=500").getJsonArray("items").stream()
          .map(i -> ((JsonObject) i).getString("id"))
          .filter(id -> get(operator, stack, "/api/v1/quarantine/" + id).body().contains(c.getValue())).findFirst());
      String path = "/api/v1/quarantine/" + itemId;
      for (Http who : List.of(operator, viewer)) {
        String shown = get(who, stack, path).body();
        assertFalse(shown.contains(email) || shown.contains(dataBase64.substring(0, 40)), why + ": " + shown);
      }
    }));
    // Nor does any item of the table, as DynamoDB holds it.
    assertTrue(StoredText.items(stack.dynamo(), stack.quarantineTable()).noneMatch(i -> i.contains(email)),
        "no item holds the e-mail");
  }

  /** Posts what the gateway refuses, with a fresh trace id; answers the trace id. */
  private String refusedWithTrace(Stack stack, String contentType, String body, String... headers) {
    String traceId = token() + token() + token().substring(0, 8);
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "traceparent";
    all[headers.length + 1] = "00-" + traceId + "-00f067aa0ba902b7-01";
    refused(stack, contentType, body, all);
    return traceId;
  }

  @Test
  void aViewerSeesAPatchsSensitiveValuesMaskedInTheAuditTrail(Stack stack) {
    String photographerId = "ph-" + token();
    String itemId = refusedPhotographer(stack, photographerId, "old." + token() + "@example.com");
    String fingerprint = awaitDetail(stack, itemId).getString("fingerprint");
    String newEmail = "new." + token() + "@example.com";
    JsonArray patch = new JsonArray()
        .add(new JsonObject().put("op", "test").put("path", "/data/id").put("value", photographerId))
        .add(new JsonObject().put("op", "add").put("path", "/data/name").put("value", "Dee Lens"))
        .add(new JsonObject().put("op", "replace").put("path", "/data/email").put("value", newEmail));
    Http.Response run = operator.post(stack.consoleUrl() + "/api/v1/quarantine/groups/" + fingerprint + "/patch?q="
        + enc(photographerId), "application/json", new JsonObject().put("patch", patch).put("dryRun", false).encode());
    assertEquals(200, run.status(), run.body());
    assertEquals(List.of(itemId), run.json().getJsonArray("redriven").getList(), run.body());

    String audit = "/api/v1/audit?itemId=" + itemId;
    JsonObject clear = get(operator, stack, audit).json().getJsonArray("entries").getJsonObject(0);
    assertEquals("PATCH", clear.getString("action"), clear.encode());
    // The audit keeps a marked value's patch withheld for everyone (it is stored so), the rest as sent.
    assertFalse(clear.encode().contains(newEmail), "no marked value in the clear, even for the operator: "
        + clear.encode());
    assertTrue(clear.getString("detail").contains(photographerId), "the operator sees the patch: " + clear.encode());

    Http.Response r = get(viewer, stack, audit);
    assertFalse(r.body().contains(newEmail), r.body());
    JsonObject entry = r.json().getJsonArray("entries").getJsonObject(0);
    assertEquals("PATCH", entry.getString("action"));
    assertTrue(entry.getBoolean("dataHidden"), entry.encode());
    String detail = entry.getString("detail");
    assertTrue(detail.startsWith("fingerprint " + fingerprint + ": "), detail);
    JsonArray ops = new JsonArray(detail.substring(("fingerprint " + fingerprint + ": ").length()));
    assertEquals(photographerId, ops.getJsonObject(0).getString("value"), "a value that is not sensitive is shown");
    assertEquals(SensitiveFields.MASK, ops.getJsonObject(1).getString("value"), "the name is marked too");
    assertEquals("/data/email", ops.getJsonObject(2).getString("path"));
    assertEquals(SensitiveFields.MASK, ops.getJsonObject(2).getString("value"));
    // The whole audit listing and the item's lineage show it no more than the item's own entries.
    assertFalse(get(viewer, stack, "/api/v1/audit?actor=" + Http.DEV_OPERATOR + "&limit=500").body()
        .contains(newEmail));
    assertFalse(get(viewer, stack, "/api/v1/quarantine/" + itemId + "/lineage").body().contains(newEmail));
  }

  @Test
  void credentialsAProducerSendsAreNeitherKeptNorShownWhateverTheirHeaderIsCalled(Stack stack) throws Exception {
    String apiKey = "key-" + token();
    String securityToken = "sts-" + token();
    String itemId = refusedPhotographer(stack, "ph-" + token(), "eve@example.com", "X-Api-Key", apiKey,
        "X-Amz-Security-Token", securityToken,
        "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    // An item captured before only an allow-list of headers was kept: it still holds a credential.
    String legacySecret = "legacy-" + token();
    Instant at = Instant.now();
    byte[] body = namelessPhotographer(UUID.randomUUID().toString(), "ph-" + token(), "fay@example.com")
        .getBytes(StandardCharsets.UTF_8);
    QuarantineItem legacy = new QuarantineItem(QuarantineItem.ingressIdFor("retail", "/it/viewer", token(), body),
        QuarantineStatus.QUARANTINED, "retail", QuarantineItem.INGRESS_GROUP, "retail", QuarantineItem.NOT_APPENDED,
        QuarantineItem.NOT_APPENDED, Optional.empty(), body, List.of(
            KafkaHeader.of("content-type", "application/cloudevents+json"), KafkaHeader.of("x-api-key", legacySecret)),
        Optional.empty(), Optional.of(TYPE), QuarantineReason.SCHEMA_VIOLATION, "ingress:schema_violation",
        "refused at ingress", List.of(), 0, at, at, Optional.empty(), 0,
        List.of(new AuditEntry(at, "QUARANTINED", "gateway", "seeded by a test")));
    List<String> stored;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      seeds.store().consumer().quarantine(legacy).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      stored = seeds.store().get(itemId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
          .orElseThrow().headers().stream().map(KafkaHeader::key).toList();
    }

    assertAll(() -> {
      assertTrue(stored.contains("content-type") && stored.contains("traceparent"), stored.toString());
      assertFalse(stored.contains("x-api-key") || stored.contains("x-amz-security-token"), "never stored: " + stored);
    }, () -> {
      for (Http who : List.of(viewer, operator)) {
        JsonObject shown = get(who, stack, "/api/v1/quarantine/" + itemId).json();
        assertFalse(shown.encode().contains(apiKey) || shown.encode().contains(securityToken), shown.encode());
        assertTrue(shown.getJsonArray("headers").encode().contains("4bf92f3577b34da6a3ce929d0e0e4736"),
            "an allowed header is shown: " + shown.getJsonArray("headers").encode());
      }
    }, () -> {
      for (Http who : List.of(viewer, operator)) {
        JsonObject old = get(who, stack, "/api/v1/quarantine/" + legacy.id()).json();
        assertFalse(old.encode().contains(legacySecret), "not shown either: " + old.encode());
        assertEquals(List.of("content-type"), old.getJsonArray("headers").stream()
            .map(h -> ((JsonObject) h).getString("key")).toList());
      }
    });
  }
}

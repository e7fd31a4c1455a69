package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fixing items: live validation of a draft, and one JSON Patch over a fingerprint group (dry run, then for real). */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(90)
class FixIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PRICE_TOO_HIGH = "dev.sluice.demo.PriceTooHigh";
  private final Http http = Http.operator();
  private final Http producer = Http.producer();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Http.Response validate(Stack stack, String id, String body) {
    return http.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/validate", "application/json", body);
  }

  private Http.Response patch(Stack stack, String fingerprint, String query, JsonArray patch, boolean dryRun) {
    return http.post(stack.consoleUrl() + "/api/v1/quarantine/groups/" + fingerprint + "/patch?" + query,
        "application/json", new JsonObject().put("patch", patch).put("dryRun", dryRun).encode());
  }

  private JsonObject item(Stack stack, String id) {
    Http.Response r = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static String product(String id, String category, String brand, int price) {
    JsonObject p = new JsonObject().put("id", id).put("name", "Anvil " + id).put("category", category)
        .put("price", price);
    if (brand != null) {
      p.put("brand", brand);
    }
    return p.encode();
  }

  /** Only a test on the category guards the price fix: an item in another category is not this failure. */
  private static JsonArray priceFix() {
    return new JsonArray()
        .add(new JsonObject().put("op", "test").put("path", "/data/category").put("value", "tools"))
        .add(new JsonObject().put("op", "replace").put("path", "/data/price").put("value", 30));
  }

  private static Set<String> ids(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("id")).collect(Collectors.toSet());
  }

  @Test
  void aDraftIsCheckedAgainstTheTypesSchemaWithPointersAtTheEvent(Stack stack) throws Exception {
    String id;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      id = seeds.put(Seed.of("retail", unique("validate"), 1, Instant.now()));
    }
    Http.Response valid = validate(stack, id,
        new JsonObject().put("data", new JsonObject(product("p-1", "tools", "Acme", 20))).encode());
    assertEquals(200, valid.status(), valid.body());
    assertTrue(valid.json().getBoolean("valid"));
    assertEquals(0, valid.json().getJsonArray("violations").size());
    assertTrue(valid.json().getInteger("schemaVersion") >= 1);

    Http.Response invalid = validate(stack, id,
        new JsonObject().put("data", new JsonObject(product("p-1", "tools", null, -5))).encode());
    assertEquals(200, invalid.status(), invalid.body());
    assertFalse(invalid.json().getBoolean("valid"));
    Set<String> pointers = invalid.json().getJsonArray("violations").stream()
        .map(v -> ((JsonObject) v).getString("pointer")).collect(Collectors.toSet());
    assertTrue(pointers.contains("/data/price"), pointers.toString());
    assertTrue(pointers.stream().anyMatch(p -> p.startsWith("/data")), pointers.toString());
    assertEquals(2, pointers.size(), invalid.body());

    Http.Response noData = validate(stack, id, "{}");
    assertEquals(400, noData.status(), noData.body());
    assertEquals("/data", noData.json().getString("pointer"));
    assertEquals(404, validate(stack, "no-such-item", "{\"data\":{}}").status());
    // Validating writes nothing.
    assertEquals("QUARANTINED", item(stack, id).getString("status"));
    assertTrue(item(stack, id).getJsonArray("history").size() == 1);
    assertEquals(403, Http.viewer().post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/validate",
        "application/json", "{\"data\":{}}").status());
  }

  @Test
  void aDryRunPreviewsThePatchAndTouchesNothing(Stack stack) throws Exception {
    String group = unique("patch-dry");
    String fixable1;
    String fixable2;
    String otherCategory;
    String stillInvalid;
    String notJson;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      Instant at = Instant.now();
      fixable1 = seedData(seeds, group, 1, at, product("p-1", "tools", "Acme", 250_000));
      fixable2 = seedData(seeds, group, 2, at, product("p-2", "tools", "Acme", 250_000));
      otherCategory = seedData(seeds, group, 3, at, product("p-3", "garden", "Acme", 250_000));
      stillInvalid = seedData(seeds, group, 4, at, product("p-4", "tools", null, 250_000));
      notJson = seedData(seeds, group, 5, at, "just text");
    }
    String fingerprint = Fingerprint.of("retail.product.created", QuarantineReason.HANDLER_REJECTED, PRICE_TOO_HIGH).id();

    Http.Response dry = patch(stack, fingerprint, "group=" + group, priceFix(), true);
    assertEquals(200, dry.status(), dry.body());
    JsonObject report = dry.json();
    assertEquals(5, report.getInteger("matched"), report.encode());
    assertEquals(2, report.getInteger("applicable"), report.encode());
    assertFalse(report.getBoolean("truncated"));
    assertEquals(Set.of(otherCategory, notJson), ids(report.getJsonArray("notApplicable")), report.encode());
    assertTrue(report.getJsonArray("notApplicable").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("id").equals(otherCategory))
        .allMatch(n -> n.getString("reason").contains("test failed")), report.encode());
    JsonArray invalid = report.getJsonArray("stillInvalid");
    assertEquals(Set.of(stillInvalid), ids(invalid));
    assertEquals("/data", invalid.getJsonObject(0).getJsonArray("violations").getJsonObject(0).getString("pointer")
        .substring(0, 5));
    // The sample shows what the patch did: fixed items, and the one it could not make valid.
    JsonArray sample = report.getJsonArray("sample");
    assertEquals(Set.of(fixable1, fixable2, stillInvalid), ids(sample));
    for (Object o : sample) {
      JsonObject s = (JsonObject) o;
      assertEquals(250_000, s.getJsonObject("before").getInteger("price"));
      assertEquals(30, s.getJsonObject("after").getInteger("price"));
      assertEquals(!s.getString("id").equals(stillInvalid), s.getBoolean("valid"));
    }
    for (String id : List.of(fixable1, fixable2, otherCategory, stillInvalid, notJson)) {
      JsonObject untouched = item(stack, id);
      assertEquals("QUARANTINED", untouched.getString("status"));
      assertFalse(untouched.containsKey("editedData"), untouched.encode());
    }
  }

  @Test
  void badPatchDocumentsAreRefusedWithAPointerIntoTheRequest(Stack stack) {
    String fingerprint = Fingerprint.of("retail.product.created", QuarantineReason.HANDLER_REJECTED, PRICE_TOO_HIGH).id();
    Http.Response typeChange = patch(stack, fingerprint, "group=none", new JsonArray()
        .add(new JsonObject().put("op", "test").put("path", "/type").put("value", "retail.product.created"))
        .add(new JsonObject().put("op", "replace").put("path", "/type").put("value", "x")), true);
    assertEquals(400, typeChange.status(), typeChange.body());
    assertTrue(typeChange.contentType().startsWith("application/problem+json"));
    assertEquals("/patch/1/path", typeChange.json().getString("pointer"));
    Http.Response noValue = patch(stack, fingerprint, "", new JsonArray()
        .add(new JsonObject().put("op", "add").put("path", "/data/x")), true);
    assertEquals("/patch/0/value", noValue.json().getString("pointer"), noValue.body());
    Http.Response notAnArray = http.post(stack.consoleUrl() + "/api/v1/quarantine/groups/" + fingerprint + "/patch",
        "application/json", "{\"patch\":{},\"dryRun\":true}");
    assertEquals("/patch", notAnArray.json().getString("pointer"), notAnArray.body());
    Http.Response badFingerprint = patch(stack, "nope", "", priceFix(), true);
    assertEquals(400, badFingerprint.status());
    assertEquals(400, patch(stack, fingerprint, "status=PARKED", priceFix(), true).status());
    assertEquals(403, Http.viewer().post(stack.consoleUrl() + "/api/v1/quarantine/groups/" + fingerprint + "/patch",
        "application/json", new JsonObject().put("patch", priceFix()).encode()).status());
  }

  @Test
  void aRealRunRedrivesThePatchedItemsAuditsEachAndLeavesTheRestAlone(Stack stack) {
    String token = unique("patchrun").replace("-", "");
    String a = postProduct(stack, token + "a", "tools");
    String b = postProduct(stack, token + "b", "tools");
    String c = postProduct(stack, token + "c", "garden");
    for (String id : List.of(a, b, c)) {
      awaitStatus(stack, id, "QUARANTINED");
    }
    String fingerprint = item(stack, a).getString("fingerprint");
    Instant start = Instant.now();

    Http.Response run = patch(stack, fingerprint, "q=" + token, priceFix(), false);
    assertEquals(200, run.status(), run.body());
    JsonObject report = run.json();
    assertEquals(3, report.getInteger("matched"), report.encode());
    assertEquals(Set.of(a, b), Set.copyOf(report.getJsonArray("redriven").getList()), report.encode());
    assertEquals(0, report.getJsonArray("failed").size(), report.encode());
    assertEquals(Set.of(c), ids(report.getJsonArray("notApplicable")));

    for (String id : List.of(a, b)) {
      JsonObject done = awaitStatus(stack, id, "RESOLVED");
      assertEquals(30, done.getJsonObject("editedData").getInteger("price"));
      JsonArray entries = http.get(stack.consoleUrl() + "/api/v1/audit?itemId=" + id).json().getJsonArray("entries");
      assertEquals(1, entries.size(), entries.encode());
      JsonObject entry = entries.getJsonObject(0);
      assertEquals("PATCH", entry.getString("action"));
      assertEquals(Http.DEV_OPERATOR, entry.getString("actor"));
      assertTrue(entry.getString("detail").contains(fingerprint), entry.encode());
      assertEquals(250_000, new JsonObject(entry.getString("before")).getInteger("price"));
      assertEquals(30, new JsonObject(entry.getString("after")).getInteger("price"));
      assertTrue(Instant.parse(entry.getString("at")).isAfter(start.minusSeconds(1)));
    }
    JsonObject untouched = item(stack, c);
    assertEquals("QUARANTINED", untouched.getString("status"));
    assertFalse(untouched.containsKey("editedData"));
    assertEquals(0, http.get(stack.consoleUrl() + "/api/v1/audit?itemId=" + c).json().getJsonArray("entries").size());

    // Patched items left the group: the same request again finds only the one the patch does not apply to.
    Http.Response again = patch(stack, fingerprint, "q=" + token, priceFix(), false);
    assertEquals(1, again.json().getInteger("matched"), again.body());
    assertEquals(0, again.json().getJsonArray("redriven").size());
  }

  /**
   * A binary-mode record whose value is the event's data itself (the shared seeds write a structured envelope with no
   * content-type header, which reads as data that is the whole envelope).
   */
  static String seedData(QuarantineSeeds seeds, String group, long offset, Instant at, String data)
      throws Exception {
    String id = QuarantineItem.idFor(group, "retail", 0, offset);
    QuarantineItem item = new QuarantineItem(id, QuarantineStatus.QUARANTINED, "retail", group, "retail", 0, offset,
        Optional.of("p-" + offset), data.getBytes(StandardCharsets.UTF_8), List.of(), Optional.of("e-" + offset),
        Optional.of("retail.product.created"), QuarantineReason.HANDLER_REJECTED, PRICE_TOO_HIGH, "too dear",
        List.of(), 1, at, at, Optional.empty(), 0, List.of(new AuditEntry(at, "QUARANTINED", group, "seeded")));
    seeds.store().consumer().quarantine(item).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return id;
  }

  private String postProduct(Stack stack, String productId, String category) {
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/it/fix")
            .put("type", "retail.product.created")
            .put("data", new JsonObject(product(productId, category, "Acme", 250_000))).encode());
    assertEquals(202, r.status(), r.body());
    return QuarantineItem.idFor(stack.demoGroup(), "retail", r.json().getInteger("partition"),
        r.json().getLong("offset"));
  }

  private JsonObject awaitStatus(Stack stack, String id, String status) {
    return Eventually.await("item " + id + " " + status, WAIT, () -> {
      Http.Response r = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return r.status() == 200 && status.equals(r.json().getString("status")) ? Optional.of(r.json())
          : Optional.empty();
    });
  }
}

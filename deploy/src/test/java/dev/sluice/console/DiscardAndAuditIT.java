package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Discard (mandatory reason, conditional, releases what is parked behind) and the audit trail of operator actions,
 * against the whole stack.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(90)
class DiscardAndAuditIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The dev admin: may post events to the gateway and act in the console; the audit records its token's name. */
  private static final String ACTOR = Http.DEV_ADMIN;
  private final Http http = Http.withKey(Http.DEV_ADMIN);

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Http.Response discard(Stack stack, String id, String body) {
    return http.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/discard", "application/json", body);
  }

  /** Entries of this test only: the audit table is shared by every test of the run, and so is the dev admin. */
  private static String since(Instant start) {
    return "&from=" + start.minusMillis(1);
  }

  private static String reason(String why) {
    return new JsonObject().put("reason", why).encode();
  }

  private JsonArray audit(Stack stack, String query) {
    Http.Response r = http.get(stack.consoleUrl() + "/api/v1/audit?" + query);
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("entries");
  }

  private static JsonObject product(String id, int price) {
    return new JsonObject().put("id", id).put("brand", "Acme").put("name", "Anvil " + id).put("category", "tools")
        .put("price", price);
  }

  private JsonObject post(Stack stack, JsonObject data) {
    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/it/discard")
            .put("type", "retail.product.created").put("data", data).encode());
    assertEquals(202, r.status(), r.body());
    return r.json();
  }

  private JsonObject awaitStatus(Stack stack, String id, String status) {
    return Eventually.await("item " + id + " " + status, WAIT, () -> {
      Http.Response r = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return r.status() == 200 && status.equals(r.json().getString("status")) ? Optional.of(r.json())
          : Optional.empty();
    });
  }

  private String idOf(Stack stack, JsonObject ack) {
    return QuarantineItem.idFor(stack.demoGroup(), "retail", ack.getInteger("partition"), ack.getLong("offset"));
  }

  @Test
  void aDiscardNeedsAReasonHappensOnceAndIsAudited(Stack stack) throws Exception {
    String id;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      id = seeds.put(Seed.of("retail", unique("discard-group"), 1, Instant.now()));
    }
    String actor = ACTOR;
    Instant start = Instant.now();

    Http.Response noReason = discard(stack, id, "{}");
    assertEquals(400, noReason.status(), noReason.body());
    assertTrue(noReason.contentType().startsWith("application/problem+json"));
    assertEquals("/reason", noReason.json().getString("pointer"));
    assertEquals("QUARANTINED", http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id).json().getString("status"));

    Http.Response done = discard(stack, id, reason("duplicate of order 17"));
    assertEquals(200, done.status(), done.body());
    assertEquals("DISCARDED", done.json().getString("status"));

    Http.Response again = discard(stack, id, reason("again"));
    assertEquals(409, again.status(), again.body());
    assertEquals("https://sluice.dev/problems/discard-conflict", again.json().getString("type"));
    assertEquals("DISCARDED", again.json().getString("currentStatus"));
    assertEquals(404, discard(stack, "no-such-item", reason("x")).status());

    JsonObject item = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id).json();
    assertTrue(item.getJsonArray("history").stream().map(JsonObject.class::cast).anyMatch(h ->
        "DISCARDED".equals(h.getString("action")) && actor.equals(h.getString("actor"))
            && "duplicate of order 17".equals(h.getString("detail"))), item.encode());

    JsonArray byItem = audit(stack, "itemId=" + id);
    assertEquals(1, byItem.size(), "only the discard that happened is audited: " + byItem.encode());
    JsonObject entry = byItem.getJsonObject(0);
    assertEquals("DISCARD", entry.getString("action"));
    assertEquals(actor, entry.getString("actor"));
    assertEquals(List.of(id), entry.getJsonArray("itemIds").getList());
    assertEquals("duplicate of order 17", entry.getString("detail"));
    assertEquals(1, audit(stack, "actor=" + actor + since(start)).size());
    assertEquals(1, audit(stack, "actor=" + actor + "&action=discard" + since(start)).size());
    assertEquals(0, audit(stack, "actor=" + actor + "&action=REDRIVE" + since(start)).size());
    assertTrue(audit(stack, "limit=500").stream().map(JsonObject.class::cast)
        .anyMatch(e -> e.getString("id").equals(entry.getString("id"))), "the unfiltered, newest-first listing");
  }

  @Test
  void theAuditPagesNewestFirstWithoutRepeats(Stack stack) throws Exception {
    String actor = ACTOR;
    Instant start = Instant.now();
    List<String> ids = new ArrayList<>();
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      String group = unique("audit-pages");
      for (int i = 0; i < 5; i++) {
        String id = seeds.put(Seed.of("retail", group, i, Instant.now()));
        assertEquals(200, discard(stack, id, reason("cleanup " + i)).status());
        ids.add(0, id);
      }
    }
    List<String> paged = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 10; page++) {
      Http.Response r = http.get(stack.consoleUrl() + "/api/v1/audit?actor=" + actor + "&limit=2" + since(start)
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, r.status(), r.body());
      r.json().getJsonArray("entries").forEach(e -> paged.add(((JsonObject) e).getJsonArray("itemIds").getString(0)));
      cursor = r.json().getString("nextCursor");
      if (cursor == null) {
        break;
      }
    }
    assertEquals(ids, paged, "newest first, each once");
    assertEquals(5, new HashSet<>(paged).size());
    Http.Response bad = http.get(stack.consoleUrl() + "/api/v1/audit?cursor=nope");
    assertEquals(400, bad.status());
    assertEquals("cursor", bad.json().getString("parameter"));
  }

  @Test
  void discardingAHeadReleasesTheEventsParkedBehindIt(Stack stack) {
    String productId = unique("p");
    JsonObject head = post(stack, product(productId, 250_000));
    String headId = idOf(stack, head);
    awaitStatus(stack, headId, "QUARANTINED");
    JsonObject behind = post(stack, product(productId, 30));
    String behindId = idOf(stack, behind);
    awaitStatus(stack, behindId, "PARKED");

    // The head's detail lists what waits behind it, and its lineage so far.
    JsonObject lineage = Eventually.await("parked behind " + headId, WAIT, () -> {
      Http.Response r = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + headId + "/lineage");
      return r.status() == 200 && !r.json().getJsonArray("parkedBehind").isEmpty() ? Optional.of(r.json())
          : Optional.empty();
    });
    assertEquals(behindId, lineage.getJsonArray("parkedBehind").getJsonObject(0).getString("id"));
    List<String> stages = lineage.getJsonArray("lineage").stream()
        .map(s -> ((JsonObject) s).getString("stage")).toList();
    assertEquals("INGESTED", stages.get(0), stages.toString());
    assertTrue(stages.contains("ATTEMPT") && stages.contains("QUARANTINED"), stages.toString());

    // The demo handler's rejection keeps its stack trace: in the item's attempt log and on the lineage's attempt.
    Http.Response detail = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + headId);
    assertEquals(200, detail.status(), detail.body());
    String trace = detail.json().getJsonArray("attemptLog").getJsonObject(0).getString("stackTrace");
    assertTrue(trace != null && trace.startsWith("dev.sluice.quarantine.retry.PoisonPill: price 250000 exceeds"),
        detail.body());
    assertTrue(trace.contains("\tat dev.sluice.deploy.demo.CatalogBuilderHandler.productCreated("
        + "CatalogBuilderHandler.java:"), trace);
    JsonObject attemptStep = lineage.getJsonArray("lineage").stream().map(s -> (JsonObject) s)
        .filter(s -> "ATTEMPT".equals(s.getString("stage"))).findFirst().orElseThrow();
    assertEquals(trace, attemptStep.getString("stackTrace"));

    Http.Response discarded = discard(stack, headId, reason("the price was a typo; the next event fixes it"));
    assertEquals(200, discarded.status(), discarded.body());

    // The consumer learns of the discard on its lane refresh, and handles what waited behind it.
    JsonObject released = awaitStatus(stack, behindId, "RESOLVED");
    assertEquals(1, released.getInteger("attempts"));
    JsonObject served = Eventually.await("product " + productId, WAIT, () -> {
      Http.Response r = http.get(stack.demoUrl() + "/products/" + productId);
      return r.status() == 200 ? Optional.of(r.json()) : Optional.empty();
    });
    assertEquals(30, served.getNumber("price").intValue());
  }

  @Test
  void aRedriveWithAnEditIsAuditedWithBeforeAndAfter(Stack stack) {
    String productId = unique("p");
    String id = idOf(stack, post(stack, product(productId, 250_000)));
    awaitStatus(stack, id, "QUARANTINED");
    String actor = ACTOR;
    Instant start = Instant.now();
    Http.Response redriven = http.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive",
        "application/json", new JsonObject().put("data", product(productId, 20)).encode());
    assertEquals(202, redriven.status(), redriven.body());

    JsonArray entries = audit(stack, "itemId=" + id);
    assertEquals(1, entries.size(), entries.encode());
    JsonObject entry = entries.getJsonObject(0);
    assertEquals("REDRIVE_EDITED", entry.getString("action"));
    assertEquals(actor, entry.getString("actor"));
    assertEquals("queued for group " + stack.demoGroup(), entry.getString("detail"));
    assertEquals(250_000, new JsonObject(entry.getString("before")).getInteger("price"));
    assertEquals(20, new JsonObject(entry.getString("after")).getInteger("price"));
    awaitStatus(stack, id, "RESOLVED");
    JsonArray lineage = Eventually.await("lineage of " + id, WAIT, () -> {
      JsonArray steps = http.get(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/lineage").json()
          .getJsonArray("lineage");
      return steps.stream().anyMatch(s -> "RESOLVED".equals(((JsonObject) s).getString("stage")))
          ? Optional.of(steps) : Optional.empty();
    });
    List<String> stages = lineage.stream().map(s -> ((JsonObject) s).getString("stage")).toList();
    int edited = stages.indexOf("EDITED");
    assertTrue(edited > stages.indexOf("QUARANTINED") && edited < stages.indexOf("REDRIVE_EDITED")
        && stages.indexOf("REDRIVE_EDITED") < stages.lastIndexOf("RESOLVED"), stages.toString());
    assertEquals(20, new JsonObject(lineage.getJsonObject(edited).getString("after")).getInteger("price"));

    // A redrive refused (409: no longer QUARANTINED) is no action, so it is not audited.
    assertEquals(409, http.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive", "application/json", "")
        .status());
    assertEquals(1, audit(stack, "itemId=" + id).size());
    assertNull(audit(stack, "actor=" + actor + "&action=DISCARD" + since(start)).stream().findFirst().orElse(null));
  }
}

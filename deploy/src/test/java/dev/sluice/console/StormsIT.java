package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.storm.Storm;
import dev.sluice.quarantine.storm.StormStore;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storms API of the running console: any role lists and reads storms; only an operator or admin resumes one or
 * quarantines everything of it, each a conditional write on the state read and audited; a storm that does not exist is
 * 404 and an action its state does not allow is 409, both problem+json. The page's Storms view shows them in a real
 * headless Chromium, with the buttons for an operator only (screenshot {@code console-storms.png} in
 * {@code target/screenshots/}). Storms are tripped here through the real store
 * into the stack's storms table, for a group of this test's own, as a consumer's breaker trips them
 * ({@code StormBreakerIT} shows a real one).
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class StormsIT {
  private static final String PROBLEM = "application/problem+json";

  private final Vertx vertx = Vertx.vertx();
  private final Http viewer = Http.viewer();
  private final Http operator = Http.operator();
  private final String group = "storm-it-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Trips a storm of this test's group on {@code partition}, as a consumer's breaker does. */
  private Storm trip(Stack stack, int partition) throws Exception {
    StormStore store = new StormStore(new WorkerTable(vertx, stack.dynamo(), stack.stormsTable(), Clock.systemUTC()));
    Storm storm = Storm.tripped(new Storm.Where(group, "retail", partition, "retail"),
        Fingerprint.of("retail.product.created", QuarantineReason.SCHEMA_VIOLATION, "/price"),
        new Storm.Trip(Instant.now(), "consumer:" + group, 120, 200, 4_242, Optional.of("item-" + partition)));
    return store.trip(storm).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).storm()
        .orElseThrow();
  }

  private String url(Stack stack, Storm storm) {
    return stack.consoleUrl() + "/api/v1/storms/" + group + "/" + storm.id();
  }

  private Http.Response act(Http who, Stack stack, Storm storm, String action) {
    return who.post(url(stack, storm) + "/" + action, "application/json", "{}");
  }

  /** The audit entries of {@code action} on this test's group's storms, whoever acted. */
  private JsonArray audit(Stack stack, String action) {
    Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/audit?action=" + action);
    assertEquals(200, r.status(), r.body());
    JsonArray mine = new JsonArray();
    r.json().getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("detail").contains(group)).forEach(mine::add);
    return mine;
  }

  @Test
  void anyRoleSeesAStormAndOnlyAnOperatorResumesItAudited(Stack stack) throws Exception {
    Storm storm = trip(stack, 3);

    Http.Response listed = viewer.get(stack.consoleUrl() + "/api/v1/storms?limit=500");
    assertEquals(200, listed.status(), listed.body());
    JsonObject shown = listed.json().getJsonArray("storms").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("group").equals(group)).findFirst().orElseThrow();
    assertEquals(storm.id(), shown.getString("id"));
    assertEquals("TRIPPED", shown.getString("state"));
    assertTrue(shown.getBoolean("holds"));
    assertEquals("retail", shown.getString("stream"));
    assertEquals(3, shown.getInteger("partition"));
    assertEquals(new JsonObject().put("id", storm.fingerprint().id()).put("type", "retail.product.created")
        .put("reason", "SCHEMA_VIOLATION").put("locus", "/price"), shown.getJsonObject("fingerprint"));
    assertEquals(120, shown.getInteger("failures"));
    assertEquals(200, shown.getInteger("records"));
    assertEquals(4_242, shown.getLong("firstHeldOffset"));
    assertEquals("item-3", shown.getString("sampleItemId"));
    assertEquals(shown, viewer.get(url(stack, storm)).json(), "one storm reads as it is listed");

    Http.Response refused = act(viewer, stack, storm, "resume");
    assertEquals(403, refused.status(), refused.body());
    assertEquals(PROBLEM, refused.contentType());
    assertEquals("TRIPPED", viewer.get(url(stack, storm)).json().getString("state"), "a viewer changed nothing");

    Http.Response resumed = act(operator, stack, storm, "resume");
    assertEquals(200, resumed.status(), resumed.body());
    assertEquals("RESUMED", resumed.json().getString("state"));
    assertFalse(resumed.json().getBoolean("holds"));
    assertEquals(Http.DEV_OPERATOR, resumed.json().getString("changedBy"));
    JsonArray entries = audit(stack, "STORM_RESUME");
    assertEquals(1, entries.size(), entries.encode());
    assertTrue(entries.getJsonObject(0).getString("detail").contains("retail-3"), entries.encode());

    // Resumed already: neither action applies any more.
    for (String action : List.of("resume", "quarantine-all")) {
      Http.Response conflict = act(operator, stack, storm, action);
      assertEquals(409, conflict.status(), conflict.body());
      assertEquals(PROBLEM, conflict.contentType());
      assertTrue(conflict.json().getString("type").endsWith("storm-state-conflict"), conflict.body());
      assertEquals("RESUMED", conflict.json().getString("currentState"));
    }
  }

  @Test
  void quarantiningEverythingLeavesTheStormToQuarantineOneByOneUntilItIsResumed(Stack stack) throws Exception {
    Storm storm = trip(stack, 5);
    Http.Response chosen = act(operator, stack, storm, "quarantine-all");
    assertEquals(200, chosen.status(), chosen.body());
    assertEquals("QUARANTINE_ALL", chosen.json().getString("state"));
    assertEquals(1, audit(stack, "STORM_QUARANTINE_ALL").size());

    Http.Response again = act(operator, stack, storm, "quarantine-all");
    assertEquals(409, again.status(), again.body());
    assertEquals("QUARANTINE_ALL", again.json().getString("currentState"));
    // Resuming it re-arms the breaker for its fingerprint.
    Http.Response resumed = act(operator, stack, storm, "resume");
    assertEquals(200, resumed.status(), resumed.body());
    assertEquals("RESUMED", resumed.json().getString("state"));
  }

  @Test
  void aStormThatDoesNotExistIsNotFound(Stack stack) {
    String unknown = stack.consoleUrl() + "/api/v1/storms/" + group + "/0123456789abcdef";
    Http.Response read = viewer.get(unknown);
    assertEquals(404, read.status(), read.body());
    assertEquals(PROBLEM, read.contentType());
    assertTrue(read.json().getString("type").endsWith("storm-not-found"), read.body());
    Http.Response resume = operator.post(unknown + "/resume", "application/json", "{}");
    assertEquals(404, resume.status(), resume.body());
    Http.Response malformed = viewer.get(stack.consoleUrl() + "/api/v1/storms/" + group + "/not-an-id");
    assertEquals(404, malformed.status(), malformed.body());
    assertEquals(PROBLEM, malformed.contentType());
  }

  @Test
  void thePageShowsTheStormToAViewerAndAnOperatorResumesItThere(Stack stack) throws Exception {
    Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
    Storm storm = trip(stack, 7);
    String row = "tr[data-storm='" + group + "/" + storm.id() + "']";
    Duration wait = Duration.ofSeconds(30);
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "viewer", "viewer");
      browser.awaitText(row + " [data-testid=storm-state]", "the storm listed", wait, "TRIPPED"::equals);
      assertEquals("120 of 200", browser.text(browser.find(row + " [data-testid=storm-counts]")));
      Object buttons = browser.script("var b = document.querySelector(\"" + row + " [data-testid=storm-resume]\");"
          + " return !!b && b.offsetParent !== null;");
      assertEquals(Boolean.FALSE, buttons, "a viewer sees no button");
    }
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
      browser.awaitText(row + " [data-testid=storm-state]", "the storm listed", wait, "TRIPPED"::equals);
      Path shots = Path.of("target", "screenshots");
      Files.createDirectories(shots);
      browser.script("document.getElementById('storms').scrollIntoView(); return null;");
      browser.screenshot(shots.resolve("console-storms.png"));
      browser.click(browser.find(row + " [data-testid=storm-resume]"));
      browser.awaitText(row + " [data-testid=storm-state]", "the storm resumed", wait, "RESUMED"::equals);
    }
    assertEquals("RESUMED", viewer.get(url(stack, storm)).json().getString("state"));
    assertEquals(1, audit(stack, "STORM_RESUME").size());
  }
}

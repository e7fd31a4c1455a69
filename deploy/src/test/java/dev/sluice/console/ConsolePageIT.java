package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's page in a real (headless) Chromium: find the item, see why it failed, fix it, redrive it. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ConsolePageIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Http http = Http.producer();
  /** The console API, as the dev operator (its token name is what the audit trail records). */
  private final Http operator = Http.operator();

  @BeforeAll
  static void needsABrowser() {
    // CI installs chromium and chromium-driver (.ci/run): there, a missing browser is a failure, not a skip.
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
    }
  }

  @Test
  void anOperatorFixesAndRedrivesARejectedProductFromThePage(Stack stack) throws Exception {
    String productId = "p-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject product = new JsonObject().put("id", productId).put("brand", "Acme").put("name", "Gold anvil")
        .put("category", "tools").put("price", 250_000);
    Http.Response posted = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", "/it/page")
            .put("type", "retail.product.created").put("data", product).encode());
    assertEquals(202, posted.status(), posted.body());
    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", posted.json().getInteger("partition"),
        posted.json().getLong("offset"));
    Eventually.await("item " + id, WAIT, () -> Optional.of(operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id))
        .filter(r -> r.status() == 200));

    try (Browser browser = Browser.start()) {
      // Signed out, the page sends the browser to the form, and the form back to the page.
      browser.open(stack.consoleUrl() + "/");
      browser.find("[data-testid=login-form]");
      browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
      assertEquals("operator (operator)", Eventually.await("who is signed in", WAIT, () -> Optional.of(
          browser.text(browser.find("[data-testid=session-user]"))).filter(t -> !t.isEmpty())));
      String row = browser.find("tr[data-testid=item-row][data-id='" + id + "']");
      assertEquals("QUARANTINED", browser.attribute(row, "data-status"));
      browser.click(row);

      // The detail pane fills in after its own fetch: wait for the text rather than read it at once.
      Eventually.await("detail of " + id, WAIT, () -> Optional.of(browser.text(browser.find("[data-testid=detail-reason]")))
          .filter("HANDLER_REJECTED"::equals));
      assertTrue(browser.text(browser.find("[data-testid=detail-error-message]")).contains("exceeds the catalog maximum"));
      assertTrue(browser.text(browser.find("[data-testid=detail-payload]")).contains("250000"));
      // The handler's stack trace sits under its attempt in the lineage: collapsed, and text only.
      String details = browser.find("[data-testid=lineage-step][data-stage=ATTEMPT] details[data-testid=stack-trace]");
      assertEquals("stack trace", browser.text(browser.find("details[data-testid=stack-trace] > summary")));
      JsonObject shown = new JsonObject((String) browser.script("var d = document.querySelector("
          + "'details[data-testid=stack-trace]'); var pre = d.querySelector('pre');"
          + " return JSON.stringify({open: d.open, text: pre.textContent, children: pre.children.length});"));
      assertEquals(false, shown.getBoolean("open"), "collapsed until asked for");
      assertEquals(0, shown.getInteger("children"), "set as text, in " + details);
      assertTrue(shown.getString("text").startsWith("dev.sluice.quarantine.retry.PoisonPill: price 250000 exceeds")
          && shown.getString("text").contains("CatalogBuilderHandler.productCreated("), shown.getString("text"));

      String editor = browser.find("[data-testid=data-editor]");
      browser.type(editor, product.copy().put("price", -1).encode());
      browser.click(browser.find("[data-testid=redrive-button]"));
      String outcome = browser.find("[data-testid=redrive-outcome][data-status='422']");
      assertTrue(browser.text(outcome).startsWith("422"), browser.text(outcome));
      assertEquals("/data/price",
          browser.attribute(browser.find("[data-testid=redrive-violations] [data-testid=violation]"), "data-pointer"));

      browser.type(editor, product.copy().put("price", 250).encode());
      browser.click(browser.find("[data-testid=redrive-button]"));
      browser.find("[data-testid=redrive-outcome][data-status='202']");
    }

    JsonObject item = Eventually.await("item resolved", WAIT, () -> {
      Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
      return "RESOLVED".equals(r.json().getString("status")) ? Optional.of(r.json()) : Optional.empty();
    });
    assertTrue(item.getJsonArray("history").stream()
        .anyMatch(h -> "operator".equals(((JsonObject) h).getString("actor"))), "the signed-in user is audited");
    JsonObject fixed = Eventually.await("fixed product", WAIT, () -> Optional.of(
        http.get(stack.demoUrl() + "/products/" + productId)).filter(r -> r.status() == 200).map(Http.Response::json));
    assertEquals(250, fixed.getNumber("price").intValue());
  }

  @Test
  void anXssPayloadInAnItemsDataShowsAsInertTextBehindASharedAddress(Stack stack) throws Exception {
    String xss = "<img src=x onerror=alert(1)>";
    // A product the gateway refuses (negative price) whose name is markup: kept as an ingress item.
    String eventId = UUID.randomUUID().toString();
    String body = new JsonObject().put("specversion", "1.0").put("id", eventId).put("source", "/it/xss")
        .put("type", "retail.product.created").put("data", new JsonObject().put("id", "p-xss").put("brand", xss)
            .put("name", xss).put("category", "tools").put("price", -1)).encode();
    Http.Response posted = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        body);
    assertEquals(422, posted.status(), posted.body());
    String id = QuarantineItem.ingressIdFor("retail", "/it/xss", eventId, body.getBytes(StandardCharsets.UTF_8));
    Eventually.await("item " + id, WAIT, () -> Optional.of(operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id))
        .filter(r -> r.status() == 200));

    try (Browser browser = Browser.start()) {
      // The item's shareable address survives signing in: the form sends the browser on to it.
      browser.signIn(stack.consoleUrl(), "/quarantine/" + id, "viewer", "viewer");
      assertTrue(browser.currentUrl().endsWith("/quarantine/" + id), browser.currentUrl());
      Eventually.await("detail of " + id, WAIT, () -> Optional.of(browser.text(browser.find("[data-testid=detail-id]")))
          .filter(id::equals));

      String payload = Eventually.await("payload shown", WAIT, () -> Optional.of(
          browser.text(browser.find("[data-testid=detail-payload]"))).filter(t -> t.contains("p-xss")));
      assertTrue(payload.contains(xss), "the markup is shown as text: " + payload);
      assertEquals(0L, ((Number) browser.script("return document.querySelectorAll('img').length;")).longValue(),
          "no element was made from the payload");
      assertEquals(Optional.empty(), browser.alertText(), "no dialog");
    }
  }
}

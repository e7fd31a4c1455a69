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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's story, end to end in a real headless Chromium against the whole stack: sign in, filter, open an item,
 * edit it into something invalid and see the violation inline, fix it, redrive it, see its status change, and see the
 * audit entry. Screenshots of the list and the detail view go to {@code target/screenshots/}.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(240)
class OperatorStoryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ENTER = "\uE007";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final Http producer = Http.producer();
  private final Http operator = Http.operator();

  @BeforeAll
  static void needsABrowser() {
    Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
  }

  /** The element matching {@code css} once its text (or {@code attribute}) contains {@code expected}. */
  private static String await(Browser browser, String css, String attribute, String expected) {
    return Eventually.await(css + " with " + (attribute == null ? "text" : attribute) + " ~ " + expected, WAIT, () -> {
      try {
        String found = browser.find(css);
        String value = attribute == null ? browser.text(found) : browser.attribute(found, attribute);
        return value != null && value.contains(expected) ? Optional.of(found) : Optional.empty();
      } catch (IllegalStateException stale) {
        return Optional.empty();
      }
    });
  }

  private static String product(String id, int price) {
    return new JsonObject().put("id", id).put("brand", "Acme").put("name", "Gold anvil").put("category", "tools")
        .put("price", price).encode();
  }

  @Test
  void anOperatorFindsFixesAndRedrivesAnItemAndSeesItAudited(Stack stack) throws Exception {
    String productId = "story-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response posted = producer.post(stack.gatewayUrl() + "/v1/streams/retail/events",
        "application/cloudevents+json", new JsonObject().put("specversion", "1.0")
            .put("id", UUID.randomUUID().toString()).put("source", "/it/story").put("type", "retail.product.created")
            .put("data", new JsonObject(product(productId, 250_000))).encode());
    assertEquals(202, posted.status(), posted.body());
    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", posted.json().getInteger("partition"),
        posted.json().getLong("offset"));
    Eventually.await("item " + id, WAIT, () -> Optional.of(operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id))
        .filter(r -> r.status() == 200 && "QUARANTINED".equals(r.json().getString("status"))));

    try (Browser browser = Browser.start()) {
      // 1. Log in.
      browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
      await(browser, "[data-testid=session-user]", null, "operator");

      // 2. Filter: free text finds the one item among everything else in the quarantine.
      browser.type(browser.find("[data-testid=filter-q]"), productId + ENTER);
      await(browser, "[data-testid=list-status]", null, "Showing 1 of 1 matching");
      await(browser, "tr[data-testid=item-row]", "data-id", id);
      // The chart follows the filters: one handler rejection. It is redrawn after the list, from a request of its
      // own, so it may still show the unfiltered count for a moment: wait for it to follow.
      browser.awaitText("[data-testid=chart-legend-entry][data-reason=HANDLER_REJECTED]",
          "the chart's HANDLER_REJECTED entry at 1", WAIT, t -> t.endsWith(" 1"));
      Files.deleteIfExists(SCREENSHOTS.resolve("console-list.png"));
      assertTrue(Files.size(browser.screenshot(SCREENSHOTS.resolve("console-list.png"))) > 10_000, "a list screenshot");

      // 3. Open the item (the list may be re-rendered meanwhile: click the row as it is now).
      String rowCss = "tr[data-testid=item-row][data-id='" + id + "']";
      Eventually.await("the item opened", WAIT, () -> {
        try {
          browser.click(browser.find(rowCss));
          return Optional.of(true);
        } catch (IllegalStateException stale) {
          return Optional.empty();
        }
      });
      await(browser, "[data-testid=detail-reason]", null, "HANDLER_REJECTED");
      assertTrue(browser.text(browser.find("[data-testid=detail-payload]")).contains("250000"));
      // The schema version the gateway checked it against travels on the record.
      await(browser, "[data-testid=detail-schema-version]", null, "v1");

      // 4. Edit it into something invalid: the violation shows inline as it is typed, before any redrive.
      String editor = browser.find("[data-testid=data-editor]");
      browser.type(editor, product(productId, -1));
      await(browser, "[data-testid=draft-violation]", "data-pointer", "/data/price");
      await(browser, "[data-testid=draft-status]", "data-state", "bad");
      Files.deleteIfExists(SCREENSHOTS.resolve("console-detail.png"));
      assertTrue(Files.size(browser.screenshot(SCREENSHOTS.resolve("console-detail.png"))) > 10_000,
          "a detail screenshot");

      // 5. Fix it: the draft is valid, and the diff names the changed value.
      browser.type(editor, product(productId, 250));
      await(browser, "[data-testid=draft-status]", "data-state", "ok");
      await(browser, "[data-testid=diff-entry]", "data-pointer", "/data/price");

      // 6. Redrive it.
      browser.click(browser.find("[data-testid=redrive-button]"));
      browser.find("[data-testid=redrive-outcome][data-status='202']");

      // 7. See the status change: the demo consumer takes the redrive (through its SQS redrive queue, shared with
      // every other test of the run, so allow it time) and the item is resolved; then the page shows it.
      Eventually.await("item resolved", Duration.ofSeconds(90), () -> Optional.of(
          operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id))
          .filter(r -> r.status() == 200 && "RESOLVED".equals(r.json().getString("status"))));
      Eventually.await("RESOLVED on the page", WAIT, () -> {
        browser.open(stack.consoleUrl() + "/quarantine/" + id);
        try {
          return Optional.of(browser.text(browser.find("[data-testid=detail-status]"))).filter("RESOLVED"::equals);
        } catch (IllegalStateException stale) {
          return Optional.empty();
        }
      });

      // 8. See the audit entry: who did it, and that it was an edited redrive.
      String entry = await(browser, "[data-testid=detail-audit] [data-testid=audit-entry]", "data-action",
          "REDRIVE_EDITED");
      assertTrue(browser.text(entry).contains("operator"), browser.text(entry));
    }
    // A schema violation's detail highlights the failing value in the pretty-printed payload.
    String invalid;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      invalid = seeds.put(QuarantineSeeds.Seed.of("retail", "story-" + UUID.randomUUID(), 1, java.time.Instant.now())
          .data(product(productId + "-b", -3))
          .failure(dev.sluice.quarantine.store.QuarantineReason.SCHEMA_VIOLATION, "",
              java.util.List.of(new dev.sluice.schemas.Violation("/data/price", "exclusiveMinimum",
                  "-3 is not greater than 0"))));
    }
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/quarantine/" + invalid, "operator", "operator");
      await(browser, "[data-testid=detail-id]", null, invalid);
      String mark = await(browser, "[data-testid=detail-payload] [data-testid=payload-highlight]", "data-pointer",
          "/data/price");
      assertEquals("-3", browser.text(mark), "the failing value itself is marked");
      browser.screenshot(SCREENSHOTS.resolve("console-payload.png"));
      assertTrue(browser.text(browser.find("[data-testid=detail-payload]")).contains("\"brand\": \"Acme\""),
          "the rest of the payload is shown, pretty-printed");
    }
    JsonObject served = Eventually.await("fixed product", WAIT, () -> Optional.of(
        producer.get(stack.demoUrl() + "/products/" + productId)).filter(r -> r.status() == 200).map(Http.Response::json));
    assertEquals(250, served.getNumber("price").intValue());
  }
}

package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.store.QuarantineReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fix tools in a real headless Chromium: a draft is validated as the operator types, its violations and its diff
 * against the original show next to the editor, and a group patch previews in a dry run.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class FixPageIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @BeforeAll
  static void needsABrowser() {
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
    }
  }

  private static String await(Browser browser, String css, String attribute, String expected) {
    return Eventually.await(css + " with " + attribute + "=" + expected, WAIT, () -> {
      try {
        String found = browser.find(css);
        String value = attribute == null ? browser.text(found) : browser.attribute(found, attribute);
        return value != null && value.contains(expected) ? Optional.of(found) : Optional.empty();
      } catch (IllegalStateException stale) {
        return Optional.empty();
      }
    });
  }

  @Test
  void typingAnInvalidValueShowsTheViolationInlineAndAFixShowsTheDiff(Stack stack) throws Exception {
    String group = "fix-page-" + UUID.randomUUID().toString().substring(0, 8);
    String id;
    String other = "p-" + UUID.randomUUID();
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      Instant at = Instant.now();
      id = FixIT.seedData(seeds, group, 1, at, FixIT.product("p-1", "tools", "Acme", 250_000));
      FixIT.seedData(seeds, group, 2, at, FixIT.product(other, "tools", "Acme", 250_000));
    }
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/quarantine/" + id, "operator", "operator");
      await(browser, "[data-testid=detail-id]", null, id);
      String editor = browser.find("[data-testid=data-editor]");
      // The editor's content is a property, not an attribute: read it in the page.
      Eventually.await("the editor filled", WAIT, () -> Optional.ofNullable(browser.script(
          "return document.querySelector('[data-testid=data-editor]').value;")).map(Object::toString)
          .filter(v -> v.contains("250000")));

      browser.type(editor, FixIT.product("p-1", "tools", "Acme", -5));
      String violation = await(browser, "[data-testid=draft-violation]", "data-pointer", "/data/price");
      assertTrue(browser.text(violation).contains("/data/price"), browser.text(violation));
      await(browser, "[data-testid=draft-status]", "data-state", "bad");

      browser.type(editor, FixIT.product("p-1", "tools", "Acme", 30));
      await(browser, "[data-testid=draft-status]", "data-state", "ok");
      assertEquals(Boolean.FALSE, browser.script(
          "return document.querySelectorAll('[data-testid=draft-violation]').length > 0;"));
      String diff = await(browser, "[data-testid=diff-entry]", "data-pointer", "/data/price");
      assertTrue(browser.text(diff).contains("250000") && browser.text(diff).contains("30"), browser.text(diff));

      // A group patch, previewed: nothing is written by a dry run.
      browser.click(browser.find("[data-testid=group-patch] summary"));
      String fingerprint = Fingerprint.of("retail.product.created", QuarantineReason.HANDLER_REJECTED,
          "dev.sluice.demo.PriceTooHigh").id();
      browser.type(browser.find("[data-testid=patch-fingerprint]"), fingerprint);
      browser.type(browser.find("[data-testid=patch-editor]"),
          "[{\"op\":\"test\",\"path\":\"/data/id\",\"value\":\"" + other + "\"},{\"op\":\"replace\",\"path\":\"/data/price\",\"value\":30}]");
      browser.click(browser.find("[data-testid=patch-dry-run]"));
      String summary = await(browser, "[data-testid=patch-summary]", null, "applicable");
      assertTrue(browser.text(summary).contains("1 applicable"), browser.text(summary));
      assertEquals(null, browser.attribute(browser.find("[data-testid=patch-apply]"), "disabled"));
    }
  }
}

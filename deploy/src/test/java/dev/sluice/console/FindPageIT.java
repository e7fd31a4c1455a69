package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.schemas.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The page in a real headless Chromium: free-text find with counts, failure groups as one line each, narrowing to a
 * group, discarding with a reason, and the audit entry it leaves.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class FindPageIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ENTER = "\uE007";

  @BeforeAll
  static void needsABrowser() {
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
    }
  }

  /** The list and groups re-render on every load, so elements are found afresh on each probe. */
  private static String awaitText(Browser browser, String css, String expected) {
    return Eventually.await(css + " containing " + expected, WAIT, () -> {
      try {
        return Optional.of(browser.text(browser.find(css))).filter(t -> t.contains(expected));
      } catch (IllegalStateException stale) {
        return Optional.empty();
      }
    });
  }

  private static void clickFresh(Browser browser, String css) {
    Eventually.await("click on " + css, WAIT, () -> {
      try {
        browser.click(browser.find(css));
        return Optional.of(true);
      } catch (IllegalStateException stale) {
        return Optional.empty();
      }
    });
  }

  @Test
  void findsByTextFoldsGroupsAndDiscardsWithAnAuditedReason(Stack stack) throws Exception {
    String token = "tok" + UUID.randomUUID().toString().substring(0, 8);
    String group = "page-" + UUID.randomUUID().toString().substring(0, 8);
    String lone;
    Instant now = Instant.now();
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      for (int i = 0; i < 2; i++) {
        seeds.put(Seed.of("retail", group, i, now.minusSeconds(10 - i))
            .data("{\"id\":\"p-" + i + "\",\"note\":\"" + token + "\"}")
            .failure(QuarantineReason.SCHEMA_VIOLATION, "", List.of(new Violation("/data/price", "minimum", "low"))));
      }
      lone = seeds.put(Seed.of("retail", group, 7, now).data("{\"id\":\"p-7\",\"note\":\"" + token + "\"}"));
    }

    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
      browser.find("[data-testid=list-status]");
      browser.type(browser.find("[data-testid=filter-q]"), token + ENTER);
      awaitText(browser, "[data-testid=list-status]", "Showing 3 of 3 matching");

      // Two ways of failing: two lines, the larger first.
      String first = awaitText(browser, "tr[data-testid=group-row]", "/data/price");
      assertTrue(first.startsWith("2"), first);
      clickFresh(browser, "tr[data-testid=group-row]");
      awaitText(browser, "[data-testid=list-status]", "Showing 2 of 2 matching");
      browser.click(browser.find("[data-testid=fingerprint-clear]"));
      awaitText(browser, "[data-testid=list-status]", "Showing 3 of 3 matching");

      clickFresh(browser, "tr[data-testid=item-row][data-id='" + lone + "']");
      awaitText(browser, "[data-testid=detail-id]", lone);
      browser.click(browser.find("[data-testid=discard-button]"));
      browser.find("[data-testid=redrive-outcome][data-status='400']");
      browser.type(browser.find("[data-testid=discard-reason]"), "test data, never real");
      browser.click(browser.find("[data-testid=discard-button]"));
      browser.find("[data-testid=redrive-outcome][data-status='200']");
      awaitText(browser, "[data-testid=detail-status]", "DISCARDED");
      // The audit names the signed-in operator.
      String entry = awaitText(browser, "[data-testid=detail-audit] [data-testid=audit-entry][data-action=DISCARD]",
          "operator");
      assertTrue(entry.contains("test data, never real"), entry);
      awaitText(browser, "[data-testid=audit-body] tr[data-testid=audit-row][data-action=DISCARD]", "operator");
      awaitText(browser, "tr[data-testid=item-row][data-id='" + lone + "'][data-status=DISCARDED]", "DISCARDED");
    }
  }
}

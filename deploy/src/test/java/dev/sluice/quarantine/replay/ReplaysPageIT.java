package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's replays view in a real headless Chromium against the whole stack: an operator starts a replay from
 * the page, watches its partition's progress bar move over server-sent events (no reload) while a consumer of the
 * group works through history, and cancels it; a viewer sees the replays and a running one's detail, but neither the
 * form to start one nor a button to control one. The screenshot {@code console-replays.png} (the replay running,
 * progress visible) goes to {@code target/screenshots/}.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class ReplaysPageIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Pattern STARTED = Pattern.compile("Replay ([a-f0-9]{16}) started");
  /** One key at a quarter second an event: 15 s of history, room to see progress and cancel before the end. */
  private static final int HISTORY = 60;

  @BeforeAll
  static void needsABrowser() {
    Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
  }


  private static String awaitText(Browser browser, String css, String what, Predicate<String> accept) {
    return browser.awaitText(css, what, WAIT, accept);
  }

  private static boolean shown(Browser browser, String css) {
    return Boolean.TRUE.equals(browser.script("var e = document.querySelector(\"" + css.replace("\"", "\\\"")
        + "\"); return !!e && !e.hidden && getComputedStyle(e).display !== 'none' && e.offsetParent !== null;"));
  }

  private static double progressValue(Browser browser, String css) {
    Object v = browser.script("var e = document.querySelector(\"" + css + "\"); return e ? e.value : -1;");
    return ((Number) v).doubleValue();
  }

  @Test
  void anOperatorStartsWatchesAndCancelsAReplayAndAViewerOnlyWatches(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      s.produceHistory(HISTORY, 1);
      String group = ReplayStream.newGroup();
      String id;
      try (Browser browser = Browser.start()) {
        browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
        awaitText(browser, "[data-testid=session-user]", "signed in", t -> t.contains("operator"));
        // Marks this page load: still there at the end means the progress came without a reload.
        browser.script("window.sluiceReplaysPageLoad = 'first'; return null;");

        browser.type(browser.find("[data-testid=replay-stream]"), s.stream);
        browser.type(browser.find("[data-testid=replay-group]"), group);
        browser.type(browser.find("[data-testid=replay-from]"), "earliest");
        browser.click(browser.find("[data-testid=replay-start]"));
        String outcome = awaitText(browser, "[data-testid=replay-outcome]", "the replay started",
            t -> STARTED.matcher(t).find());
        Matcher started = STARTED.matcher(outcome);
        assertTrue(started.find(), outcome);
        id = started.group(1);
        assertEquals(group, s.replay(id).getString("group"));

        String row = "tr[data-testid=replay-row][data-replay='" + id + "']";
        awaitText(browser, row + " [data-field=state]", "RUNNING in the list", "RUNNING"::equals);
        assertEquals(s.stream, browser.text(browser.find(row + " [data-field=stream]")));
        assertEquals(group, browser.text(browser.find(row + " [data-field=group]")));
        assertEquals("earliest", browser.text(browser.find(row + " [data-field=from]")));
        assertEquals("operator", browser.text(browser.find(row + " [data-field=by]")));

        // The detail opens on the new replay: RUNNING, one partition with all of its history ahead.
        String detail = "[data-testid=replay-detail][data-replay='" + id + "']";
        awaitText(browser, detail + " [data-testid=replay-state]", "the detail", "RUNNING"::equals);
        String partition = detail + " tr[data-testid=replay-partition][data-partition='0']";
        awaitText(browser, partition + " [data-field=remaining]", "all history ahead", String.valueOf(HISTORY)::equals);
        assertTrue(shown(browser, detail + " [data-testid=replay-pause]"), "Pause applies to a running replay");
        assertTrue(shown(browser, detail + " [data-testid=replay-cancel]"), "Cancel applies to a running replay");
        assertFalse(shown(browser, detail + " [data-testid=replay-resume]"), "Resume does not");

        // A consumer of the group works through history: the bar moves, fed by the replay's event stream.
        s.startConsumer(group, new ReplayRecorder(Duration.ofMillis(250)));
        String bar = partition + " [data-testid=replay-partition-progress]";
        Eventually.await("the partition's bar moving", WAIT,
            () -> Optional.of(progressValue(browser, bar)).filter(v -> v > 0));
        awaitText(browser, detail + " [data-testid=replay-rate]", "a measured rate",
            t -> t.matches("[0-9.]+ events/s") && Double.parseDouble(t.split(" ")[0]) > 0);
        browser.script("document.getElementById('replays').scrollIntoView(); return null;");
        Files.deleteIfExists(SCREENSHOTS.resolve("console-replays.png"));
        assertTrue(Files.size(browser.screenshot(SCREENSHOTS.resolve("console-replays.png"))) > 10_000,
            "a replays screenshot");

        browser.click(browser.find(detail + " [data-testid=replay-cancel]"));
        awaitText(browser, detail + " [data-testid=replay-state]", "CANCELLED", "CANCELLED"::equals);
        assertEquals("CANCELLED", s.replay(id).getString("state"));
        awaitText(browser, row + " [data-field=state]", "CANCELLED in the list", "CANCELLED"::equals);
        for (String action : new String[] {"pause", "resume", "cancel"}) {
          assertFalse(shown(browser, detail + " [data-testid=replay-" + action + "]"), action + " once cancelled");
        }
        assertEquals("first", browser.script("return window.sluiceReplaysPageLoad || null;"),
            "the progress came without a reload");
      }

      // A viewer sees the replays, and a running one's detail, but no form and no buttons.
      String running = s.started(ReplayStream.newGroup(), "earliest").getString("id");
      try (Browser browser = Browser.start()) {
        browser.signIn(stack.consoleUrl(), "/", "viewer", "viewer");
        awaitText(browser, "[data-testid=session-user]", "signed in", t -> t.contains("viewer"));
        Eventually.await("the viewer's page marked", WAIT, () -> Optional.ofNullable(
            browser.script("return document.body.getAttribute('data-role');")).filter("viewer"::equals));
        awaitText(browser, "tr[data-testid=replay-row][data-replay='" + id + "'] [data-field=state]",
            "the cancelled replay", "CANCELLED"::equals);
        browser.click(browser.find("tr[data-testid=replay-row][data-replay='" + running + "'] [data-testid=replay-open]"));
        String detail = "[data-testid=replay-detail][data-replay='" + running + "']";
        awaitText(browser, detail + " [data-testid=replay-state]", "the running replay's detail", "RUNNING"::equals);
        assertTrue(shown(browser, "[data-testid=replays-table]"), "the replays are shown to a viewer");
        assertTrue(shown(browser, detail + " [data-testid=replay-partition-progress]"), "with their progress");
        assertFalse(shown(browser, "[data-testid=replay-form]"), "no start form for a viewer");
        for (String action : new String[] {"pause", "resume", "cancel"}) {
          assertFalse(shown(browser, detail + " [data-testid=replay-" + action + "]"), "no " + action + " for a viewer");
        }
      }
    }
  }
}

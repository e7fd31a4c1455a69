package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.Browser;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The bulk redrive jobs view in a real headless Chromium against the whole stack: an operator filters the list down
 * to a set of items, starts a job over them from the page at 5/s, watches its progress arrive over server-sent events
 * (no reload), pauses it, resumes it and cancels it; a viewer then sees the job but no way to start or control one.
 * The screenshot {@code console-jobs.png} (the job running, progress visible) goes to {@code target/screenshots/}.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class JobsPageIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ENTER = "\uE007";
  /** At 5/s, 12 s of work: room to pause, hold, resume and cancel before the end even on a slow machine. */
  private static final int ITEMS = 60;
  private static final int RATE = 5;
  /** Longer than a runner's batch takes at {@link #RATE} (see {@link #settledSent}). */
  private static final Duration SETTLE = Duration.ofMillis(2_500);
  /** "sent / skipped of total", as the jobs table shows it. */
  private static final Pattern SENT = Pattern.compile("(\\d+) / (\\d+) of (\\d+)");
  private static final Pattern STARTED = Pattern.compile("Job ([a-f0-9]{16}) started: (\\d+) item\\(s\\) match\\.");

  private final Http operator = Http.operator();

  @BeforeAll
  static void needsABrowser() {
    Assumptions.assumeTrue(Browser.available(), "Debian chromium and chromium-driver are not installed");
  }

  /**
   * Seeds the items in a group of their own that has a redrive queue and no consumer (so what the job sends stays
   * REDRIVEN), each payload carrying {@code token} so that the page's free-text filter finds exactly these.
   */
  private static void seed(Stack stack, QuarantineSeeds seeds, String group, String token) {
    seed(stack, seeds, group, token, ITEMS);
  }

  private static java.util.List<String> seed(Stack stack, QuarantineSeeds seeds, String group, String token,
      int items) {
    SluiceConfig config = SluiceConfig.from(RawConfig.of(Map.of(
        "sluice.kafka.bootstrap.servers", stack.engines().bootstrapServers(),
        "sluice.dynamodb.endpoint", stack.engines().dynamoEndpoint(),
        "sluice.sqs.endpoint", stack.engines().sqsEndpoint())));
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      sqs.createQueue(b -> b.queueName(RedriveQueue.queueName(config.aws().queuePrefix(), group)));
    }
    Instant at = Instant.now().minusSeconds(60);
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < items; i++) {
      ids.add(seeds.put(Seed.of("retail", group, i, at.plusMillis(i))
          .data("{\"id\":\"p-" + i + "\",\"name\":\"Anvil " + token + " " + i + "\",\"price\":250000}")));
    }
    return ids;
  }


  /** The job row's "sent / skipped of total" cell, parsed: [sent, skipped, total]. */
  private static long[] sent(Browser browser, String row) {
    String text = browser.text(browser.find(row + " [data-field=sent]"));
    Matcher m = SENT.matcher(text);
    assertTrue(m.matches(), "sent cell: " + text);
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
  }

  private static long sentOnPage(Browser browser, String row) {
    return sent(browser, row)[0];
  }

  private JsonObject job(Stack stack, String id) {
    Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/redrives/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /**
   * The job's sent count once it has stopped changing for {@link #SETTLE}. Pausing or cancelling lets the runner's
   * step in hand finish: what it redrove before the stop is counted when the whole batch (up to 10 items, their tokens
   * spread over 10 / 5 = 2 s) has settled, so the count may still move up to about 2 s after the state changed.
   */
  private long settledSent(Stack stack, String id) {
    long[] last = {-1, System.nanoTime()};
    return Eventually.await("job " + id + "'s sent count settled", WAIT, () -> {
      long sent = job(stack, id).getJsonObject("counts").getLong("sent");
      long now = System.nanoTime();
      if (sent != last[0]) {
        last[0] = sent;
        last[1] = now;
        return Optional.empty();
      }
      return now - last[1] >= SETTLE.toNanos() ? Optional.of(sent) : Optional.empty();
    });
  }

  private static boolean disabled(Browser browser, String css) {
    return "true".equals(browser.attribute(browser.find(css), "disabled"));
  }

  private static String awaitText(Browser browser, String css, String what, Predicate<String> accept) {
    return browser.awaitText(css, what, WAIT, accept);
  }

  private static boolean shown(Browser browser, String css) {
    return Boolean.TRUE.equals(browser.script("var e = document.querySelector(\"" + css.replace("\"", "\\\"")
        + "\"); return !!e && getComputedStyle(e).display !== 'none' && e.offsetParent !== null;"));
  }

  @Test
  void anOperatorStartsWatchesPausesResumesAndCancelsAJobAndAViewerOnlyWatches(Stack stack) throws Exception {
    String token = "jobsui" + UUID.randomUUID().toString().substring(0, 8);
    String group = "jobs-page-" + token.substring(6);
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      seed(stack, seeds, group, token);
    }

    String id;
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
      awaitText(browser, "[data-testid=session-user]", "signed in", t -> t.contains("operator"));
      // Marks this page load: still there at the end means progress came without a reload.
      browser.script("window.sluiceJobsPageLoad = 'first'; return null;");

      // Filter the list down to the seeded items: free text, then their group (offered once the list shows it).
      browser.type(browser.find("[data-testid=filter-q]"), token + ENTER);
      awaitText(browser, "[data-testid=list-status]", "the seeded items listed",
          t -> t.contains("of " + ITEMS + " matching"));
      browser.click(browser.find("[data-testid=filter-group] option[value='" + group + "']"));
      assertEquals(group, browser.script("return document.getElementById('filter-group').value;"));
      awaitText(browser, "[data-testid=list-status]", "the group's items listed",
          t -> t.contains("of " + ITEMS + " matching"));

      // Start a job over what the filters match, at 5 items a second.
      browser.type(browser.find("[data-testid=job-rate]"), String.valueOf(RATE));
      browser.click(browser.find("[data-testid=job-start]"));
      String outcome = awaitText(browser, "[data-testid=job-outcome]", "the job started",
          t -> STARTED.matcher(t).find());
      Matcher started = STARTED.matcher(outcome);
      assertTrue(started.find(), outcome);
      id = started.group(1);
      assertEquals(ITEMS, Long.parseLong(started.group(2)), outcome);
      JsonObject filter = job(stack, id).getJsonObject("filter");
      assertEquals(group, filter.getString("group"), "the job takes the page's filters: " + filter);
      assertEquals(token, filter.getString("q"), "the job takes the page's filters: " + filter);
      assertEquals(RATE, job(stack, id).getInteger("ratePerSecond"));

      // Live progress: the row's counts, bar, measured rate and ETA move as the events arrive.
      String row = "tr[data-testid=job-row][data-job='" + id + "']";
      awaitText(browser, row + " [data-field=state]", "RUNNING", t -> t.startsWith("RUNNING"));
      Eventually.await("2 sent on the page", WAIT, () -> Optional.of(sentOnPage(browser, row)).filter(n -> n >= 2));
      long firstSeen = sentOnPage(browser, row);
      Eventually.await("more sent on the page", WAIT,
          () -> Optional.of(sentOnPage(browser, row)).filter(n -> n > firstSeen));
      assertEquals(ITEMS, sent(browser, row)[2], "the total counted");
      awaitText(browser, row + " [data-field=rate]", "a measured rate",
          t -> t.matches("[0-9.]+/s \\(max " + RATE + "\\)"));
      awaitText(browser, row + " [data-field=eta]", "an ETA", t -> t.matches("\\d+ s"));
      double bar = Double.parseDouble(browser.attribute(browser.find(row + " [data-testid=job-progress]"), "value"));
      assertTrue(bar >= firstSeen, "the bar shows the progress: " + bar);
      assertEquals(ITEMS, Double.parseDouble(browser.attribute(browser.find(row + " [data-testid=job-progress]"),
          "max")), 0.0);
      String percent = browser.text(browser.find(row + " [data-field=percent]"));
      assertTrue(percent.strip().matches("\\d+%.*"), "percent shown: " + percent);
      assertEquals("operator", browser.text(browser.find(row + " [data-field=by]")));
      assertFalse(disabled(browser, row + " [data-testid=job-pause]"));
      assertTrue(disabled(browser, row + " [data-testid=job-resume]"));

      browser.script("document.getElementById('jobs').scrollIntoView(); return null;");
      Files.deleteIfExists(OperatorStoryIT.SCREENSHOTS.resolve("console-jobs.png"));
      assertTrue(Files.size(browser.screenshot(OperatorStoryIT.SCREENSHOTS.resolve("console-jobs.png"))) > 10_000,
          "a jobs screenshot");

      // Pause: the page says PAUSED and its sent count stops (the events keep coming: the stream stays open).
      browser.click(browser.find(row + " [data-testid=job-pause]"));
      awaitText(browser, row + " [data-field=state]", "PAUSED", t -> t.startsWith("PAUSED"));
      assertTrue(disabled(browser, row + " [data-testid=job-pause]"));
      assertFalse(disabled(browser, row + " [data-testid=job-resume]"));
      long atPause = settledSent(stack, id);
      Eventually.await("the paused count on the page", WAIT,
          () -> Optional.of(sentOnPage(browser, row)).filter(n -> n == atPause));
      assertTrue(atPause < ITEMS, "paused before the end: " + atPause);
      // Holding still is the claim here, so it takes an interval: 1.5 s at 5/s would have sent about 7 more.
      long holdUntil = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
      while (System.nanoTime() < holdUntil) {
        assertEquals(atPause, sentOnPage(browser, row), "nothing is sent while paused");
        Thread.sleep(100);
      }
      assertEquals(atPause, job(stack, id).getJsonObject("counts").getLong("sent"));

      // Resume: RUNNING again and the count moves on, still over the same page's event stream.
      browser.click(browser.find(row + " [data-testid=job-resume]"));
      awaitText(browser, row + " [data-field=state]", "RUNNING again", t -> t.startsWith("RUNNING"));
      Eventually.await("sent again on the page", WAIT,
          () -> Optional.of(sentOnPage(browser, row)).filter(n -> n > atPause));

      // Cancel: the final state, every control disabled, the count stops short of the total.
      browser.click(browser.find(row + " [data-testid=job-cancel]"));
      awaitText(browser, row + " [data-field=state]", "CANCELLED", t -> t.startsWith("CANCELLED"));
      assertEquals("CANCELLED", job(stack, id).getString("state"));
      long finalSent = settledSent(stack, id);
      assertTrue(finalSent < ITEMS, "cancelled before the end: " + finalSent);
      // The event stream ends with the final state, so what the step in hand added after it shows on a refresh.
      assertTrue(sentOnPage(browser, row) <= finalSent, "the page shows no more than was sent");
      browser.click(browser.find("[data-testid=refresh]"));
      Eventually.await("the final count on the page", WAIT,
          () -> Optional.of(sentOnPage(browser, row)).filter(n -> n == finalSent));
      for (String action : new String[] {"pause", "resume", "cancel"}) {
        assertTrue(disabled(browser, row + " [data-testid=job-" + action + "]"), action + " disabled once cancelled");
      }
      assertEquals("first", browser.script("return window.sluiceJobsPageLoad || null;"),
          "the progress came without a reload");
    }

    // A viewer sees the job, as it ended, but neither the form to start one nor the buttons to control one.
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "viewer", "viewer");
      awaitText(browser, "[data-testid=session-user]", "signed in", t -> t.contains("viewer"));
      String row = "tr[data-testid=job-row][data-job='" + id + "']";
      awaitText(browser, row + " [data-field=state]", "the cancelled job", t -> t.startsWith("CANCELLED"));
      Eventually.await("the viewer's page marked", WAIT, () -> Optional.ofNullable(
          browser.script("return document.body.getAttribute('data-role');")).filter("viewer"::equals));
      assertTrue(shown(browser, "[data-testid=jobs-table]"), "the jobs table is shown to a viewer");
      assertFalse(shown(browser, "[data-testid=job-form]"), "no job form for a viewer");
      assertFalse(shown(browser, row + " [data-testid=job-cancel]"), "no job controls for a viewer");
      assertFalse(shown(browser, row + " [data-testid=job-pause]"), "no job controls for a viewer");
    }
  }

  @Test
  void anOperatorPicksItemsInTheListAndRedrivesJustThoseAsAJob(Stack stack) throws Exception {
    String token = "pick" + UUID.randomUUID().toString().substring(0, 8);
    String group = "jobs-pick-" + token.substring(4);
    java.util.List<String> ids;
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      ids = seed(stack, seeds, group, token, 6);
    }
    java.util.List<String> picked = java.util.List.of(ids.get(1), ids.get(3), ids.get(4));
    try (Browser browser = Browser.start()) {
      browser.signIn(stack.consoleUrl(), "/", "operator", "operator");
      awaitText(browser, "[data-testid=session-user]", "signed in", t -> t.contains("operator"));
      browser.type(browser.find("[data-testid=filter-q]"), token + ENTER);
      awaitText(browser, "[data-testid=list-status]", "the seeded items listed", t -> t.contains("of 6 matching"));
      assertTrue(disabled(browser, "[data-testid=redrive-selected]"), "nothing picked yet");
      // Picks the three; the list may still be re-rendered by the filter's own reload (which clears the picks), so
      // this repeats until the three are picked on the list as it stays.
      Eventually.await("three items picked", WAIT, () -> {
        try {
          for (String id : picked) {
            String box = "tr[data-testid=item-row][data-id='" + id + "'] [data-testid=item-pick]";
            if (!Boolean.TRUE.equals(browser.script("return document.querySelector(\"" + box + "\").checked;"))) {
              browser.click(browser.find(box));
            }
          }
          return "3 selected".equals(browser.text(browser.find("[data-testid=selection-count]")))
              ? Optional.of(true) : Optional.empty();
        } catch (IllegalStateException stale) {
          return Optional.empty();
        }
      });
      assertEquals(Boolean.TRUE, browser.script("return document.getElementById('detail').hidden;"),
          "picking an item does not open it");
      browser.click(browser.find("[data-testid=redrive-selected]"));
      String outcome = awaitText(browser, "[data-testid=selection-outcome]", "the selection's job started",
          t -> t.matches("Job [a-f0-9]{16} started for 3 item\\(s\\)\\."));
      String id = outcome.substring(4, 20);
      JsonObject done = Eventually.await("job " + id + " DONE", WAIT, () -> Optional.of(job(stack, id))
          .filter(j -> "DONE".equals(j.getString("state"))));
      // The order is the order of the clicks that stuck; the set is the claim.
      assertEquals(new java.util.HashSet<>(picked), new java.util.HashSet<>(done.getJsonArray("selection").getList()),
          done.encode());
      assertEquals(3, done.getJsonObject("counts").getLong("sent"), done.encode());
      // The jobs view follows the job; the list, reloaded, shows exactly the picked ones REDRIVEN.
      awaitText(browser, "tr[data-testid=job-row][data-job='" + id + "'] [data-field=state]", "the job in the view",
          t -> t.startsWith("RUNNING") || t.startsWith("DONE"));
      browser.click(browser.find("[data-testid=refresh]"));
      for (String itemId : ids) {
        String status = picked.contains(itemId) ? "REDRIVEN" : "QUARANTINED";
        // find waits (up to 20 s) for the row in that status.
        browser.find("tr[data-testid=item-row][data-id='" + itemId + "'][data-status=" + status + "]");
      }
    }
  }
}

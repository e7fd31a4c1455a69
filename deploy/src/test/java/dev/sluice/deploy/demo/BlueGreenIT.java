package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.demo.DemoRun.Served;
import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.SluiceProcess;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Repairing a view after a logic bug, blue/green, with the demo consumer as separate processes against the real
 * engines: v1 (blue) stores photos without their photographer's name; v2 (green) under a new group with a view of its
 * own is cold-started from history by a replay while blue keeps serving; once the replay is DONE an operator switches
 * the reads to green, and the port blue's clients read from serves the fixed view, events written before, during and
 * after the replay included. Blue is dropped afterwards; its table stays as it was.
 *
 * <p>The replay starts from an instant just before this test's first event rather than from {@code earliest}: the
 * engines and {@code retail} are shared, and what other tests wrote there is not this test's history.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class BlueGreenIT {
  private static final System.Logger LOG = System.getLogger(BlueGreenIT.class.getName());
  private static final Duration START_WITHIN = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final Http anyone = new Http();

  /** Waits until {@code port} serves the product with a photo, from {@code view}; what it served then. */
  private static Served awaitPhoto(DemoRun run, int port, String productId, String view) {
    return Eventually.await("product " + productId + " with its photo from " + view + " on port " + port, WAIT, () -> {
      Served s = run.product(port, productId);
      return s.status() == 200 && s.view().equals(view) && !s.json().getJsonArray("photos").isEmpty()
          ? Optional.of(s) : Optional.empty();
    });
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aViewWithABugIsRebuiltByTheFixedHandlerFromHistoryAndTheReadsSwitchToItOnceItsReplayIsDone(Stack stack)
      throws Exception {
    Path blueDir = Files.createTempDirectory("sluice-blue");
    Path greenDir = Files.createTempDirectory("sluice-green");
    Path earlyDir = Files.createTempDirectory("sluice-green-early");
    boolean passed = false;
    try (DemoRun run = new DemoRun(stack.engines().bootstrapServers(), stack.engines().dynamoEndpoint(),
        stack.engines().sqsEndpoint(), Optional.of(stack.crypto()))) {
      ReplayApi replays = new ReplayApi(stack.consoleUrl());
      // Blue and green share the pointer, a table of this run's own (the test stack's demo never sees it).
      Map<String, String> shared = Map.of("sluice.demo.active.view.table", "av-" + run.run,
          "sluice.demo.lane.refresh.interval", "500ms");
      String greenGroup = run.group + "-v2";
      String greenTable = run.viewTable + "-v2";
      int greenPort = FreePorts.pick();
      String photographer = "ph-" + run.run;
      try (SluiceProcess blue = run.process(blueDir, with(shared, "sluice.demo.version", "1"));
          // Green's first life notices that its replay is over only at a lane refresh, an hour away: it catches up
          // with history, yet its replay stays RUNNING for as long as this life lasts.
          SluiceProcess greenEarly = run.process(earlyDir, greenGroup, greenTable, greenPort,
              with(with(shared, "sluice.demo.version", "2"), "sluice.demo.lane.refresh.interval", "1h"));
          SluiceProcess green = run.process(greenDir, greenGroup, greenTable, greenPort,
              with(shared, "sluice.demo.version", "2"))) {
        run.startGroupAtEnd();
        Instant from = run.fence();
        blue.start(START_WITHIN);

        // Before the replay: blue applies a photo, and shows the bug.
        run.sendPhotographer(photographer, "Ann Lens").get(30, TimeUnit.SECONDS);
        run.sendGood(1).get(30, TimeUnit.SECONDS);
        run.sendPhoto(run.goodKey(1), photographer).get(30, TimeUnit.SECONDS);
        JsonObject buggy = awaitPhoto(run, run.port, run.goodKey(1), run.viewTable).firstPhoto();
        assertEquals(photographer, buggy.getString("photographerId"), buggy.encode());
        assertTrue(buggy.containsKey("photographerName"), buggy.encode());
        assertNull(buggy.getString("photographerName"), "v1 loses the name: " + buggy.encode());

        // The replay to green; an event written while it runs (no green consumer yet: it cannot be done).
        String id = replays.start(greenGroup, from).getString("id");
        run.sendGood(2).get(30, TimeUnit.SECONDS);
        run.sendPhoto(run.goodKey(2), photographer).get(30, TimeUnit.SECONDS);
        assertEquals("RUNNING", replays.get(id).getString("state"));

        // While green's replay runs, the switch is refused, and nothing changes.
        greenEarly.start(START_WITHIN);
        awaitPhoto(run, greenPort, run.goodKey(2), greenTable);
        Http.Response early = anyone.post("http://127.0.0.1:" + greenPort + "/admin/active-view",
            "application/json", "");
        assertEquals(409, early.status(), early.body());
        assertEquals("application/problem+json", early.contentType(), early.body());
        assertEquals("https://sluice.dev/problems/replay-running", early.json().getString("type"), early.body());
        assertEquals(id, early.json().getString("activeReplay"), early.body());
        assertEquals(404, anyone.get("http://127.0.0.1:" + run.port + "/admin/active-view").status(),
            "no view was switched to");
        assertEquals(run.viewTable, run.product(run.port, run.goodKey(1)).view());
        greenEarly.kill();

        green.start(START_WITHIN);
        replays.await(id, "DONE", WAIT);
        // Until the switch, each serves its own view: blue still the buggy one, green the fixed one.
        assertNull(run.product(run.port, run.goodKey(1)).firstPhoto().getString("photographerName"));
        assertEquals("Ann Lens", awaitPhoto(run, greenPort, run.goodKey(1), greenTable).firstPhoto()
            .getString("photographerName"));

        // The switch, on green's port, from this machine.
        Http.Response switched = anyone.post("http://127.0.0.1:" + greenPort + "/admin/active-view",
            "application/json", "");
        assertEquals(200, switched.status(), switched.body());
        assertEquals(greenTable, switched.json().getJsonObject("active").getString("table"), switched.body());
        assertEquals(greenGroup, switched.json().getJsonObject("active").getString("group"), switched.body());
        assertNull(switched.json().getValue("previous"), "each served its own before: " + switched.body());
        Http.Response pointer = anyone.get("http://127.0.0.1:" + run.port + "/admin/active-view");
        assertEquals(greenTable, pointer.json().getString("table"), "blue sees the switch too: " + pointer.body());
        Http.Response again = anyone.post("http://127.0.0.1:" + greenPort + "/admin/active-view",
            "application/json", "");
        assertEquals(200, again.status(), again.body());
        assertEquals(1L, again.json().getJsonObject("active").getLong("version"), "switching again writes nothing");

        // After the replay: one more event. Blue's port serves green's view, every photo with its name.
        run.sendGood(3).get(30, TimeUnit.SECONDS);
        run.sendPhoto(run.goodKey(3), photographer).get(30, TimeUnit.SECONDS);
        for (int i : List.of(1, 2, 3)) {
          Served served = awaitPhoto(run, run.port, run.goodKey(i), greenTable);
          assertEquals("Ann Lens", served.firstPhoto().getString("photographerName"), "product " + i + ": "
              + served.body());
          assertEquals(1, served.json().getJsonArray("photos").size(), served.body());
        }

        // Blue is dropped: green goes on serving; blue's table is left as it was, bug included.
        blue.kill();
        assertEquals("Ann Lens", awaitPhoto(run, greenPort, run.goodKey(3), greenTable).firstPhoto()
            .getString("photographerName"));
        String bluePhoto = run.viewItems(run.viewTable).entrySet().stream()
            .filter(e -> e.getKey().startsWith("product#" + run.goodKey(1) + "|photo#")).map(Map.Entry::getValue)
            .findFirst().orElseThrow();
        assertNull(new JsonObject(bluePhoto).getString("photographerName"), bluePhoto);
        passed = true;
      }
    } finally {
      for (Path dir : List.of(blueDir, greenDir, earlyDir)) {
        if (passed) {
          DataDirs.wipe(dir);
        } else {
          LOG.log(System.Logger.Level.WARNING, "demo process log kept in {0}", dir);
        }
      }
    }
  }

  /** {@code keys} with {@code key} set to {@code value}. */
  private static Map<String, String> with(Map<String, String> keys, String key, String value) {
    Map<String, String> all = new HashMap<>(keys);
    all.put(key, value);
    return all;
  }
}

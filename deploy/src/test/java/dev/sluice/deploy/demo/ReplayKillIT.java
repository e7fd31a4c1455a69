package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.SluiceProcess;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A demo consumer SIGKILLed in the middle of a cold-start replay: a few thousand events of history, a replay of them
 * to a new group whose demo process (with a view table of its own) is killed once it has applied some but not all of
 * them, then started again. The replay resumes and ends DONE, and the view it rebuilt equals, item by item, the view
 * a third group builds from the same history in one pass, never killed.
 *
 * <p>Why nothing is lost or doubled: the restarted process reads the replay and the group's committed offsets before
 * it handles anything, so it goes on where the group had committed; what was applied but not committed comes again
 * and rewrites the same items (every view write is keyed). Both replays start from an instant just before this
 * test's events rather than from {@code earliest}: {@code retail} is shared with other tests.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class ReplayKillIT {
  private static final System.Logger LOG = System.getLogger(ReplayKillIT.class.getName());

  private static final int PHOTOGRAPHERS = 20;
  private static final int PRODUCTS = 2_400;
  /** One product in this many has a photo. */
  private static final int PHOTO_EVERY = 4;
  /**
   * The kill comes once the killed group has committed at least this many events of history (of 3,020) and its view
   * holds at least as many items: progress a restart resumes from.
   */
  private static final int KILL_AFTER = 300;
  private static final Duration START_WITHIN = Duration.ofSeconds(60);
  private static final Duration KILL_WITHIN = Duration.ofSeconds(120);
  private static final Duration DONE_WITHIN = Duration.ofSeconds(240);

  @Test
  @Timeout(value = 480, unit = TimeUnit.SECONDS)
  void killedMidReplayTheConsumerResumesAndItsViewEqualsOneBuiltInOnePass(Stack stack) throws Exception {
    Path killedDir = Files.createTempDirectory("sluice-replay-killed");
    Path freshDir = Files.createTempDirectory("sluice-replay-fresh");
    boolean passed = false;
    try (DemoRun run = new DemoRun(stack.engines().bootstrapServers(), stack.engines().dynamoEndpoint(),
        stack.engines().sqsEndpoint(), Optional.of(stack.crypto()))) {
      ReplayApi replays = new ReplayApi(stack.consoleUrl());
      run.ensureTopic();
      Instant from = run.fence();
      Set<String> expected = seed(run);

      String killedGroup = run.group + "-killed";
      String killedTable = run.viewTable + "-killed";
      String freshGroup = run.group + "-fresh";
      String freshTable = run.viewTable + "-fresh";
      Map<String, String> keys = Map.of("sluice.demo.version", "2", "sluice.demo.lane.refresh.interval", "500ms",
          "sluice.demo.active.view.table", "av-" + run.run);
      JsonObject started = replays.start(killedGroup, from);
      String killedReplay = started.getString("id");
      String freshReplay = replays.start(freshGroup, from).getString("id");
      int killedPort = FreePorts.pick();
      try (SluiceProcess killed = run.process(killedDir, killedGroup, killedTable, killedPort, keys);
          SluiceProcess fresh = run.process(freshDir, freshGroup, freshTable, FreePorts.pick(), keys)) {
        killed.start(START_WITHIN);
        long committedAtKill = Eventually.await("the killed group committed " + KILL_AFTER + " events of history",
            KILL_WITHIN, () -> Optional.of(committedSinceStart(run, killedGroup, started))
                .filter(n -> n >= KILL_AFTER && run.viewCount(killedTable) >= KILL_AFTER));
        killed.kill();
        int afterKill = run.viewCount(killedTable);
        LOG.log(System.Logger.Level.INFO, "killed having committed {0} events; {1} items in its view of {2}",
            committedAtKill, afterKill, expected.size());
        assertTrue(afterKill < expected.size(), "killed in the middle of history: " + afterKill + " of "
            + expected.size() + " items applied");
        assertEquals("RUNNING", replays.get(killedReplay).getString("state"), "the replay outlives its consumer");

        killed.start(START_WITHIN);
        fresh.start(START_WITHIN);
        replays.await(killedReplay, "DONE", DONE_WITHIN);
        replays.await(freshReplay, "DONE", DONE_WITHIN);
        // DONE says every event was handled or durably recorded: a photo that came before its photographer (another
        // partition) may still wait in the delayed retry tier, and is applied when it comes back.
        for (String table : List.of(killedTable, freshTable)) {
          Eventually.await(table + " holds every seeded item", DONE_WITHIN,
              () -> Optional.of(run.viewItems(table).keySet()).filter(k -> k.containsAll(expected)));
        }

        // The second life went on where the group had committed, not from the start of history: it handled at most
        // what lay past the committed offsets (what the first life handled there but had not committed included).
        // The first events of each partition are photographers and products, which never fail, so everything
        // committed before the kill had been handled then, none of it left to a delayed retry.
        double secondLife = run.scrape(killedPort, "sluice_consumer_events_handled_total");
        LOG.log(System.Logger.Level.INFO, "the restarted consumer handled {0} events", secondLife);
        assertTrue(secondLife > 0 && secondLife <= expected.size() - committedAtKill,
            "the restart resumed: it handled " + secondLife + " of " + expected.size() + " events, "
                + committedAtKill + " having been committed before the kill");

        Map<String, String> rebuilt = run.viewItems(killedTable);
        Map<String, String> onePass = run.viewItems(freshTable);
        assertEquals(expected, new TreeSet<>(onePass.keySet()), "the one-pass view holds exactly the seeded items");
        assertEquals(onePass, rebuilt, "the view rebuilt across the kill equals the one built in one pass");
        passed = true;
      }
    } finally {
      for (Path dir : List.of(killedDir, freshDir)) {
        if (passed) {
          DataDirs.wipe(dir);
        } else {
          LOG.log(System.Logger.Level.WARNING, "demo process log kept in {0}", dir);
        }
      }
    }
  }

  /** Events of history the group has committed: the sum over partitions of its committed offset past the start. */
  private static long committedSinceStart(DemoRun run, String group, JsonObject replay) {
    Map<Integer, Long> committed = run.committed(group);
    return replay.getJsonArray("partitions").stream().map(JsonObject.class::cast)
        .mapToLong(p -> Math.max(0, committed.getOrDefault(p.getInteger("partition"), p.getLong("start"))
            - p.getLong("start")))
        .sum();
  }

  /**
   * Photographers, then products, then photos of every {@value #PHOTO_EVERY}th product, straight to the topic as
   * valid CloudEvents; the view items they make ({@code pk|sk}).
   */
  private static Set<String> seed(DemoRun run) throws Exception {
    Set<String> items = new TreeSet<>();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (int i = 0; i < PHOTOGRAPHERS; i++) {
      String id = "ph-" + run.run + "-" + i;
      sends.add(run.sendPhotographer(id, "Photographer " + i));
      items.add("photographer#" + id + "|photographer");
    }
    for (int i = 0; i < PRODUCTS; i++) {
      sends.add(run.sendGood(i));
      items.add("product#" + run.goodKey(i) + "|product");
    }
    for (int i = 0; i < PRODUCTS; i += PHOTO_EVERY) {
      sends.add(run.sendPhoto(run.goodKey(i), "ph-" + run.run + "-" + (i % PHOTOGRAPHERS)));
      items.add("product#" + run.goodKey(i) + "|photo#" + run.photoEventId(run.goodKey(i)));
    }
    run.flush();
    for (Future<RecordMetadata> send : sends) {
      send.get(30, TimeUnit.SECONDS);
    }
    return items;
  }
}

package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.cli.ReplayCli;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.consumer.QuarantiningPollLoop;
import dev.sluice.quarantine.replay.ReplayRecorder.Handled;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Steering a replay, against the real engines and the whole stack: a paused replay holds its group's history (a
 * consumer started while it is paused handles none of it) while partitions past their end go on live, and resumed it
 * finishes DONE; a replay that quarantines most of what it reads halts itself before it has read its history; a rate
 * cap bounds how much history is handled in the time it runs; pause and resume are refused out of turn and to
 * viewers.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class ReplaySteeringIT {
  private static final String PROBLEMS = "https://sluice.dev/problems/";

  /** {@code count} product ids whose events Kafka's default partitioner puts on {@code partition} of {@code of}. */
  private static List<String> keysOn(int partition, int of, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; keys.size() < count; i++) {
      String key = "k-" + i;
      if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % of == partition) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static Set<String> offsets(List<? extends Object> handled) {
    Set<String> out = new HashSet<>();
    for (Object o : handled) {
      if (o instanceof Handled h) {
        out.add(h.partition() + "@" + h.offset());
      } else if (o instanceof RecordMetadata m) {
        out.add(m.partition() + "@" + m.offset());
      }
    }
    return out;
  }

  private static Http.Response act(ReplayStream s, Http as, String id, String action) {
    return as.post(s.stack.consoleUrl() + "/api/v1/replays/" + id + "/" + action, "application/json", "");
  }

  private static JsonObject refused(Http.Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    assertEquals(PROBLEMS + type, r.json().getString("type"), r.body());
    return r.json();
  }

  @Test
  void aPausedReplayHoldsHistoryWhileLivePartitionsGoOnAndResumedItFinishes(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      List<String> historyKeys = keysOn(0, 2, 3);
      String liveKey = keysOn(1, 2, 1).get(0);
      List<RecordMetadata> history = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        history.add(s.produce(historyKeys.get(i % 3), "h-" + i));
      }
      assertTrue(history.stream().allMatch(m -> m.partition() == 0), "history is all on partition 0");
      String id = s.started(group, "earliest").getString("id");

      // A first consumer, slowed down, is stopped in the middle of history.
      ReplayRecorder first = new ReplayRecorder(Duration.ofMillis(20));
      try (QuarantiningPollLoop loop = s.pollLoop(group, first)) {
        loop.start();
        Eventually.await("5 events handled", ReplayStream.WAIT,
            () -> first.handled.size() >= 5 ? Optional.of(true) : Optional.empty());
      }
      assertTrue(first.handled.size() < history.size(), "stopped in the middle of history: " + first.handled.size());

      Http.Response paused = act(s, s.operator, id, "pause");
      assertEquals(200, paused.status(), paused.body());
      assertEquals("PAUSED", paused.json().getString("state"));

      // The next consumer reads the replay before handling anything: it holds partition 0's history from its first
      // record on, while partition 1, past its (empty) end, is live.
      ReplayRecorder second = new ReplayRecorder();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      s.startConsumer(group, second, meters);
      RecordMetadata live = s.produce(liveKey, "live-1");
      assertEquals(1, live.partition());
      Eventually.await("the live event handled while paused", ReplayStream.WAIT,
          () -> offsets(second.handled).contains("1@" + live.offset()) ? Optional.of(true) : Optional.empty());
      assertEquals(List.of("live-1"), second.handled.stream().map(Handled::name).toList(),
          "while paused nothing of history is handled, live events are: " + second.handled);
      assertFalse(second.handled.get(0).replay(), "a live event is not flagged");
      assertEquals("PAUSED", s.replay(id).getString("state"));
      // The replayed partition's meters: held, behind its captured end. Partition 1 has no history: no meters.
      Eventually.await("partition 0's replay meters", ReplayStream.WAIT,
          () -> Optional.ofNullable(meters.find("sluice.consumer.replay.held").tag("partition", "0").gauge())
              .filter(g -> g.value() == 1.0));
      assertEquals(40.0, meters.get("sluice.consumer.replay.end.offset").tag("partition", "0").gauge().value());
      assertTrue(meters.get("sluice.consumer.replay.reached.offset").tag("partition", "0").gauge().value() < 40.0);
      assertEquals(null, meters.find("sluice.consumer.replay.held").tag("partition", "1").gauge(),
          "a partition with nothing to replay has no replay meters");

      // Resumed through the CLI: the held history is taken up, flagged, and the replay finishes.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status = ReplayCli.run(new String[] {"resume", id, "--console", stack.consoleUrl()},
          Map.of(ReplayCli.TOKEN_ENV, Http.DEV_OPERATOR), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertEquals(ReplayCli.OK, status);
      assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("replay " + id + " RUNNING"), out.toString());
      Eventually.await("the rest of history handled", ReplayStream.WAIT, () -> {
        Set<String> seen = offsets(first.handled);
        seen.addAll(offsets(second.handled));
        return seen.containsAll(offsets(history)) ? Optional.of(true) : Optional.empty();
      });
      assertTrue(second.handled.stream().filter(h -> h.partition() == 0).allMatch(Handled::replay),
          "history after the resume is flagged");
      JsonObject done = s.awaitState(id, "DONE");
      assertTrue(done.getJsonObject("watch").getJsonObject("timeReached").containsKey("0"),
          "the event time reached is recorded with the progress: " + done.encode());

      s.assertAudited(id, List.of("REPLAY_PAUSE", "REPLAY_RESUME"));
    }
  }

  @Test
  void aReplayPausedWhileItRunsHoldsHistoryFromTheRefreshThatSawThePause(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      List<String> historyKeys = keysOn(0, 2, 3);
      List<RecordMetadata> history = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        history.add(s.produce(historyKeys.get(i % 3), "h-" + i));
      }
      String id = s.started(group, "earliest").getString("id");
      ReplayRecorder recorder = new ReplayRecorder(Duration.ofMillis(30));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      s.startConsumer(group, recorder, meters);
      Eventually.await("5 events handled", ReplayStream.WAIT,
          () -> recorder.handled.size() >= 5 ? Optional.of(true) : Optional.empty());
      assertEquals(200, act(s, s.operator, id, "pause").status());

      // The held meter is set by the lane refresh that read the pause, after its instance started holding: from
      // then on at most the record in hand is finished.
      Eventually.await("the instance holds partition 0", ReplayStream.WAIT,
          () -> Optional.ofNullable(meters.find("sluice.consumer.replay.held").tag("partition", "0").gauge())
              .filter(g -> g.value() == 1.0));
      int atHold = recorder.handled.size();
      RecordMetadata live = s.produce(keysOn(1, 2, 1).get(0), "live-1");
      Eventually.await("the live event handled while paused", ReplayStream.WAIT,
          () -> offsets(recorder.handled).contains("1@" + live.offset()) ? Optional.of(true) : Optional.empty());
      long flagged = recorder.handled.stream().filter(Handled::replay).count();
      assertTrue(flagged <= atHold + 1, "no history handled after the hold but the record in hand: " + flagged
          + " flagged, " + atHold + " handled when it held");
      assertTrue(flagged < history.size(), "paused in the middle of history");

      assertEquals(200, act(s, s.operator, id, "resume").status());
      Eventually.await("the rest of history handled", ReplayStream.WAIT,
          () -> offsets(recorder.handled).containsAll(offsets(history)) ? Optional.of(true) : Optional.empty());
      s.awaitState(id, "DONE");
    }
  }

  @Test
  void aReplayThatQuarantinesMostOfWhatItReadsHaltsItselfBeforeItHasReadItsHistory(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      String group = ReplayStream.newGroup();
      int events = 300;
      int good = 0;
      for (int i = 0; i < events; i++) {
        // Three of four are refused by the handler as poison: quarantined, each under a key of its own.
        boolean ok = i % 4 == 0;
        s.produce("b-" + i, ok ? "h-" + i : "reject");
        good += ok ? 1 : 0;
      }
      Http.Response started = s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
          new JsonObject().put("stream", s.stream).put("group", group).put("from", "earliest")
              .put("haltShare", 0.5).put("haltMinEvents", 20).encode());
      assertEquals(201, started.status(), started.body());
      String id = started.json().getString("id");
      assertEquals(20, started.json().getJsonObject("steering").getLong("haltMinEvents"));

      // Slowed down so that its history takes seconds, many lane refreshes: the halt comes long before its end.
      ReplayRecorder recorder = new ReplayRecorder(Duration.ofMillis(20));
      s.startConsumer(group, recorder);
      JsonObject halted = s.awaitState(id, "HALTED");
      JsonObject watch = halted.getJsonObject("watch");
      assertTrue(watch.getString("haltReason", "").contains("quarantine store"), halted.encode());
      assertTrue(watch.getLong("read") >= 20, "judged only once enough was read: " + watch.encode());
      assertTrue(watch.getLong("diverted") * 2 > watch.getLong("read"), watch.encode());
      assertTrue(watch.getLong("read") < events, "halted before reading everything: " + watch.encode());
      // The instance that halted the replay holds its history from that write on: at most the record in hand more.
      assertTrue(recorder.handled.size() < good, "halted before handling all of history: " + recorder.handled.size());
      assertFalse(halted.getJsonArray("partitions").getJsonObject(0).getBoolean("passed"), halted.encode());

      // A halted replay is resumed or cancelled by an operator.
      refused(act(s, s.operator, id, "pause"), 409, "replay-state-conflict");
      Http.Response cancelled = act(s, s.operator, id, "cancel");
      assertEquals(200, cancelled.status(), cancelled.body());
      assertEquals("CANCELLED", cancelled.json().getString("state"));
    }
  }

  @Test
  void aRateCappedReplayHandlesNoMoreHistoryThanItsCapAllowsForTheTimeItRan(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      s.produceHistory(200, 10);
      Http.Response started = s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
          new JsonObject().put("stream", s.stream).put("group", group).put("from", "earliest")
              .put("maxEventsPerSecond", 20).encode());
      assertEquals(201, started.status(), started.body());
      assertEquals(20, started.json().getJsonObject("steering").getInteger("maxEventsPerSecond"));

      // Measured from before the consumer starts, the time can only be longer than the consumer's: the bound looser.
      long t0 = System.nanoTime();
      ReplayRecorder recorder = new ReplayRecorder();
      s.startConsumer(group, recorder);
      Eventually.await("30 events handled", ReplayStream.WAIT,
          () -> recorder.handled.size() >= 30 ? Optional.of(true) : Optional.empty());
      // The count first, then the time: the count can only have been reached within that time.
      int handled = recorder.handled.size();
      double seconds = (System.nanoTime() - t0) / 1e9;
      // One instance owns both partitions: its share is the whole cap, 20/s, with a burst of 2 per bucket; a bucket
      // is made again when its share changes as partitions are assigned (a few times at most).
      double bound = 20 * seconds + 10;
      assertTrue(handled <= bound, handled + " events in " + seconds + " s, more than the cap allows: " + bound);
      assertTrue(recorder.handled.stream().allMatch(Handled::replay));
      assertEquals(200, cancelAndCount(s, started.json().getString("id")), "the history was all there to read");
    }
  }

  /** Cancels the replay; answers the events of history it captured. */
  private static long cancelAndCount(ReplayStream s, String id) {
    Http.Response cancelled = act(s, s.operator, id, "cancel");
    assertEquals(200, cancelled.status(), cancelled.body());
    return cancelled.json().getJsonArray("partitions").stream()
        .mapToLong(p -> ((JsonObject) p).getLong("end") - ((JsonObject) p).getLong("start")).sum();
  }

  @Test
  void pauseAndResumeAreRefusedOutOfTurnAndToViewers(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      s.produce("p-0", "h-0");
      String id = s.started(ReplayStream.newGroup(), "earliest").getString("id");

      assertEquals("RUNNING", refused(act(s, s.operator, id, "resume"), 409, "replay-state-conflict")
          .getString("currentState"), "a running replay is not resumed");
      refused(act(s, Http.viewer(), id, "pause"), 403, "forbidden");
      assertEquals("RUNNING", s.replay(id).getString("state"), "a viewer's pause changed nothing");
      refused(act(s, s.operator, "0123456789abcdef", "pause"), 404, "replay-not-found");

      assertEquals("PAUSED", act(s, s.operator, id, "pause").json().getString("state"));
      assertEquals("PAUSED", refused(act(s, s.operator, id, "pause"), 409, "replay-state-conflict")
          .getString("currentState"), "a paused replay is not paused again");
      refused(act(s, Http.viewer(), id, "resume"), 403, "forbidden");
      assertEquals("CANCELLED", act(s, s.operator, id, "cancel").json().getString("state"),
          "a paused replay may be cancelled");
      assertEquals("CANCELLED", refused(act(s, s.operator, id, "resume"), 409, "replay-state-conflict")
          .getString("currentState"));
    }
  }
}

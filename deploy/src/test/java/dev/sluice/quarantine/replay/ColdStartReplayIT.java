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
import dev.sluice.quarantine.consumer.ConsumedEvent;
import dev.sluice.quarantine.consumer.QuarantiningPollLoop;
import dev.sluice.quarantine.replay.ReplayRecorder.Handled;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A new consumer group cold-started from a stream's history, against the real engines and the whole stack: started
 * through the console's API (or the CLI), the same wrapped handler runs over history with the replay flag set, per-key
 * order, quarantine and parking as live, and goes on live past the end captured at the start, as the same group: no
 * gap, no duplicate; the replay ends DONE by itself. Also a restart midway, a replay from an instant, and a cancel.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class ColdStartReplayIT {
  private static final Duration WAIT = ReplayStream.WAIT;

  private static String key(RecordMetadata m) {
    return m.partition() + "@" + m.offset();
  }

  private static Set<String> keys(List<Handled> handled) {
    return handled.stream().map(h -> h.partition() + "@" + h.offset()).collect(Collectors.toSet());
  }

  private static void awaitHandled(ReplayRecorder recorder, List<RecordMetadata> events) {
    Set<String> wanted = events.stream().map(ColdStartReplayIT::key).collect(Collectors.toSet());
    Eventually.await(events.size() + " events handled", WAIT,
        () -> keys(recorder.handled).containsAll(wanted) ? Optional.of(true) : Optional.empty());
  }

  static Map<Integer, Long> committed(ReplayStream s, String group) throws Exception {
    try (Admin admin = s.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<Integer, Long> out = new HashMap<>();
      offsets.forEach((tp, o) -> out.put(tp.partition(), o.offset()));
      return out;
    }
  }

  private static Map<Integer, Long> column(JsonObject replay, String name) {
    Map<Integer, Long> out = new HashMap<>();
    JsonArray partitions = replay.getJsonArray("partitions");
    for (int i = 0; i < partitions.size(); i++) {
      out.put(partitions.getJsonObject(i).getInteger("partition"), partitions.getJsonObject(i).getLong(name));
    }
    return out;
  }

  @Test
  void aNewGroupReplaysHistoryFlaggedInKeyOrderWithQuarantineThenGoesOnLiveWithNoGapOrDuplicate(Stack stack)
      throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 3)) {
      String group = ReplayStream.newGroup();
      List<RecordMetadata> history = s.produceHistory(30, 6);
      Map<String, List<String>> namesByKey = new LinkedHashMap<>();
      for (int i = 0; i < history.size(); i++) {
        namesByKey.computeIfAbsent("p-" + (i % 6), k -> new ArrayList<>()).add("h-" + i);
      }
      RecordMetadata poison = s.producePoison("junk");
      RecordMetadata rejected = s.produce("p-r", "reject");
      RecordMetadata parked = s.produce("p-r", "after-reject");

      JsonObject replay = s.started(group, "earliest");
      assertEquals("RUNNING", replay.getString("state"), replay.encode());
      assertEquals(group, replay.getString("group"));
      assertEquals("earliest", replay.getString("from"));
      assertEquals("dev-operator", replay.getString("createdBy"));
      assertEquals(33L, column(replay, "end").values().stream().mapToLong(Long::longValue).sum(),
          "the ends captured at the start hold every event written before it: " + replay.encode());
      assertEquals(Map.of(0, 0L, 1, 0L, 2, 0L), column(replay, "start"));
      assertEquals(column(replay, "start"), committed(s, group), "the group is placed at the start, before it runs");

      ReplayRecorder recorder = new ReplayRecorder();
      s.startConsumer(group, recorder);
      awaitHandled(recorder, history);
      assertTrue(recorder.handled.stream().allMatch(h -> h.replay() && h.delivery() == ConsumedEvent.Delivery.KAFKA),
          "every event of history is flagged as replayed: " + recorder.handled);
      namesByKey.forEach((product, names) -> assertEquals(names,
          recorder.ofProduct(product).stream().map(Handled::name).toList(), "per-key order of " + product));

      QuarantineItem notAnEvent = Eventually.await("the poison quarantined", WAIT,
          () -> s.item(group, poison).filter(i -> i.status() == QuarantineStatus.QUARANTINED));
      assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, notAnEvent.reason());
      assertEquals(group, notAnEvent.group(), "quarantined under the replaying group");
      QuarantineItem refused = Eventually.await("the rejected event quarantined", WAIT,
          () -> s.item(group, rejected).filter(i -> i.status() == QuarantineStatus.QUARANTINED));
      assertEquals(QuarantineReason.HANDLER_REJECTED, refused.reason());
      assertEquals(QuarantineStatus.PARKED, Eventually.await("the next event of its key parked", WAIT,
          () -> s.item(group, parked)).status(), "key-ordered quarantine holds during a replay as live");
      assertTrue(recorder.ofProduct("p-r").isEmpty(), "neither the rejected event nor the one behind it was applied");

      List<RecordMetadata> live = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        live.add(s.produce("p-" + i, "live-" + i));
      }
      awaitHandled(recorder, live);
      Set<String> liveKeys = live.stream().map(ColdStartReplayIT::key).collect(Collectors.toSet());
      assertTrue(recorder.handled.stream().filter(h -> liveKeys.contains(h.partition() + "@" + h.offset()))
          .noneMatch(Handled::replay), "events written after the start are live");

      JsonObject done = s.awaitState(replay.getString("id"), "DONE");
      assertTrue(done.getJsonArray("partitions").stream().allMatch(p -> ((JsonObject) p).getBoolean("passed")),
          done.encode());
      assertEquals(recorder.handled.size(), keys(recorder.handled).size(),
          "nothing was handled twice, at the hand-off or before: " + recorder.handled);
      assertEquals(history.size() + live.size(), recorder.handled.size(), "and nothing was skipped");

      // The group's lock is free again: another replay is refused because the group is in use now, not busy.
      Http.Response again = s.startReplay(s.operator, group, "earliest");
      assertEquals(409, again.status(), again.body());
      assertEquals("https://sluice.dev/problems/group-not-new", again.json().getString("type"), again.body());
    }
  }

  @Test
  void aReplayStoppedMidwayResumesFlaggedInItsNextConsumerAndFinishes(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 3)) {
      String group = ReplayStream.newGroup();
      List<RecordMetadata> history = s.produceHistory(90, 9);
      String id = s.started(group, "earliest").getString("id");

      // The plain poll loop this time, slowed down so that it is stopped while still in history.
      ReplayRecorder first = new ReplayRecorder(Duration.ofMillis(20));
      try (QuarantiningPollLoop loop = s.pollLoop(group, first)) {
        loop.start();
        Eventually.await("10 events handled", WAIT,
            () -> first.handled.size() >= 10 ? Optional.of(true) : Optional.empty());
      }
      int before = first.handled.size();
      assertTrue(before < history.size(), "stopped in the middle of history: " + before);
      assertEquals("RUNNING", s.replay(id).getString("state"));

      ReplayRecorder second = new ReplayRecorder();
      try (QuarantiningPollLoop again = s.pollLoop(group, second)) {
        again.start();
        List<Handled> all = new ArrayList<>(first.handled);
        Eventually.await("the rest of history handled", WAIT, () -> {
          Set<String> seen = keys(first.handled);
          seen.addAll(keys(second.handled));
          return seen.containsAll(history.stream().map(ColdStartReplayIT::key).toList())
              ? Optional.of(true) : Optional.empty();
        });
        all.addAll(second.handled);
        assertFalse(second.handled.isEmpty(), "the second consumer resumed the replay");
        assertTrue(all.stream().allMatch(Handled::replay), "history is flagged before and after the restart");
        // At least once: only what was in hand at the stop may come again, at most one event per partition.
        assertTrue(all.size() - keys(all).size() <= s.partitions, "redelivered after the restart: "
            + (all.size() - keys(all).size()));
        s.awaitState(id, "DONE");

        RecordMetadata live = s.produce("p-0", "live");
        awaitHandled(second, List.of(live));
        assertTrue(second.handled.stream().filter(h -> h.name().equals("live")).noneMatch(Handled::replay),
            "live once the replay is done");
      }
    }
  }

  @Test
  void aReplayFromAnInstantStartsEachPartitionAtItsFirstEventAtOrAfterIt(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      List<RecordMetadata> before = new ArrayList<>();
      List<RecordMetadata> after = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        (i < 4 ? before : after).add(s.produce("p-" + (i % 4), "t-" + i, t0.plusSeconds(i).toEpochMilli()));
      }
      Instant from = t0.plusMillis(3_500);

      JsonObject replay = s.started(group, from.toString());
      assertEquals(from.toString(), replay.getString("from"));
      Map<Integer, Long> expectedStart = new HashMap<>();
      for (int p = 0; p < s.partitions; p++) {
        int partition = p;
        expectedStart.put(p, after.stream().filter(m -> m.partition() == partition).mapToLong(RecordMetadata::offset)
            .min().orElse(column(replay, "end").get(p)));
      }
      assertEquals(expectedStart, column(replay, "start"), replay.encode());
      assertEquals(expectedStart, committed(s, group));

      ReplayRecorder recorder = new ReplayRecorder();
      s.startConsumer(group, recorder);
      awaitHandled(recorder, after);
      s.awaitState(replay.getString("id"), "DONE");
      assertEquals(after.stream().map(ColdStartReplayIT::key).collect(Collectors.toSet()), keys(recorder.handled),
          "exactly the events at or after the instant: " + recorder.handled);
      assertTrue(recorder.handled.stream().allMatch(Handled::replay));
    }
  }

  @Test
  void aCancelledReplayFreesItsGroupWhichGoesOnAsAnOrdinaryConsumer(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      List<RecordMetadata> history = s.produceHistory(5, 5);
      String group = ReplayStream.newGroup();
      String id = s.started(group, "earliest").getString("id");
      String cancel = stack.consoleUrl() + "/api/v1/replays/" + id + "/cancel";
      Http.Response cancelled = s.operator.post(cancel, "application/json", "");
      assertEquals(200, cancelled.status(), cancelled.body());
      assertEquals("CANCELLED", cancelled.json().getString("state"));
      Http.Response twice = s.operator.post(cancel, "application/json", "");
      assertEquals(409, twice.status(), twice.body());
      assertEquals("https://sluice.dev/problems/replay-state-conflict", twice.json().getString("type"));
      assertEquals("CANCELLED", twice.json().getString("currentState"));

      ReplayRecorder recorder = new ReplayRecorder();
      s.startConsumer(group, recorder);
      awaitHandled(recorder, history);
      assertTrue(recorder.handled.stream().noneMatch(Handled::replay), "nothing is flagged after a cancel");
      assertEquals(5, recorder.handled.size(), "the group goes on from where the replay placed it");

      s.assertAudited(id, List.of("REPLAY_START", "REPLAY_CANCEL"));
    }
  }

  @Test
  void theCliStartsShowsListsAndCancelsAReplayThroughTheConsole(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      s.produce("p-1", "h-1");
      String group = ReplayStream.newGroup();
      Cli start = Cli.run(stack, "start", "--stream", s.stream, "--group", group, "--from", "earliest");
      assertEquals(ReplayCli.OK, start.status(), start.err());
      String firstLine = start.out().lines().findFirst().orElse("");
      assertTrue(firstLine.matches("replay [0-9a-f]{16} RUNNING"), start.out());
      String id = firstLine.split(" ")[1];
      assertTrue(start.out().contains("-> group " + group + ", from earliest"), start.out());

      Cli show = Cli.run(stack, "show", id);
      assertEquals(ReplayCli.OK, show.status(), show.err());
      assertTrue(show.out().contains("partition 0: ") && show.out().contains("partition 1: "), show.out());
      Cli list = Cli.run(stack, "list", "--limit", "200");
      assertEquals(ReplayCli.OK, list.status(), list.err());
      assertTrue(list.out().contains(id + "  RUNNING"), list.out());

      Cli refused = Cli.run(stack, "start", "--stream", s.stream, "--group", group, "--from", "earliest");
      assertEquals(ReplayCli.REFUSED, refused.status());
      assertTrue(refused.err().contains("refused (409 Group already has an active replay)"), refused.err());

      Cli cancel = Cli.run(stack, "cancel", id);
      assertEquals(ReplayCli.OK, cancel.status(), cancel.err());
      assertTrue(cancel.out().startsWith("replay " + id + " CANCELLED"), cancel.out());
    }
  }

  /** {@code ./sluice replay ...} against the stack's console, with the dev operator's token. */
  record Cli(int status, String out, String err) {
    static Cli run(Stack stack, String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      String[] withConsole = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--console", stack.consoleUrl())).toArray(String[]::new);
      int status = ReplayCli.run(withConsole, Map.of(ReplayCli.TOKEN_ENV, Http.DEV_OPERATOR),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}

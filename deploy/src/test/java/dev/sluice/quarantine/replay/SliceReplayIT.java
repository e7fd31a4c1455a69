package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.cli.ReplayCli;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.consumer.QuarantiningPollLoop;
import dev.sluice.quarantine.replay.ColdStartReplayIT.Cli;
import dev.sluice.quarantine.replay.ReplayRecorder.Handled;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replay of a slice of history (a time range, some types, some keys) to one new group, against the real engines and
 * the whole stack: only the slice reaches the group's handler, flagged; the rest of history is passed over (neither
 * handled nor quarantined) and the group's offsets move past it; everything written after the start is live and
 * handled; another group of the stream sees nothing of it; the replay ends DONE.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class SliceReplayIT {
  private static final Duration WAIT = ReplayStream.WAIT;

  private static String at(RecordMetadata m) {
    return m.partition() + "@" + m.offset();
  }

  private static Set<String> at(Collection<RecordMetadata> written) {
    return written.stream().map(SliceReplayIT::at).collect(Collectors.toSet());
  }

  private static List<String> handledAt(List<Handled> handled) {
    return handled.stream().map(h -> h.partition() + "@" + h.offset()).toList();
  }

  private static void awaitHandled(ReplayRecorder recorder, Collection<RecordMetadata> events) {
    Set<String> wanted = at(events);
    Eventually.await(events.size() + " events handled", WAIT,
        () -> handledAt(recorder.handled).containsAll(wanted) ? Optional.of(true) : Optional.empty());
  }

  private static Map<Integer, Long> ends(JsonObject replay) {
    return replay.getJsonArray("partitions").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(p -> p.getInteger("partition"), p -> p.getLong("end")));
  }

  @Test
  void onlyTheSliceReachesTheReplayedGroupFlaggedThenAllOfLiveAndAnotherGroupSeesNothingOfIt(Stack stack)
      throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      // Another group of the stream, live from the beginning: it must see nothing of the replay.
      String bystander = ReplayStream.newGroup();
      ReplayRecorder other = new ReplayRecorder();
      s.startConsumer(bystander, other);

      Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      Instant to = t0.plusSeconds(12);
      List<RecordMetadata> handledByBoth = new ArrayList<>();
      List<RecordMetadata> slice = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String type = i % 2 == 0 ? ReplayStream.CREATED : ReplayStream.REPRICED;
        String product = "p-" + (i % 3);
        RecordMetadata m = s.produce(type, product, "h-" + i, t0.plusSeconds(i).toEpochMilli());
        handledByBoth.add(m);
        if (i < 12 && type.equals(ReplayStream.CREATED) && !product.equals("p-2")) {
          slice.add(m);
        }
      }
      assertEquals(4, slice.size(), "h-0, h-4, h-6 and h-10 are in the slice");
      // Outside the slice: poison of a listed key (no type, so of no listed type) and a refused event of another key.
      // (Keys after which nothing else of theirs is written: the bystander parks what comes after them.)
      RecordMetadata poison = s.producePoison("p-1", t0.plusSeconds(1).toEpochMilli());
      RecordMetadata refused = s.produce(ReplayStream.CREATED, "p-9", "reject", t0.plusSeconds(2).toEpochMilli());
      awaitHandled(other, handledByBoth);
      Eventually.await("the bystander quarantined the refused event", WAIT,
          () -> s.item(bystander, refused).filter(i -> i.status() == QuarantineStatus.QUARANTINED));

      String group = ReplayStream.newGroup();
      Cli start = Cli.run(stack, "start", "--stream", s.stream, "--group", group, "--from", "earliest", "--to",
          to.toString(), "--types", ReplayStream.CREATED, "--keys", "p-0, p-1");
      assertEquals(ReplayCli.OK, start.status(), start.err());
      String id = start.out().lines().findFirst().orElse("").split(" ")[1];
      String sliceLine = "  slice: to " + to + ", types " + ReplayStream.CREATED + ", keys p-0,p-1";
      assertTrue(start.out().contains(sliceLine), start.out());
      Cli show = Cli.run(stack, "show", id);
      assertTrue(show.out().contains(sliceLine), show.out());
      JsonObject replay = s.replay(id);
      assertEquals(to.toString(), replay.getString("to"));
      assertEquals(new JsonArray().add(ReplayStream.CREATED), replay.getJsonArray("types"));
      assertEquals(new JsonArray().add("p-0").add("p-1"), replay.getJsonArray("keys"));
      assertEquals(18L, ends(replay).values().stream().mapToLong(Long::longValue).sum(),
          "the captured end is the log's end, as for a cold start: to limits what is handled, not where it ends");

      ReplayRecorder recorder = new ReplayRecorder();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      s.startConsumer(group, recorder, meters);
      awaitHandled(recorder, slice);
      List<RecordMetadata> live = List.of(
          s.produce(ReplayStream.REPRICED, "p-2", "live-other-type-and-key", null),
          s.produce(ReplayStream.CREATED, "p-0", "live-in-slice", null));
      awaitHandled(recorder, live);
      JsonObject done = s.awaitState(id, "DONE");
      Map<Integer, Long> committed = ColdStartReplayIT.committed(s, group);
      ends(done).forEach((p, end) -> assertTrue(committed.getOrDefault(p, -1L) >= end,
          "the group's offsets moved past everything passed over: " + committed + " " + done.encode()));

      List<Handled> history = recorder.handled.stream().filter(h -> !at(live).contains(h.partition() + "@"
          + h.offset())).toList();
      assertEquals(at(slice), Set.copyOf(handledAt(history)), "exactly the slice of history: " + recorder.handled);
      assertEquals(slice.size(), history.size(), "each once");
      assertTrue(history.stream().allMatch(Handled::replay), "the slice is flagged: " + history);
      assertTrue(recorder.handled.stream().filter(h -> at(live).contains(h.partition() + "@" + h.offset()))
          .noneMatch(Handled::replay), "events written after the start are live, whatever their type or key");
      assertEquals(slice.size() + live.size(), recorder.handled.size(), recorder.handled.toString());
      assertTrue(s.item(group, poison).isEmpty(), "poison outside the slice is passed over, not quarantined");
      assertTrue(s.item(group, refused).isEmpty(), "an event outside the slice never reaches the handler");
      assertEquals(18.0 - slice.size(), meters.get("sluice.consumer.replay.skipped").tag("stream", s.stream)
          .tag("group", group).counter().count(), "every record of history outside the slice is counted");

      awaitHandled(other, live);
      assertTrue(other.handled.stream().noneMatch(Handled::replay), "the other group saw nothing flagged");
      assertEquals(handledByBoth.size() + live.size(), other.handled.size(),
          "and nothing again: the replay moved only its own group's offsets: " + other.handled);
    }
  }

  @Test
  void aSliceByTimeAloneQuarantinesPoisonInsideItAndPassesOverWhatCameAfterTo(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      RecordMetadata first = s.produce("p-0", "h-0", t0.toEpochMilli());
      RecordMetadata poisonBefore = s.producePoison("junk", t0.plusSeconds(1).toEpochMilli());
      RecordMetadata second = s.produce("p-1", "h-1", t0.plusSeconds(2).toEpochMilli());
      RecordMetadata atTo = s.produce("p-0", "h-2", t0.plusSeconds(4).toEpochMilli());
      RecordMetadata poisonAfter = s.producePoison("junk", t0.plusSeconds(5).toEpochMilli());
      String group = ReplayStream.newGroup();
      Map<String, Object> body = Map.of("stream", s.stream, "group", group, "from", t0.toString(),
          "to", t0.plusSeconds(4).toString());
      Http.Response started = s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
          new JsonObject(body).encode());
      assertEquals(201, started.status(), started.body());
      String id = started.json().getString("id");

      // The plain poll loop this time: it takes part in replays through the same partition pipeline.
      ReplayRecorder recorder = new ReplayRecorder();
      try (QuarantiningPollLoop loop = s.pollLoop(group, recorder)) {
        loop.start();
        awaitHandled(recorder, List.of(first, second));
        assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, Eventually.await("the poison before to quarantined", WAIT,
            () -> s.item(group, poisonBefore).filter(i -> i.status() == QuarantineStatus.QUARANTINED)).reason(),
            "with no type or key listed, poison in the time range is quarantined as live, never dropped unseen");
        s.awaitState(id, "DONE");
        assertTrue(s.item(group, poisonAfter).isEmpty(),
            "poison at or after to is passed over, not parked behind the open poison of its key");
        assertEquals(Set.of(at(first), at(second)), Set.copyOf(handledAt(recorder.handled)),
            "the event written at to is outside the slice: " + recorder.handled);
        assertTrue(recorder.handled.stream().allMatch(Handled::replay));
        assertTrue(handledAt(recorder.handled).stream().noneMatch(at(atTo)::equals));
      }
    }
  }
}

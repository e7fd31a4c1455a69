package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.cli.ReplayCli;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.consumer.QuarantiningPollLoop;
import dev.sluice.quarantine.replay.ReplayRecorder.Handled;
import dev.sluice.quarantine.store.AuditEntry;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A running consumer group rewound without stopping it, against the real engines and the whole stack: the rewind is
 * asked of the console (API or CLI), the group's live instances (a Vert.x wrapper and a plain poll loop) learn of it
 * through the replays table, move their partitions back while events keep arriving, and read history again through
 * the same handler, flagged, then go on live; nothing is lost, an idempotent view ends as one pass leaves it, a
 * re-read event is not skipped or parked by its first pass's quarantine item, which the pass settles (so it holds
 * its key back after the rewind neither), and the replay ends DONE. Also every
 * refusal of a bad rewind, with nothing started.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(240)
class RewindReplayIT {
  private static final String PROBLEMS = "https://sluice.dev/problems/";
  private static final Duration WAIT = ReplayStream.WAIT;

  private static String at(int partition, long offset) {
    return partition + "@" + offset;
  }

  private static String at(RecordMetadata m) {
    return at(m.partition(), m.offset());
  }

  private static Http.Response rewind(ReplayStream s, Http as, String group, JsonObject how) {
    return as.post(s.stack.consoleUrl() + "/api/v1/replays", "application/json",
        how.copy().put("stream", s.stream).put("group", group).put("rewind", true).encode());
  }

  private static JsonObject refused(Http.Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    assertEquals(PROBLEMS + type, r.json().getString("type"), r.body());
    return r.json();
  }

  private static Map<Integer, JsonObject> partitions(JsonObject replay) {
    Map<Integer, JsonObject> out = new HashMap<>();
    JsonArray all = replay.getJsonArray("partitions");
    for (int i = 0; i < all.size(); i++) {
      out.put(all.getJsonObject(i).getInteger("partition"), all.getJsonObject(i));
    }
    return out;
  }

  private static void awaitMembers(ReplayStream s, String group, int members) {
    Eventually.await(members + " members of " + group + " with partitions", WAIT, () -> {
      try (Admin admin = s.admin()) {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
            .get(30, TimeUnit.SECONDS);
        return d.members().size() == members
            && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
            ? Optional.of(true) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    });
  }

  private static Optional<QuarantineItem> item(ReplayStream s, String id) {
    try {
      return s.quarantine.get(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> offsets(ReplayStream s, String group) throws Exception {
    try (Admin admin = s.admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRunningGroupRewindsToATimeWhileEventsKeepArrivingAndLosesNothingAppliesNothingTwiceAndEndsDone(Stack stack)
      throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 3)) {
      String group = ReplayStream.newGroup();
      // One recorder behind both instances, as one service's database behind its instances.
      ReplayRecorder recorder = new ReplayRecorder();
      s.startConsumer(group, recorder);
      try (QuarantiningPollLoop loop = s.pollLoop(group, recorder)) {
        loop.start();
        awaitMembers(s, group, 2);

        Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        List<RecordMetadata> accepted = new CopyOnWriteArrayList<>();
        Map<String, String> lastName = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
          accepted.add(s.produce("p-" + (i % 6), "h-" + i, t0.plusMillis(i).toEpochMilli()));
          lastName.put("p-" + (i % 6), "h-" + i);
        }
        RecordMetadata rejected = s.produce("p-r", "reject");
        RecordMetadata parked = s.produce("p-r", "after-reject");
        Eventually.await("history handled live", WAIT, () -> recorder.handled.size() >= accepted.size()
            ? Optional.of(true) : Optional.empty());
        QuarantineItem firstPassRejected = Eventually.await("the rejected event quarantined", WAIT,
            () -> s.item(group, rejected).filter(i -> i.status() == QuarantineStatus.QUARANTINED));
        Eventually.await("the next event of its key parked", WAIT,
            () -> s.item(group, parked).filter(i -> i.status() == QuarantineStatus.PARKED));
        assertTrue(recorder.handled.stream().noneMatch(Handled::replay), "live: nothing flagged before the rewind");

        // Events keep arriving while the group is rewound: before the request, during it, and after.
        List<String> during = new CopyOnWriteArrayList<>();
        Thread producer = new Thread(() -> {
          for (int i = 0; i < 30; i++) {
            try {
              accepted.add(s.produce("p-" + (i % 6), "d-" + i));
              during.add("p-" + (i % 6) + "=d-" + i);
              Thread.sleep(40);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        }, "rewind-it-producer");
        producer.start();
        Eventually.await("some events arrived during the rewind", WAIT,
            () -> during.size() >= 5 ? Optional.of(true) : Optional.empty());
        Http.Response started = rewind(s, s.operator, group, new JsonObject().put("from", t0.toString()));
        assertEquals(201, started.status(), started.body());
        JsonObject replay = started.json();
        String id = replay.getString("id");
        assertEquals("RUNNING", replay.getString("state"), replay.encode());
        assertTrue(replay.getBoolean("rewind"), replay.encode());
        assertEquals(t0.toString(), replay.getString("from"));
        producer.join(TimeUnit.SECONDS.toMillis(60));
        during.forEach(d -> lastName.put(d.substring(0, d.indexOf('=')), d.substring(d.indexOf('=') + 1)));
        for (int i = 0; i < 6; i++) {
          accepted.add(s.produce("p-" + i, "a-" + i));
          lastName.put("p-" + i, "a-" + i);
        }

        JsonObject done = s.awaitState(id, "DONE");
        Eventually.await("every event handled", WAIT, () -> recorder.handled.stream()
            .map(h -> at(h.partition(), h.offset())).toList()
            .containsAll(accepted.stream().map(RewindReplayIT::at).toList()) ? Optional.of(true) : Optional.empty());
        Map<Integer, JsonObject> ends = partitions(done);
        for (RecordMetadata e : accepted) {
          JsonObject p = ends.get(e.partition());
          List<Handled> of = recorder.handled.stream().filter(h -> h.partition() == e.partition()
              && h.offset() == e.offset()).toList();
          if (e.offset() < p.getLong("end")) {
            assertTrue(of.stream().anyMatch(Handled::replay), "read again, flagged, below the end: " + at(e) + " "
                + of);
          } else {
            assertTrue(of.stream().noneMatch(Handled::replay), "live past the captured end: " + at(e) + " " + of);
          }
        }
        ends.forEach((partition, p) -> {
          if (p.getLong("start") < p.getLong("end")) {
            assertNotNull(p.getValue("rewoundAt"), "rewound: " + done.encode());
            assertTrue(p.getLong("rewoundAt") <= p.getLong("start"), done.encode());
          }
          assertTrue(p.getBoolean("passed"), done.encode());
        });
        assertEquals(lastName, recorder.view, "the idempotent view ends as one pass leaves it: nothing lost, "
            + "nothing applied out of order");

        // The rewound event was read again, not taken for its first pass's item: rejected again, as an item of the
        // rewind's own, with the next event of its key parked behind that one. The first pass's items are superseded
        // by those (settled before the group committed past their events, so by DONE), and stay readable.
        String againId = QuarantineItem.idFor(group, s.stream, rejected.partition(), rejected.offset(),
            Optional.of(id));
        QuarantineItem again = Eventually.await("the rejected event rejected again in the rewind", WAIT,
            () -> item(s, againId).filter(i -> i.status() == QuarantineStatus.QUARANTINED));
        assertEquals(QuarantineReason.HANDLER_REJECTED, again.reason());
        QuarantineItem parkedAgain = Eventually.await("its next event parked behind the new item", WAIT,
            () -> item(s, QuarantineItem.idFor(group, s.stream, parked.partition(), parked.offset(),
                Optional.of(id))).filter(i -> i.status() == QuarantineStatus.PARKED));
        assertEquals(Optional.of(againId), parkedAgain.parkedBehind());
        QuarantineItem oldRejected = s.item(group, rejected).orElseThrow();
        assertSettledByTheRewind(oldRejected, QuarantineStatus.DISCARDED, "SUPERSEDED", group, id);
        assertTrue(lastEntry(oldRejected).detail().contains(againId), oldRejected.history().toString());
        assertEquals(firstPassRejected.attempts(), oldRejected.attempts(), "the first pass's failure is kept");
        QuarantineItem oldParked = s.item(group, parked).orElseThrow();
        assertSettledByTheRewind(oldParked, QuarantineStatus.DISCARDED, "SUPERSEDED", group, id);
        assertTrue(lastEntry(oldParked).detail().contains(parkedAgain.id()), oldParked.history().toString());

        String audit = s.operator.get(stack.consoleUrl() + "/api/v1/audit?action=REPLAY_START&actor=dev-operator")
            .body();
        assertTrue(audit.contains("replay " + id) && audit.contains("rewinding the running group"), audit);
      }
    }
  }

  private static AuditEntry lastEntry(QuarantineItem item) {
    return item.history().get(item.history().size() - 1);
  }

  /** The first pass's item was settled by the rewind's pass: {@code status}, its history saying so last. */
  private static void assertSettledByTheRewind(QuarantineItem item, QuarantineStatus status, String action,
      String group, String rewindId) {
    assertEquals(status, item.status(), item.id() + " " + item.history());
    AuditEntry last = lastEntry(item);
    assertEquals(action, last.action(), item.history().toString());
    assertEquals("consumer:" + group, last.actor(), item.history().toString());
    assertTrue(last.detail().contains("rewind " + rewindId), item.history().toString());
  }

  @Test
  void anEventTheRewindHandledIsNotHeldBackByItsFirstPassItemAfterTheRewindEither(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      ReplayRecorder recorder = new ReplayRecorder();
      Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      RecordMetadata rejected;
      RecordMetadata parked;
      String id;
      try (QuarantiningPollLoop loop = s.pollLoop(group, recorder)) {
        loop.start();
        awaitMembers(s, group, 1);
        rejected = s.produce("p-r", "reject", t0.toEpochMilli());
        parked = s.produce("p-r", "after-reject", t0.plusMillis(1).toEpochMilli());
        s.produce("p-1", "h-1", t0.plusMillis(2).toEpochMilli());
        Eventually.await("the rejected event quarantined by the first pass", WAIT,
            () -> s.item(group, rejected).filter(i -> i.status() == QuarantineStatus.QUARANTINED));
        Eventually.await("the next event of its key parked behind it", WAIT,
            () -> s.item(group, parked).filter(i -> i.status() == QuarantineStatus.PARKED));

        // A fixed handler is deployed, and the group rewound over the events its old one refused.
        recorder.fixed = true;
        Http.Response started = rewind(s, s.operator, group, new JsonObject().put("from", t0.toString()));
        assertEquals(201, started.status(), started.body());
        id = started.json().getString("id");
        s.awaitState(id, "DONE");
      }
      String rewindId = id;
      for (RecordMetadata e : List.of(rejected, parked)) {
        assertTrue(recorder.handled.stream().anyMatch(h -> h.partition() == e.partition()
            && h.offset() == e.offset() && h.replay()), "the pass handled " + at(e) + ": " + recorder.handled);
        assertTrue(item(s, QuarantineItem.idFor(group, s.stream, e.partition(), e.offset(), Optional.of(rewindId)))
            .isEmpty(), "the pass made no item of " + at(e));
        // Settled before the group committed past the event, so by DONE; readable, with its whole history.
        QuarantineItem old = s.item(group, e).orElseThrow();
        assertSettledByTheRewind(old, QuarantineStatus.RESOLVED, "RESOLVED", group, rewindId);
        assertTrue(old.history().size() >= 2, "the first pass's entries are kept: " + old.history());
      }

      // After the rewind, an instance that loads the partition's open items from the store (a restart) finds none of
      // the first pass's: a new event of the key is handled, not parked behind the stale item.
      s.startConsumer(group, recorder);
      awaitMembers(s, group, 1);
      RecordMetadata after = s.produce("p-r", "after-rewind");
      Eventually.await("the new event of the key handled", WAIT, () -> recorder.handled.stream()
          .filter(h -> h.partition() == after.partition() && h.offset() == after.offset()).findFirst());
      assertTrue(s.item(group, after).isEmpty(), "not parked: " + s.item(group, after));
      assertEquals("after-rewind", recorder.view.get("p-r"));
    }
  }

  @Test
  void aLaggingGroupRewoundWithASliceLosesNothingAndHandlesAgainOnlyTheSliceOfWhatItHadHandled(Stack stack)
      throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      // Paced, so that the group is still far behind in its first pass when it is rewound.
      ReplayRecorder recorder = new ReplayRecorder(Duration.ofMillis(40));
      s.startConsumer(group, recorder);
      awaitMembers(s, group, 1);
      List<RecordMetadata> history = s.produceHistory(300, 6);
      Eventually.await("some of history handled, most not yet", WAIT,
          () -> recorder.handled.size() >= 30 ? Optional.of(true) : Optional.empty());

      // Through the CLI, as an operator would.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = ReplayCli.run(new String[] {"rewind", "--stream", s.stream, "--group", group, "--from", "earliest",
          "--keys", "p-1", "--console", stack.consoleUrl()}, Map.of(ReplayCli.TOKEN_ENV, Http.DEV_OPERATOR),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      String printed = out.toString(StandardCharsets.UTF_8);
      assertEquals(ReplayCli.OK, status, err.toString(StandardCharsets.UTF_8));
      assertTrue(printed.contains("slice: keys p-1 (the rest of the history the group had handled is passed over)"),
          printed);
      String id = printed.lines().findFirst().orElseThrow().split(" ")[1];
      assertEquals(new JsonArray().add("p-1"), s.replay(id).getJsonArray("keys"));
      JsonObject done = s.awaitState(id, "DONE");
      Eventually.await("every event handled at least once", WAIT, () -> recorder.handled.stream()
          .map(h -> at(h.partition(), h.offset())).toList()
          .containsAll(history.stream().map(RewindReplayIT::at).toList()) ? Optional.of(true) : Optional.empty());

      Map<Integer, JsonObject> ends = partitions(done);
      boolean lagged = false;
      for (RecordMetadata e : history) {
        JsonObject p = ends.get(e.partition());
        long rewoundAt = p.getLong("rewoundAt");
        long unfinishedAt = p.getLong("unfinishedAt");
        lagged |= unfinishedAt < p.getLong("end");
        assertTrue(rewoundAt <= unfinishedAt, done.encode());
        List<Handled> of = recorder.handled.stream().filter(h -> h.partition() == e.partition()
            && h.offset() == e.offset()).toList();
        boolean inSlice = of.get(0).productId().equals("p-1");
        if (e.offset() >= unfinishedAt) {
          // The group had not handled it: handled in the rewind, whatever the slice, flagged (history).
          assertTrue(of.stream().allMatch(Handled::replay), "unfinished work, handled flagged: " + at(e) + of);
        } else if (inSlice) {
          assertTrue(of.size() >= 2 && of.stream().anyMatch(Handled::replay),
              "the slice's history handled again, flagged: " + at(e) + of);
        } else {
          assertEquals(1, of.size(), "handled before, outside the slice: not handed over again: " + at(e) + of);
          assertFalse(of.get(0).replay(), at(e) + of);
        }
      }
      assertTrue(lagged, "the group was behind when it was rewound: " + done.encode());
    }
  }

  @Test
  void anInstanceThatTakesARewoundPartitionOverGoesOnWithThePassAndDoesNotRewindItAgain(Stack stack)
      throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      String group = ReplayStream.newGroup();
      // Paced, so that the second instance joins while the first is still in the rewound history. The first is the
      // poll loop: it commits what it finished when a partition is revoked, so only the record in hand comes twice.
      ReplayRecorder first = new ReplayRecorder(Duration.ofMillis(40));
      try (QuarantiningPollLoop loop = s.pollLoop(group, first)) {
        loop.start();
        List<RecordMetadata> history = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          history.add(s.produce("p-" + (i % 8), "h-" + i));
        }
        Eventually.await("history handled live", Duration.ofSeconds(120), () -> first.handled.size() >= history.size()
            ? Optional.of(true) : Optional.empty());

        Http.Response started = rewind(s, s.operator, group, new JsonObject().put("offsets",
            new JsonObject().put("0", 0).put("1", 0)));
        assertEquals(201, started.status(), started.body());
        String id = started.json().getString("id");
        assertEquals("offsets", started.json().getString("from"));
        Eventually.await("both partitions rewound and the pass under way", WAIT, () -> {
          boolean rewound = partitions(s.replay(id)).values().stream()
              .allMatch(p -> p.getValue("rewoundAt") != null);
          return rewound && first.handled.stream().filter(Handled::replay).count() >= 20 ? Optional.of(true)
              : Optional.empty();
        });

        ReplayRecorder second = new ReplayRecorder(Duration.ofMillis(40));
        s.startConsumer(group, second);
        JsonObject done = s.awaitState(id, "DONE");
        partitions(done).values().forEach(p -> assertEquals(0L, p.getLong("rewoundAt"), done.encode()));
        List<Handled> flagged = new ArrayList<>(first.handled.stream().filter(Handled::replay).toList());
        flagged.addAll(second.handled.stream().filter(Handled::replay).toList());
        long distinct = flagged.stream().map(h -> at(h.partition(), h.offset())).distinct().count();
        assertEquals(history.size(), distinct, "every event of history read again, flagged");
        assertTrue(second.handled.stream().anyMatch(Handled::replay),
            "the instance that joined took a rewound partition over in the middle of its pass");
        // Rewound once: only what was in hand at the rebalance comes twice, not the partition's history again.
        assertTrue(flagged.size() - distinct <= s.partitions, "read again after the takeover: "
            + (flagged.size() - distinct));
      }
    }
  }

  @Test
  void badRewindsAreRefusedAtTheirPointerWithNothingStartedAndTheCliRewindsByOffsets(Stack stack)
      throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      Map<Integer, Integer> perPartition = new HashMap<>();
      for (int i = 0; i < 12; i++) {
        perPartition.merge(s.produce("p-" + i, "h-" + i).partition(), 1, Integer::sum);
      }
      String idle = ReplayStream.newGroup();
      JsonObject notRunning = refused(rewind(s, s.operator, idle, new JsonObject().put("from", "earliest")), 409,
          "group-not-running");
      assertTrue(notRunning.getString("detail").contains("cold start"), notRunning.encode());

      String group = ReplayStream.newGroup();
      Map<String, Object> props = new HashMap<>(stack.kafkaProps());
      props.put("group.id", group);
      try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        member.subscribe(List.of(s.stream));
        Eventually.await("a live member of " + group, WAIT, () -> {
          member.poll(Duration.ofMillis(100));
          return member.assignment().isEmpty() ? Optional.empty() : Optional.of(true);
        });
        JsonObject beyond = refused(rewind(s, s.operator, group, new JsonObject().put("offsets",
            new JsonObject().put("0", 0).put("1", 999))), 422, "offset-out-of-range");
        assertEquals("/offsets/1", beyond.getString("pointer"), beyond.encode());
        assertEquals((long) perPartition.getOrDefault(1, 0), beyond.getLong("logEnd"), beyond.encode());

        int held = perPartition.entrySet().stream().filter(e -> e.getValue() >= 2).findFirst().orElseThrow()
            .getKey();
        try (Admin admin = s.admin()) {
          admin.deleteRecords(Map.of(new TopicPartition(s.stream, held), RecordsToDelete.beforeOffset(2))).all()
              .get(30, TimeUnit.SECONDS);
        }
        JsonObject below = refused(rewind(s, s.operator, group, new JsonObject().put("offsets",
            new JsonObject().put(Integer.toString(held), 1))), 422, "offset-out-of-range");
        assertEquals("/offsets/" + held, below.getString("pointer"), below.encode());
        assertEquals(2L, below.getLong("logStart"), below.encode());

        assertEquals("/offsets/7", refused(rewind(s, s.operator, group, new JsonObject().put("offsets",
            new JsonObject().put("7", 0))), 422, "unknown-partition").getString("pointer"));
        assertEquals("/from", refused(rewind(s, s.operator, group, new JsonObject().put("from",
            Instant.now().plusSeconds(3600).toString())), 400, "bad-field").getString("pointer"));
        refused(rewind(s, Http.viewer(), group, new JsonObject().put("from", "earliest")), 403, "forbidden");
        assertTrue(s.operator.get(stack.consoleUrl() + "/api/v1/replays?limit=200").json().getJsonArray("replays")
            .stream().noneMatch(r -> ((JsonObject) r).getString("group").equals(group)), "nothing started");
        assertTrue(offsets(s, group).isEmpty(), "nothing committed for the group");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCli.run(new String[] {"rewind", "--stream", s.stream, "--group", group, "--offsets",
            held + "=2", "--console", stack.consoleUrl()}, Map.of(ReplayCli.TOKEN_ENV, Http.DEV_OPERATOR),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(ReplayCli.OK, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("from offsets, rewinding the running group"), printed);
        assertTrue(printed.contains("partition " + held + ": 2 -> " + perPartition.get(held) + ", not rewound yet"),
            printed);
        String id = printed.lines().findFirst().orElseThrow().split(" ")[1];

        JsonObject second = refused(rewind(s, s.operator, group, new JsonObject().put("from", "earliest")), 409,
            "replay-conflict");
        assertEquals(id, second.getString("activeReplay"), second.encode());
        assertEquals(200, s.operator.post(stack.consoleUrl() + "/api/v1/replays/" + id + "/cancel",
            "application/json", "").status());
      }
    }
  }
}

package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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
 * Bad requests to start a replay, against the real engines and the whole stack: each a problem+json 4xx that names
 * the problem, and nothing started (no replay stored for the group, its offsets as they were).
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(120)
class ReplayRefusalsIT {
  private static final String PROBLEMS = "https://sluice.dev/problems/";

  private static JsonObject refused(Http.Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    assertEquals(PROBLEMS + type, r.json().getString("type"), r.body());
    return r.json();
  }

  /** Whether a replay of {@code group} is stored. */
  private static boolean anyReplayOf(ReplayStream s, String group) {
    return s.operator.get(s.stack.consoleUrl() + "/api/v1/replays?limit=200").json().getJsonArray("replays")
        .stream().anyMatch(r -> ((JsonObject) r).getString("group").equals(group));
  }

  private static Map<TopicPartition, OffsetAndMetadata> offsets(ReplayStream s, String group) throws Exception {
    try (Admin admin = s.admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnknownStreamIs404AndBadMembersAre400AtTheirPointer(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      String group = ReplayStream.newGroup();
      Http.Response unknown = s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
          new JsonObject().put("stream", "no-such-stream").put("group", group).put("from", "earliest").encode());
      assertEquals("no-such-stream", refused(unknown, 404, "stream-not-found").getString("stream"));

      assertEquals("/from", refused(s.startReplay(s.operator, group, "yesterday"), 400, "bad-field")
          .getString("pointer"));
      assertEquals("/from", refused(s.startReplay(s.operator, group, Instant.now().plusSeconds(3600).toString()),
          400, "bad-field").getString("pointer"), "history ends now");
      assertEquals("/till", refused(s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
          new JsonObject().put("stream", s.stream).put("group", group).put("from", "earliest").put("till", "x")
              .encode()), 400, "bad-field").getString("pointer"), "an unknown member is refused, not ignored");
      assertEquals("/group", refused(s.startReplay(s.operator, "a group", "earliest"), 400, "bad-field")
          .getString("pointer"));
      refused(s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json", "[]"), 400,
          "malformed-body");
      refused(s.operator.get(stack.consoleUrl() + "/api/v1/replays/0123456789abcdef"), 404, "replay-not-found");
      refused(s.operator.get(stack.consoleUrl() + "/api/v1/replays?limit=0"), 400, "bad-parameter");
      assertFalse(anyReplayOf(s, group));
      assertTrue(offsets(s, group).isEmpty());
    }
  }

  @Test
  void aViewerMayListButNotStartAReplay(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      String group = ReplayStream.newGroup();
      refused(s.startReplay(Http.viewer(), group, "earliest"), 403, "forbidden");
      assertEquals(200, Http.viewer().get(stack.consoleUrl() + "/api/v1/replays").status());
      assertFalse(anyReplayOf(s, group));
      assertTrue(offsets(s, group).isEmpty(), "nothing was committed for the group");
    }
  }

  @Test
  void aTimeBeforeTheEarliestRetainedEventIs422NamingTheEarliestTimeAvailable(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      Instant t0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      for (int i = 0; i < 4; i++) {
        s.produce("p-" + i, "h-" + i, t0.plusSeconds(60L * i).toEpochMilli());
      }
      // Retention deleted the first two events: the log starts at offset 2 now.
      try (Admin admin = s.admin()) {
        admin.deleteRecords(Map.of(new TopicPartition(s.stream, 0), RecordsToDelete.beforeOffset(2))).all()
            .get(30, TimeUnit.SECONDS);
      }
      Instant earliest = t0.plusSeconds(120);
      String group = ReplayStream.newGroup();
      JsonObject problem = refused(s.startReplay(s.operator, group, t0.plusSeconds(60).toString()), 422,
          "before-retention");
      assertEquals(earliest.toString(), problem.getString("earliestAvailable"), problem.encode());
      assertTrue(problem.getString("detail").contains(earliest.toString()), problem.encode());
      assertFalse(anyReplayOf(s, group));
      assertTrue(offsets(s, group).isEmpty(), "nothing was committed for the group");

      // From the earliest time itself, or from earliest, the replay starts at the log's start.
      JsonObject started = s.started(group, earliest.toString());
      assertEquals(2L, started.getJsonArray("partitions").getJsonObject(0).getLong("start"), started.encode());
      assertEquals(2L, s.started(ReplayStream.newGroup(), "earliest").getJsonArray("partitions").getJsonObject(0)
          .getLong("start"));
    }
  }

  @Test
  void aGroupWithCommittedOffsetsOrLiveMembersIs409AndKeepsItsOffsets(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      RecordMetadata first = s.produce("p-0", "h-0");
      s.produce("p-1", "h-1");
      String used = ReplayStream.newGroup();
      Map<TopicPartition, OffsetAndMetadata> before = Map.of(new TopicPartition(s.stream, 0),
          new OffsetAndMetadata(first.offset() + 1));
      try (Admin admin = s.admin()) {
        admin.alterConsumerGroupOffsets(used, before).all().get(30, TimeUnit.SECONDS);
      }
      JsonObject committed = refused(s.startReplay(s.operator, used, "earliest"), 409, "group-not-new");
      assertTrue(committed.getString("detail").contains("committed offsets"), committed.encode());
      assertEquals(before, offsets(s, used), "its offsets are as they were");
      assertFalse(anyReplayOf(s, used));

      String running = ReplayStream.newGroup();
      Map<String, Object> props = new HashMap<>(stack.kafkaProps());
      props.put("group.id", running);
      try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        member.subscribe(List.of(s.stream));
        Eventually.await("a live member of " + running, ReplayStream.WAIT, () -> {
          member.poll(Duration.ofMillis(100));
          return member.assignment().isEmpty() ? Optional.empty() : Optional.of(true);
        });
        JsonObject live = refused(s.startReplay(s.operator, running, "earliest"), 409, "group-not-new");
        assertTrue(live.getString("detail").contains("1 live member"), live.encode());
      }
      assertFalse(anyReplayOf(s, running));
    }
  }

  @Test
  void aSecondReplayForAGroupWithAnActiveOneIs409NamingIt(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      s.produce("p-0", "h-0");
      String group = ReplayStream.newGroup();
      String first = s.started(group, "earliest").getString("id");
      JsonObject second = refused(s.startReplay(s.operator, group, "earliest"), 409, "replay-conflict");
      assertEquals(first, second.getString("activeReplay"), second.encode());
      assertEquals(1, s.operator.get(stack.consoleUrl() + "/api/v1/replays?limit=200").json()
          .getJsonArray("replays").stream().filter(r -> ((JsonObject) r).getString("group").equals(group)).count());
    }
  }

  @Test
  void aBadSliceIs400AtItsPointerAndStartsNothing(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      s.produce("p-0", "h-0");
      String group = ReplayStream.newGroup();
      String from = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .toString();
      Map<String, JsonObject> slices = Map.of(
          "/to", new JsonObject().put("to", from),
          "/types", new JsonObject().put("types", new JsonArray()),
          "/types/1", new JsonObject().put("types", new JsonArray().add("a").add(" ")),
          "/keys", new JsonObject().put("keys", new JsonArray(
              Collections.nCopies(101, "k"))));
      slices.forEach((pointer, slice) -> {
        JsonObject body = new JsonObject().put("stream", s.stream).put("group", group).put("from", from)
            .mergeIn(slice);
        assertEquals(pointer, refused(s.operator.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
            body.encode()), 400, "bad-field").getString("pointer"), body.encode());
      });
      assertFalse(anyReplayOf(s, group));
      assertTrue(offsets(s, group).isEmpty(), "nothing was committed for the group");
    }
  }
}

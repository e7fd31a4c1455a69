package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A replay as an item and back: its slice kept whole, and an item written before slices read back as all. */
class ReplayCodecTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final OffsetPlan PLAN = new OffsetPlan("retail", Map.of(0, 2L, 1, 0L), Map.of(0, 10L, 1, 5L));

  private static Replay replay(Slice slice) {
    return Replay.started("0123456789abcdef", new Replay.Target("retail", "billing-v2",
        ReplayFrom.at(NOW.minusSeconds(3600)), slice), PLAN, "dev-operator", NOW);
  }

  @Test
  void aSliceRoundTrips() {
    Replay sliced = replay(new Slice(Optional.of(Instant.parse("2025-03-01T09:30:00.123456789Z")),
        Set.of("retail.product.created", "retail.product.photographed"), Set.of("p-1", "p 2")));
    assertEquals(sliced, ReplayCodec.fromItem(ReplayCodec.toItem(sliced)), "to the nanosecond, as requested");
  }

  @Test
  void allIsStoredAsNoAttributeAndEachPartOnItsOwn() {
    Replay all = replay(Slice.ALL);
    Map<String, AttributeValue> item = ReplayCodec.toItem(all);
    assertFalse(item.containsKey("to") || item.containsKey("types") || item.containsKey("keys"), item.toString());
    assertEquals(all, ReplayCodec.fromItem(item));
    Replay onlyKeys = replay(new Slice(Optional.empty(), Set.of(), Set.of("p-1")));
    assertEquals(onlyKeys, ReplayCodec.fromItem(ReplayCodec.toItem(onlyKeys)));
  }

  @Test
  void anItemWrittenBeforeSlicesReadsBackAsAColdStartOfEverything() {
    Map<String, AttributeValue> old = new HashMap<>();
    old.put("id", AttributeValue.fromS("0123456789abcdef"));
    old.put("stream", AttributeValue.fromS("retail"));
    old.put("group", AttributeValue.fromS("billing-v2"));
    old.put("from", AttributeValue.fromS("earliest"));
    old.put("topic", AttributeValue.fromS("retail"));
    old.put("start", AttributeValue.fromM(Map.of("0", AttributeValue.fromN("2"))));
    old.put("end", AttributeValue.fromM(Map.of("0", AttributeValue.fromN("10"))));
    old.put("progress", AttributeValue.fromM(Map.of("0", AttributeValue.fromN("4"))));
    old.put("state", AttributeValue.fromS("RUNNING"));
    old.put("version", AttributeValue.fromN("3"));
    old.put("createdBy", AttributeValue.fromS("dev-operator"));
    old.put("createdAt", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())));
    old.put("updatedAt", AttributeValue.fromN(Long.toString(NOW.toEpochMilli())));
    Replay read = ReplayCodec.fromItem(old);
    assertEquals(Slice.ALL, read.target().slice());
    assertEquals(new Replay.Target("retail", "billing-v2", ReplayFrom.earliest()), read.target());
    assertEquals(4L, read.reached(0));
  }
}

package dev.sluice.console.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.groups.GroupInstance;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.quarantine.groups.StreamOutcomes;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A stream's readers: the heartbeating groups and Kafka's groups merged by id, each with its lag when Kafka said. */
class ReadersJsonTest {
  private static final Instant AT = Instant.parse("2025-03-01T10:15:30Z");

  private static GroupView wrapped(String group) {
    TreeMap<String, SortedSet<Integer>> versions = new TreeMap<>();
    versions.put("retail.product.created", new TreeSet<>(Set.of(1, 2)));
    versions.put("other.type", new TreeSet<>(Set.of(9)));
    GroupInstance i = new GroupInstance("i-1", "host-1", new TreeSet<>(Set.of("retail")), versions, AT);
    return GroupView.aggregate(group, List.of(i));
  }

  @Test
  void aWrappedGroupGetsItsKafkaLagAndAGroupThatDoesNotHeartbeatIsListedUnwrapped() {
    List<CatalogKafka.TopicReader> kafka = List.of(
        CatalogKafka.reader("catalog-builder", Map.of(0, 10L, 1, 5L), Map.of(0, 12L, 1, 5L)),
        CatalogKafka.reader("plain-reader", Map.of(2, 3L), Map.of(2, 7L)));
    JsonArray out = ReadersJson.of("retail", List.of(wrapped("catalog-builder")), Set.of("retail.product.created"),
        Optional.of(kafka));
    assertEquals(2, out.size());
    JsonObject builder = out.getJsonObject(0);
    assertEquals("catalog-builder", builder.getString("group"));
    assertTrue(builder.getBoolean("wrapped"));
    assertEquals(2L, builder.getLong("lag"));
    assertEquals(new JsonObject().put("0", 2L).put("1", 0L), builder.getJsonObject("lagByPartition"));
    // Only the stream's own types' versions.
    assertEquals(Set.of("retail.product.created"), builder.getJsonObject("versionsSeen").fieldNames());
    assertEquals("i-1", builder.getJsonArray("instances").getJsonObject(0).getString("instanceId"));

    JsonObject plain = out.getJsonObject(1);
    assertEquals("plain-reader", plain.getString("group"));
    assertFalse(plain.getBoolean("wrapped"));
    assertEquals(4L, plain.getLong("lag"));
    assertFalse(plain.containsKey("instances"));
  }

  @Test
  void withoutKafkasAnswerTheHeartbeatsAreStillListedWithNoLag() {
    JsonArray out = ReadersJson.of("retail", List.of(wrapped("g")), Set.of(), Optional.empty());
    assertEquals(1, out.size());
    assertTrue(out.getJsonObject(0).containsKey("lag"));
    assertNull(out.getJsonObject(0).getValue("lag"));
  }

  @Test
  void aCommittedOffsetAheadOfTheEndIsNoNegativeLag() {
    assertEquals(0L, CatalogKafka.reader("g", Map.of(0, 9L), Map.of(0, 4L)).totalLag());
  }

  @Test
  void aWrappedGroupShowsItsQuarantineRateOnTheStreamAndNullWhenNotReported() {
    GroupInstance a = new GroupInstance("i-1", "host-1", new TreeSet<>(Set.of("retail", "payments")), new TreeMap<>(),
        AT, new TreeMap<>(), ReadContract.NONE, new TreeMap<>(Map.of(
            "retail", new StreamOutcomes(96, 4, 10.0), "payments", new StreamOutcomes(0, 50, 10.0))));
    GroupInstance b = new GroupInstance("i-2", "host-2", new TreeSet<>(Set.of("retail")), new TreeMap<>(), AT,
        new TreeMap<>(), ReadContract.NONE, new TreeMap<>(Map.of("retail", new StreamOutcomes(97, 3, 5.0))));
    List<CatalogKafka.TopicReader> kafka = List.of(CatalogKafka.reader("plain-reader", Map.of(0, 1L), Map.of(0, 1L)));
    JsonArray out = ReadersJson.of("retail", List.of(GroupView.aggregate("catalog-builder", List.of(a, b)),
        wrapped("fresh")), Set.of(), Optional.of(kafka));

    JsonObject rate = out.getJsonObject(0).getJsonObject("quarantine");
    assertEquals("catalog-builder", out.getJsonObject(0).getString("group"));
    assertEquals(1.0, rate.getDouble("perSecond"), 1e-9, "0.4/s and 0.6/s, only the stream's");
    assertEquals(0.035, rate.getDouble("share"), 1e-9);
    assertEquals(10.0, rate.getDouble("windowSeconds"));
    assertEquals(7L, rate.getLong("quarantined"));
    assertEquals(193L, rate.getLong("handled"));

    JsonObject fresh = out.getJsonObject(1);
    assertEquals("fresh", fresh.getString("group"));
    assertTrue(fresh.containsKey("quarantine"));
    assertNull(fresh.getValue("quarantine"), "an instance that reported no outcomes yet");
    JsonObject plain = out.getJsonObject(2);
    assertFalse(plain.getBoolean("wrapped"));
    assertTrue(plain.containsKey("quarantine"));
    assertNull(plain.getValue("quarantine"), "a group that is not wrapped");
  }

  @Test
  void aGroupThatFinishedNothingInItsWindowHasARateOfZeroAndNoShare() {
    GroupInstance idle = new GroupInstance("i-1", "host-1", new TreeSet<>(Set.of("retail")), new TreeMap<>(), AT,
        new TreeMap<>(), ReadContract.NONE, new TreeMap<>(Map.of("retail", new StreamOutcomes(0, 0, 10.0))));
    JsonObject rate = ReadersJson.of("retail", List.of(GroupView.aggregate("g", List.of(idle))), Set.of(),
        Optional.empty()).getJsonObject(0).getJsonObject("quarantine");
    assertEquals(0.0, rate.getDouble("perSecond"));
    assertTrue(rate.containsKey("share"));
    assertNull(rate.getValue("share"));
  }
}

package dev.sluice.console.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.groups.GroupInstance;
import dev.sluice.quarantine.groups.GroupView;
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
}

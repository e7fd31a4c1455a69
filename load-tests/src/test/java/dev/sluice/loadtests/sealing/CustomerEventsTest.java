package dev.sluice.loadtests.sealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CustomerEventsTest {
  private final CustomerEvents events = new CustomerEvents("run1", 1024, 3, "2026-12-06T00:00:00Z");

  @Test
  void eachSubjectsDataIsPaddedToTheWantedSizeAndNamesIt() {
    for (String data : List.of(events.warmData(0), events.data(events.newSubject()))) {
      assertEquals(1024, data.length());
      JsonObject o = new JsonObject(data);
      assertEquals(o.getString("id") + "@example.com", o.getString("email"));
    }
    assertEquals("cust-000002", new JsonObject(events.warmData(2)).getString("id"));
  }

  @Test
  void warmSubjectsComeInTurnAndWrapAround() {
    JsonArray batch = new JsonArray(events.batchWarm(CustomerTypes.SEALED, 4));
    List<String> subjects = IntStream.range(0, 4)
        .mapToObj(i -> batch.getJsonObject(i).getJsonObject("data").getString("id")).toList();
    assertEquals(List.of("cust-000000", "cust-000001", "cust-000002", "cust-000000"), subjects);
    assertEquals("cust-000001", new JsonObject(events.structuredWarm(CustomerTypes.PLAIN)).getJsonObject("data")
        .getString("id"));
  }

  @Test
  void everyEventHasItsOwnIdAndTheTypeAsked() {
    JsonArray batch = new JsonArray(events.batchOf(CustomerTypes.PLAIN, 0, 3));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      JsonObject e = batch.getJsonObject(i);
      assertEquals(CustomerTypes.PLAIN, e.getString("type"));
      assertEquals("cust-00000" + i, e.getJsonObject("data").getString("id"));
      ids.add(e.getString("id"));
    }
    ids.add(new JsonObject(events.structuredFor(CustomerTypes.SEALED, "x")).getString("id"));
    ids.add(events.cloudEvent(CustomerTypes.SEALED, events.warmData(0)).id());
    assertEquals(5, ids.size());
  }

  @Test
  void newSubjectsAreNeverWarmOnesNorRepeated() {
    String a = events.newSubject();
    assertNotEquals(a, events.newSubject());
    assertNotEquals(a, new CustomerEvents("run2", 1024, 3, "t").newSubject());
    assertThrows(IllegalArgumentException.class, () -> new CustomerEvents("r", 1024, 0, "t"));
  }
}

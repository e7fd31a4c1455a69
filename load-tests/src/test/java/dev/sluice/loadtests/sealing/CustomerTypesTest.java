package dev.sluice.loadtests.sealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.MarkedValue;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CustomerTypesTest {
  private final CustomerEvents events = new CustomerEvents("t", 1024, 3, "2026-12-06T00:00:00Z");
  private final SchemaRegistry registry = CustomerTypes.registry(Map.of("s", CustomerTypes.SEALED,
      "p", CustomerTypes.PLAIN));

  @Test
  void theTwoSchemasDifferOnlyInTheMarksTitleAndDescription() {
    JsonObject sealed = new JsonObject(CustomerTypes.schema(CustomerTypes.SEALED));
    JsonObject plain = new JsonObject(CustomerTypes.schema(CustomerTypes.PLAIN));
    assertEquals("/id", sealed.getString("x-data-subject"));
    for (String member : CustomerTypes.MARKED) {
      assertEquals(true, sealed.getJsonObject("properties").getJsonObject(member).getBoolean("x-sensitive"));
    }
    assertFalse(CustomerTypes.schema(CustomerTypes.PLAIN).contains("x-"));
    JsonObject unmarked = sealed.copy();
    unmarked.remove("x-data-subject");
    unmarked.getJsonObject("properties").forEach(p -> ((JsonObject) p.getValue()).remove("x-sensitive"));
    for (JsonObject o : List.of(unmarked, plain)) {
      o.remove("title");
      o.remove("description");
    }
    assertEquals(plain, unmarked);
  }

  @Test
  void theSealedTypeMarksThreeValuesOfTheSubjectItsIdNames() {
    String data = events.warmData(2);
    MarkedLocations.Located located = MarkedLocations.locate(
        registry.state().latest(CustomerTypes.SEALED).orElseThrow().marks(), data).orElseThrow();
    assertEquals(new DataSubject.Valid(CustomerEvents.warmSubject(2)), located.subject());
    assertEquals(Set.of("/name", "/email", "/phone"),
        located.values().stream().map(MarkedValue::pointer).collect(Collectors.toSet()));
    assertFalse(registry.state().latest(CustomerTypes.PLAIN).orElseThrow().marks().any());
  }

  @Test
  void theEventsAreValidForBothTypesAndEachConsumerStreamCarriesItsType() {
    assertInstanceOf(Validation.Valid.class, registry.validate(CustomerTypes.SEALED, events.warmData(0)));
    assertInstanceOf(Validation.Valid.class, registry.validate(CustomerTypes.PLAIN, events.data("cold-x-1")));
    assertEquals(CustomerTypes.SEALED, registry.catalog().stream("s").orElseThrow().types().keySet().iterator().next());
    assertEquals("p", registry.catalog().streamForTopic("p").orElseThrow().name());
    assertEquals(CustomerTypes.PARTITIONS, registry.catalog().stream("p").orElseThrow().partitions());
  }
}

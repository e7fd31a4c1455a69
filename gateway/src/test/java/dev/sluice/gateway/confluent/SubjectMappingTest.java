package dev.sluice.gateway.confluent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubjectMappingTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}";

  /** Stream {@code orders} (topic {@code shop.orders}) carries one type; {@code mixed} carries two. */
  private static final RegistryState STATE = RegistryState.empty()
      .apply(new RegistryRecord.SchemaRegistered("shop.order.placed", 1, SCHEMA))
      .apply(new RegistryRecord.SchemaRegistered("shop.item.added", 1, SCHEMA))
      .apply(new RegistryRecord.SchemaRegistered("shop.item.removed", 1, SCHEMA))
      .apply(new RegistryRecord.SchemaRegistered("lonely.type", 1, SCHEMA))
      .apply(new RegistryRecord.SchemaRegistered("legacy-value", 1, SCHEMA))
      .apply(stream("orders", "shop.orders", "shop.order.placed"))
      .apply(stream("mixed", "shop.mixed", "shop.item.removed", "shop.item.added"));

  private static RegistryRecord stream(String name, String topic, String... types) {
    Map<String, EventTypeBinding> bindings = new java.util.LinkedHashMap<>();
    for (String t : types) {
      bindings.put(t, new EventTypeBinding(t, "/id", ""));
    }
    return new RegistryRecord.StreamPut(new StreamDefinition(name, topic, 1, OrderingPolicy.KEY_ORDERED, bindings));
  }

  @Test
  void aTypesOwnNameIsItsSubject() {
    assertEquals(new Subject.OfType("lonely.type", "lonely.type"), SubjectMapping.resolve(STATE, "lonely.type"));
    // Not registered yet: still that type's subject (a registration creates it).
    assertEquals(new Subject.OfType("new.type", "new.type"), SubjectMapping.resolve(STATE, "new.type"));
  }

  @Test
  void theValueSubjectOfAOneTypeStreamsTopicIsThatType() {
    assertEquals(new Subject.OfType("shop.orders-value", "shop.order.placed"),
        SubjectMapping.resolve(STATE, "shop.orders-value"));
  }

  @Test
  void theValueSubjectOfASeveralTypeStreamsTopicIsTheStreamWithItsTypesSorted() {
    assertEquals(new Subject.OfStream("shop.mixed-value", "mixed", List.of("shop.item.added", "shop.item.removed")),
        SubjectMapping.resolve(STATE, "shop.mixed-value"));
  }

  @Test
  void theStreamNameIsNotItsTopicSubject() {
    // Stream "orders" writes to topic "shop.orders": "orders-value" names no topic and no type.
    assertInstanceOf(Subject.Unmapped.class, SubjectMapping.resolve(STATE, "orders-value"));
  }

  @Test
  void keySubjectsOfStreamTopicsAreUnmappedAndSaySo() {
    Subject.Unmapped key = assertInstanceOf(Subject.Unmapped.class, SubjectMapping.resolve(STATE, "shop.orders-key"));
    assertTrue(key.why().contains("no key schemas"), key.why());
    // "-key" of no topic is just a type name.
    assertEquals(new Subject.OfType("api-key", "api-key"), SubjectMapping.resolve(STATE, "api-key"));
  }

  @Test
  void aValueSubjectOfAnUnknownTopicIsUnmappedUnlessATypeHasThatName() {
    Subject.Unmapped none = assertInstanceOf(Subject.Unmapped.class, SubjectMapping.resolve(STATE, "nowhere-value"));
    assertTrue(none.why().contains("No stream has topic 'nowhere'"), none.why());
    assertEquals(new Subject.OfType("legacy-value", "legacy-value"), SubjectMapping.resolve(STATE, "legacy-value"));
  }

  @Test
  void aStreamsTopicSubjectWinsOverATypeOfTheSameName() {
    RegistryState shadowed = STATE.apply(new RegistryRecord.SchemaRegistered("shop.orders-value", 1, SCHEMA));
    assertEquals(new Subject.OfType("shop.orders-value", "shop.order.placed"),
        SubjectMapping.resolve(shadowed, "shop.orders-value"));
  }

  @Test
  void theSubjectsAreEveryTypeAndTheTopicSubjectsOfOneTypeStreamsSorted() {
    assertEquals(List.of("legacy-value", "lonely.type", "shop.item.added", "shop.item.removed", "shop.order.placed",
        "shop.orders-value"), List.copyOf(SubjectMapping.subjects(STATE)));
    assertEquals(Set.of(), SubjectMapping.subjects(RegistryState.empty()));
  }
}

package dev.sluice.schemas.registry.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.contracts.AffectedReader;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryDecisions.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RegistryDecisionsTest {
  private static final String REGISTRY_TOPIC = "_sluice_registry";
  private static final String V1 = "{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{"
      + "\"id\":{\"type\":\"string\"},\"meta\":{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\"}}},"
      + "\"ref\":{\"$ref\":\"#/definitions/code\"},\"tags\":{\"type\":\"array\"}},"
      + "\"definitions\":{\"code\":{\"type\":\"integer\"}}}";
  /** V1 with {@code id} no longer required: a widening, compatible under BACKWARD. */
  private static final String V2 = V1.replace("\"required\":[\"id\"],", "");

  private static RegistryState with(RegistryRecord... records) {
    RegistryState s = RegistryState.empty();
    for (RegistryRecord r : records) {
      s = s.apply(r);
    }
    return s;
  }

  private static final RegistryState ONE_TYPE = with(new RegistryRecord.SchemaRegistered("t", 1, V1));

  private static <A> A answer(Decision<A> d) {
    @SuppressWarnings("unchecked")
    Decision.Answer<A> a = assertInstanceOf(Decision.Answer.class, d);
    return a.answer();
  }

  private static RegistryRecord appended(Decision<?> d) {
    return assertInstanceOf(Decision.Append.class, d).record();
  }

  // ------------------------------------------------------------------------------------------------ register

  @Test
  void aNewTypeGetsVersionOne() {
    assertEquals(new RegistryRecord.SchemaRegistered("new.type", 1, V1),
        appended(RegistryDecisions.register(RegistryState.empty(), "new.type", V1)));
  }

  @Test
  void theNextVersionFollowsTheLatest() {
    assertEquals(new RegistryRecord.SchemaRegistered("t", 2, V2),
        appended(RegistryDecisions.register(ONE_TYPE, "t", V2)));
  }

  @Test
  void anIncompatibleSchemaIsAnsweredWithEveryBreakingChangeAndWritesNothing() {
    String stricter = V1.replace("\"required\":[\"id\"]", "\"required\":[\"id\",\"meta\"]");
    var r = assertInstanceOf(Registration.Incompatible.class, answer(RegistryDecisions.register(ONE_TYPE, "t",
        stricter)));
    assertEquals(Compatibility.BACKWARD, r.level());
    assertEquals(List.of(1), r.checkedAgainst());
    assertEquals(List.of("/required required-added"),
        r.changes().stream().map(c -> c.pointer() + " " + c.rule()).toList());

    RegistryState none = ONE_TYPE.apply(new RegistryRecord.CompatibilitySet("t", Compatibility.NONE));
    assertEquals(new RegistryRecord.SchemaRegistered("t", 2, stricter),
        appended(RegistryDecisions.register(none, "t", stricter)));
  }

  @Test
  void transitiveLevelsCheckEveryEarlierVersion() {
    // FORWARD_TRANSITIVE: versions 1 and 2 must both read what v3 writes; a null id is read by neither.
    RegistryState two = ONE_TYPE.apply(new RegistryRecord.SchemaRegistered("t", 2, V2))
        .apply(new RegistryRecord.CompatibilitySet("t", Compatibility.FORWARD_TRANSITIVE));
    var r = assertInstanceOf(Registration.Incompatible.class, answer(RegistryDecisions.register(two, "t",
        V2.replace("\"id\":{\"type\":\"string\"}", "\"id\":{\"type\":[\"string\",\"null\"]}"))));
    assertEquals(List.of(1, 2), r.checkedAgainst());
    assertTrue(r.changes().stream().anyMatch(c -> c.rule().equals("type-narrowed")), r.changes().toString());
  }

  @Test
  void protectedReadsRefuseWhatTheLevelAllowsWhenItBreaksADeclaredField() {
    // V1 -> V2 makes `id` optional: BACKWARD allows it.
    DeclaredReader ids = new DeclaredReader("billing", "payments", "#payments", new TreeSet<>(List.of("/data/id")));
    DeclaredReader regions = new DeclaredReader("geo", "", "", new TreeSet<>(List.of("/data/meta/region")));
    var broken = assertInstanceOf(Registration.DeclaredReadsBroken.class,
        answer(RegistryDecisions.register(ONE_TYPE, "t", V2, List.of(regions, ids))));
    assertEquals(1, broken.latestVersion());
    assertEquals(List.of("billing"),
        broken.impact().protectedFieldsBroken().stream().map(AffectedReader::group).toList());
    assertEquals("declared-field-optional",
        broken.impact().protectedFieldsBroken().get(0).reads().get(0).changes().get(0).rule());
    // Groups whose fields it does not break, or no protection: appended.
    assertEquals(new RegistryRecord.SchemaRegistered("t", 2, V2),
        appended(RegistryDecisions.register(ONE_TYPE, "t", V2, List.of(regions))));
    assertEquals(new RegistryRecord.SchemaRegistered("t", 2, V2),
        appended(RegistryDecisions.register(ONE_TYPE, "t", V2, List.of())));
    // A first version has nothing to protect; the same schema again is the existing version; the level speaks first.
    assertInstanceOf(Decision.Append.class, RegistryDecisions.register(RegistryState.empty(), "t", V2, List.of(ids)));
    assertInstanceOf(Registration.Existing.class, answer(RegistryDecisions.register(ONE_TYPE, "t", V1, List.of(ids))));
    String stricter = V1.replace("\"required\":[\"id\"]", "\"required\":[\"id\",\"meta\"]");
    assertInstanceOf(Registration.Incompatible.class,
        answer(RegistryDecisions.register(ONE_TYPE, "t", stricter, List.of(ids))));
  }

  @Test
  void theSameSchemaInAnotherLayoutIsTheExistingVersion() {
    String sameReordered = "{ \"properties\": {\"tags\":{\"type\":\"array\"}, \"ref\":{\"$ref\":\"#/definitions/code\"},"
        + "\"meta\":{\"properties\":{\"region\":{\"type\":\"string\"}},\"type\":\"object\"},\"id\":{\"type\":\"string\"}},"
        + "\"required\":[\"id\"], \"type\":\"object\", \"definitions\":{\"code\":{\"type\":\"integer\"}} }";
    Registration r = answer(RegistryDecisions.register(ONE_TYPE, "t", sameReordered));
    assertEquals(1, assertInstanceOf(Registration.Existing.class, r).version().version());
  }

  @Test
  void documentsThatCannotBeRegisteredAreRefusedWithTheirProblems() {
    var notJson = assertInstanceOf(Registration.Refused.class,
        answer(RegistryDecisions.register(ONE_TYPE, "t", "{\"type\":")));
    assertEquals("json", notJson.problems().get(0).rule());
    var remote = assertInstanceOf(Registration.Refused.class, answer(RegistryDecisions.register(ONE_TYPE, "t",
        "{\"properties\":{\"a\":{\"$ref\":\"https://example.com/a.json\"}}}")));
    assertFalse(remote.problems().isEmpty());
  }

  @Test
  void badTypeNamesAreRefused() {
    for (String name : List.of("", "a b", "a/b", "tab\there", "x".repeat(256))) {
      var r = assertInstanceOf(Registration.Refused.class, answer(RegistryDecisions.register(ONE_TYPE, name, V1)),
          name);
      assertEquals("type-name", r.problems().get(0).rule());
    }
    assertTrue(RegistryDecisions.typeNameProblem("retail.product.created").isEmpty());
    assertTrue(RegistryDecisions.typeNameProblem("x".repeat(255)).isEmpty());
  }

  @Test
  void checkedVersionsFollowTheLevel() {
    RegistryState three = with(new RegistryRecord.SchemaRegistered("t", 1, V1),
        new RegistryRecord.SchemaRegistered("t", 2, V2),
        new RegistryRecord.SchemaRegistered("t", 3, "{\"type\":\"object\"}"));
    assertEquals(List.of(3), RegistryDecisions.checkedAgainst(Compatibility.BACKWARD, three.versions("t")));
    assertEquals(List.of(1, 2, 3),
        RegistryDecisions.checkedAgainst(Compatibility.FULL_TRANSITIVE, three.versions("t")));
    assertEquals(List.of(), RegistryDecisions.checkedAgainst(Compatibility.NONE, three.versions("t")));
  }

  // ------------------------------------------------------------------------------------------- compatibility

  @Test
  void compatibilityOfAnUnknownTypeIsRefused() {
    assertEquals(new CompatibilityChange.UnknownType("nope"),
        answer(RegistryDecisions.setCompatibility(ONE_TYPE, "nope", Compatibility.FULL)));
  }

  @Test
  void compatibilityIsWrittenUnlessAlreadyExplicitlySet() {
    assertEquals(new RegistryRecord.CompatibilitySet("t", Compatibility.BACKWARD),
        appended(RegistryDecisions.setCompatibility(ONE_TYPE, "t", Compatibility.BACKWARD)));
    RegistryState full = ONE_TYPE.apply(new RegistryRecord.CompatibilitySet("t", Compatibility.FULL));
    assertEquals(new CompatibilityChange.Set("t", Compatibility.FULL, false),
        answer(RegistryDecisions.setCompatibility(full, "t", Compatibility.FULL)));
    assertEquals(new RegistryRecord.CompatibilitySet("t", Compatibility.NONE),
        appended(RegistryDecisions.setCompatibility(full, "t", Compatibility.NONE)));
  }

  // -------------------------------------------------------------------------------------------------- streams

  private static StreamDefinition stream(String name, String topic, int partitions, EventTypeBinding... types) {
    Map<String, EventTypeBinding> map = new LinkedHashMap<>();
    for (EventTypeBinding b : types) {
      map.put(b.type(), b);
    }
    return new StreamDefinition(name, topic, partitions, OrderingPolicy.KEY_ORDERED, map);
  }

  private static List<String> rules(List<StreamProblem> problems) {
    return problems.stream().map(p -> p.pointer() + " " + p.rule()).toList();
  }

  @Test
  void aValidNewStreamIsWritten() {
    StreamDefinition s = stream("orders", "orders", 3, new EventTypeBinding("t", "/id", ""));
    assertEquals(new RegistryRecord.StreamPut(s), appended(RegistryDecisions.putStream(ONE_TYPE, s, REGISTRY_TOPIC)));
  }

  @Test
  void theSameDefinitionAgainWritesNothing() {
    StreamDefinition s = stream("orders", "orders", 3, new EventTypeBinding("t", "/id", ""));
    RegistryState state = ONE_TYPE.apply(new RegistryRecord.StreamPut(s));
    assertEquals(new StreamChange.Saved(s, false, false),
        answer(RegistryDecisions.putStream(state, s, REGISTRY_TOPIC)));
  }

  @Test
  void everyAcceptedTypeNeedsARegisteredSchema() {
    StreamDefinition s = stream("orders", "orders", 1,
        new EventTypeBinding("t", "/id", ""), new EventTypeBinding("a.unknown", "/id", ""));
    var r = assertInstanceOf(StreamChange.Refused.class,
        answer(RegistryDecisions.putStream(ONE_TYPE, s, REGISTRY_TOPIC)));
    // Pointers follow the canonical form: types sorted by name, so a.unknown is /types/0.
    assertEquals(List.of("/types/0/type unregistered-type"), rules(r.problems()));
  }

  @Test
  void partitionKeysMustBeDeclaredScalarsWhereTheSchemaTells() {
    for (String ok : List.of("/id", "/meta/region", "/ref")) {
      StreamDefinition s = stream("orders", "orders", 1, new EventTypeBinding("t", ok, ""));
      assertInstanceOf(Decision.Append.class, RegistryDecisions.putStream(ONE_TYPE, s, REGISTRY_TOPIC), ok);
    }
    for (String bad : List.of("/missing", "/meta", "/tags", "/meta/nope", "/id~2")) {
      StreamDefinition s = stream("orders", "orders", 1, new EventTypeBinding("t", bad, ""));
      var r = assertInstanceOf(StreamChange.Refused.class,
          answer(RegistryDecisions.putStream(ONE_TYPE, s, REGISTRY_TOPIC)), bad);
      assertEquals(List.of("/types/0/partitionKey partition-key"), rules(r.problems()), bad);
    }
    // Where the schema cannot tell, the pointer is accepted.
    RegistryState open = with(new RegistryRecord.SchemaRegistered("o", 1,
        "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}"));
    assertInstanceOf(Decision.Append.class, RegistryDecisions.putStream(open,
        stream("s", "s", 1, new EventTypeBinding("o", "/anything", "")), REGISTRY_TOPIC));
  }

  @Test
  void namesTopicsAndTypeListsAreChecked() {
    var r = assertInstanceOf(StreamChange.Refused.class, answer(RegistryDecisions.putStream(ONE_TYPE,
        stream("bad name", "bad topic!", 1), REGISTRY_TOPIC)));
    assertEquals(List.of("/name stream-name", "/topic topic-name", "/types types-empty"), rules(r.problems()));
    for (String reserved : List.of(REGISTRY_TOPIC, "__consumer_offsets")) {
      var rr = assertInstanceOf(StreamChange.Refused.class, answer(RegistryDecisions.putStream(ONE_TYPE,
          stream("s", reserved, 1, new EventTypeBinding("t", "/id", "")), REGISTRY_TOPIC)));
      assertEquals(List.of("/topic topic-reserved"), rules(rr.problems()));
    }
  }

  @Test
  void anExistingStreamKeepsItsTopicAndNeverLosesPartitions() {
    StreamDefinition s = stream("orders", "orders", 3, new EventTypeBinding("t", "/id", ""));
    RegistryState state = ONE_TYPE.apply(new RegistryRecord.StreamPut(s));
    var c = assertInstanceOf(StreamChange.Conflict.class, answer(RegistryDecisions.putStream(state,
        stream("orders", "orders-v2", 2, new EventTypeBinding("t", "/id", "")), REGISTRY_TOPIC)));
    assertEquals(List.of("/topic topic-immutable", "/partitions partitions-shrink"), rules(c.problems()));
    StreamDefinition grown = stream("orders", "orders", 6, new EventTypeBinding("t", "/id", ""));
    assertEquals(new RegistryRecord.StreamPut(grown),
        appended(RegistryDecisions.putStream(state, grown, REGISTRY_TOPIC)));
  }

  @Test
  void aTopicBelongsToOneStream() {
    StreamDefinition s = stream("orders", "orders", 3, new EventTypeBinding("t", "/id", ""));
    RegistryState state = ONE_TYPE.apply(new RegistryRecord.StreamPut(s));
    var c = assertInstanceOf(StreamChange.Conflict.class, answer(RegistryDecisions.putStream(state,
        stream("orders2", "orders", 3, new EventTypeBinding("t", "/id", "")), REGISTRY_TOPIC)));
    assertEquals(List.of("/topic topic-taken"), rules(c.problems()));
  }

  // ---------------------------------------------------------------------------------------------- bootstrap

  @Test
  void bootstrapAddsOnlyWhatIsMissing() {
    StreamCatalog catalog = StreamCatalog.loadDefault();
    List<RegistryRecord> all = SchemaRegistry.bootstrapRecords(catalog);
    assertEquals(all, RegistryLog.missingBootstrap(RegistryState.empty(), catalog));

    RegistryState full = RegistryState.empty();
    for (RegistryRecord r : all) {
      full = full.apply(r);
    }
    assertEquals(List.of(), RegistryLog.missingBootstrap(full, catalog));

    // A type already at v2 (registered over the API) and a stream redefined are left alone.
    RegistryState evolved = full.apply(new RegistryRecord.SchemaRegistered("retail.product.created", 2,
        "{\"type\":\"object\"}"));
    assertEquals(List.of(), RegistryLog.missingBootstrap(evolved, catalog));
  }

  // ---------------------------------------------------------------------------------- sensitive marks and keys

  private static final String MARKED = "{\"x-data-subject\":\"/id\",\"type\":\"object\",\"required\":[\"id\"],"
      + "\"properties\":{\"id\":{\"type\":\"string\"},\"email\":{\"type\":\"string\",\"x-sensitive\":true},"
      + "\"card\":{\"type\":\"object\",\"x-sensitive\":true,\"properties\":{\"no\":{\"type\":\"string\"}}}}}";
  /** {@link #MARKED} with the email no longer marked. */
  private static final String EMAIL_UNMARKED =
      MARKED.replace("\"type\":\"string\",\"x-sensitive\":true", "\"type\":\"string\"");

  private static StreamDefinition keyedBy(String pointer) {
    return stream("s", "s", 1, new EventTypeBinding("m", pointer, ""));
  }

  @Test
  void aStreamMayNotBeKeyedByAMarkedValueNorAnythingInsideOne() {
    RegistryState state = with(new RegistryRecord.SchemaRegistered("m", 1, MARKED));
    assertInstanceOf(Decision.Append.class, RegistryDecisions.putStream(state, keyedBy("/id"), REGISTRY_TOPIC));
    for (String bad : List.of("/email", "/card/no")) {
      var r = assertInstanceOf(StreamChange.Refused.class,
          answer(RegistryDecisions.putStream(state, keyedBy(bad), REGISTRY_TOPIC)), bad);
      assertEquals(List.of("/types/0/partitionKey partition-key-marked"), rules(r.problems()), bad);
      assertTrue(r.problems().get(0).message().contains("version 1"), r.problems().get(0).message());
    }
  }

  @Test
  void anyVersionThatMarksTheKeyCountsSinceAnEventMayPinIt() {
    RegistryState state = with(new RegistryRecord.SchemaRegistered("m", 1, MARKED),
        new RegistryRecord.SchemaRegistered("m", 2, EMAIL_UNMARKED));
    var r = assertInstanceOf(StreamChange.Refused.class,
        answer(RegistryDecisions.putStream(state, keyedBy("/email"), REGISTRY_TOPIC)));
    assertEquals(List.of("/types/0/partitionKey partition-key-marked"), rules(r.problems()));
    assertTrue(r.problems().get(0).message().contains("version 1"), r.problems().get(0).message());
  }

  @Test
  void aVersionThatMarksTheKeyOfAStreamIsRefused() {
    RegistryState state = with(new RegistryRecord.SchemaRegistered("m", 1, EMAIL_UNMARKED),
        new RegistryRecord.StreamPut(keyedBy("/email")));
    Registration.Refused refused = assertInstanceOf(Registration.Refused.class,
        answer(RegistryDecisions.register(state, "m", MARKED)));
    assertEquals(List.of("/properties/email/x-sensitive partition-key-marked"),
        refused.problems().stream().map(p -> p.pointer() + " " + p.rule()).toList());
    assertTrue(refused.problems().get(0).message().contains("stream 's'"), refused.problems().get(0).message());
    // Keyed by the subject instead, the same version is registered.
    RegistryState bySubject = with(new RegistryRecord.SchemaRegistered("m", 1, EMAIL_UNMARKED),
        new RegistryRecord.StreamPut(keyedBy("/id")));
    assertInstanceOf(Decision.Append.class, RegistryDecisions.register(bySubject, "m", MARKED));
  }

  @Test
  void registrationRefusesMarksThatBreakTheRulesAndUnmarkingThatBreaksCompatibility() {
    Registration.Refused refused = assertInstanceOf(Registration.Refused.class, answer(RegistryDecisions.register(
        RegistryState.empty(), "m", MARKED.replace("\"x-data-subject\":\"/id\",", ""))));
    assertEquals("data-subject-missing", refused.problems().get(0).rule());
    RegistryState marked = with(new RegistryRecord.SchemaRegistered("m", 1, MARKED));
    Registration.Incompatible incompatible = assertInstanceOf(Registration.Incompatible.class,
        answer(RegistryDecisions.register(marked, "m", EMAIL_UNMARKED)));
    assertEquals(List.of("sensitive-unmarked"), incompatible.changes().stream().map(c -> c.rule()).toList());
  }
}

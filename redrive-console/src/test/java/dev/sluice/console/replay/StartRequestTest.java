package dev.sluice.console.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.guard.HaltRule;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayFrom;
import dev.sluice.quarantine.replay.Slice;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The body of a replay start: its members, each refused at its own pointer (a slice's values at theirs). */
class StartRequestTest {
  private static String pointer(String body) {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> StartRequest.parse(body));
    return assertInstanceOf(ConsoleError.BadField.class, f.error()).pointer();
  }

  @Test
  void readsAStreamAGroupAndEarliestOrAnInstant() {
    assertEquals(new StartRequest("retail", "billing-v2", ReplayFrom.earliest()),
        StartRequest.parse("{\"stream\":\"retail\",\"group\":\"billing-v2\",\"from\":\"earliest\"}"));
    assertEquals(ReplayFrom.at(Instant.parse("2025-02-28T23:00:00Z")), StartRequest.parse(
        "{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"2025-03-01T00:00:00+01:00\"}").from());
  }

  @Test
  void eachBadMemberIsRefusedAtItsPointer() {
    assertEquals("/stream", pointer("{\"group\":\"g\",\"from\":\"earliest\"}"));
    assertEquals("/group", pointer("{\"stream\":\"retail\",\"group\":\"  \",\"from\":\"earliest\"}"));
    assertEquals("/group", pointer("{\"stream\":\"retail\",\"group\":\"a/b\",\"from\":\"earliest\"}"));
    assertEquals("/from", pointer("{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"last week\"}"));
    assertEquals("/from", pointer("{\"stream\":\"retail\",\"group\":\"g\",\"from\":7}"));
    assertEquals("/to", pointer("{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\",\"to\":\"x\"}"));
  }

  @Test
  void steeringIsOptionalWithDefaultsAndBounded() {
    assertEquals(Replay.Steering.DEFAULT,
        StartRequest.parse("{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\"}").steering());
    Replay.Steering s = StartRequest.parse("{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\","
        + "\"haltShare\":0.25,\"haltMinEvents\":20,\"maxEventsPerSecond\":500}").steering();
    assertEquals(new Replay.Steering(new HaltRule(0.25, 20), OptionalInt.of(500)), s);
    String base = "{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\",";
    assertEquals("/haltShare", pointer(base + "\"haltShare\":0}"));
    assertEquals("/haltShare", pointer(base + "\"haltShare\":1.5}"));
    assertEquals("/haltShare", pointer(base + "\"haltShare\":\"half\"}"));
    assertEquals("/haltMinEvents", pointer(base + "\"haltMinEvents\":0}"));
    assertEquals("/haltMinEvents", pointer(base + "\"haltMinEvents\":2.5}"));
    assertEquals("/maxEventsPerSecond", pointer(base + "\"maxEventsPerSecond\":0}"));
    assertEquals("/maxEventsPerSecond", pointer(base + "\"maxEventsPerSecond\":1000001}"));
  }

  @Test
  void aBodyThatIsNotAnObjectIsMalformed() {
    for (String body : new String[] {"", "[]", "{"}) {
      ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> StartRequest.parse(body));
      assertInstanceOf(ConsoleError.BadBody.class, f.error(), body);
    }
  }

  private static String sliced(String members) {
    return "{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"2025-03-01T00:00:00Z\"," + members + "}";
  }

  @Test
  void withoutSliceMembersAStartReplaysAllOfHistory() {
    assertEquals(Slice.ALL, StartRequest.parse("{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\"}")
        .slice());
  }

  @Test
  void readsASliceOfToTypesAndKeysStrippedAndWithoutDuplicates() {
    StartRequest r = StartRequest.parse(sliced("\"to\":\"2025-03-01T02:00:00+01:00\","
        + "\"types\":[\"retail.product.created\",\" retail.product.created \"],\"keys\":[\"p-1\",\"p 2\"]"));
    assertEquals(new Slice(Optional.of(Instant.parse("2025-03-01T01:00:00Z")), Set.of("retail.product.created"),
        Set.of("p-1", "p 2")), r.slice());
    assertEquals(Optional.of(Instant.parse("2030-01-01T00:00:00Z")), StartRequest.parse(
        "{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\",\"to\":\"2030-01-01T00:00:00Z\"}")
        .slice().to(), "to with from earliest is fine");
    assertEquals(Set.of("p-1"), StartRequest.parse(sliced("\"keys\":[\"p-1\"]")).slice().keys());
  }

  @Test
  void aToNotAfterFromIsRefusedAtTo() {
    assertEquals("/to", pointer(sliced("\"to\":\"2025-03-01T00:00:00Z\"")), "equal to from");
    assertEquals("/to", pointer(sliced("\"to\":\"2025-02-28T23:59:59Z\"")), "before from");
    assertEquals("/to", pointer(sliced("\"to\":\"earliest\"")));
    assertEquals("/to", pointer(sliced("\"to\":\"\"")));
    assertEquals("/to", pointer(sliced("\"to\":null")));
  }

  @Test
  void badTypesAndKeysAreRefusedAtTheirOwnPointer() {
    assertEquals("/types", pointer(sliced("\"types\":[]")), "empty");
    assertEquals("/types", pointer(sliced("\"types\":\"retail.product.created\"")), "not an array");
    assertEquals("/keys", pointer(sliced("\"keys\":" + new JsonArray(Collections.nCopies(101, "k")).encode())),
        "more than 100");
    assertEquals("/types/3", pointer(sliced("\"types\":[\"a\",\"b\",\"c\",\"  \"]")), "blank");
    assertEquals("/keys/1", pointer(sliced("\"keys\":[\"a\",7]")), "not a string");
    assertEquals("/keys/0", pointer(sliced("\"keys\":[\"" + "k".repeat(257) + "\"]")), "too long");
    assertEquals(100, StartRequest.parse(sliced("\"keys\":" + new JsonArray(
        java.util.stream.IntStream.range(0, 100).mapToObj(i -> (Object) ("k" + i)).toList()).encode())).slice()
        .keys().size(), "100 keys of 256 characters at most are fine");
  }

  @Test
  void aRewindTakesFromOrOffsetsEachOffsetRefusedAtItsPartitionsPointer() {
    assertEquals(new StartRequest("retail", "billing", ReplayFrom.earliest(), true, Map.of()),
        StartRequest.parse("{\"stream\":\"retail\",\"group\":\"billing\",\"from\":\"earliest\",\"rewind\":true}"));
    assertEquals(new StartRequest("retail", "billing", ReplayFrom.earliest(), true, Map.of(0, 12L, 1, 40L)),
        StartRequest.parse("{\"stream\":\"retail\",\"group\":\"billing\",\"rewind\":true,"
            + "\"offsets\":{\"0\":12,\"1\":40}}"));
    String rewind = "{\"stream\":\"retail\",\"group\":\"g\",\"rewind\":true,";
    assertEquals("/offsets/1", pointer(rewind + "\"offsets\":{\"0\":1,\"1\":-1}}"));
    assertEquals("/offsets/1", pointer(rewind + "\"offsets\":{\"1\":\"x\"}}"));
    assertEquals("/offsets/1.5", pointer(rewind + "\"offsets\":{\"1.5\":2}}"));
    assertEquals("/offsets/a~1b", pointer(rewind + "\"offsets\":{\"a/b\":2}}"), "escaped as a JSON pointer");
    assertEquals("/offsets", pointer(rewind + "\"offsets\":{}}"));
    assertEquals("/offsets", pointer(rewind + "\"offsets\":{\"0\":1},\"from\":\"earliest\"}"), "not both");
    assertEquals("/offsets", pointer("{\"stream\":\"retail\",\"group\":\"g\",\"offsets\":{\"0\":1}}"),
        "offsets are for a rewind");
    assertEquals("/rewind", pointer("{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"earliest\",\"rewind\":1}"));
    assertEquals("/from", pointer(rewind + "\"from\":\"soon\"}"));
  }

  @Test
  void aRewindTakesASliceFromATimeOrFromOffsetsCheckedAsAColdStartsIs() {
    String rewind = "{\"stream\":\"retail\",\"group\":\"g\",\"from\":\"2025-03-01T00:00:00Z\",\"rewind\":true,";
    StartRequest byTime = StartRequest.parse(rewind + "\"to\":\"2025-03-02T00:00:00Z\","
        + "\"types\":[\"retail.product.created\"],\"keys\":[\"p-1\"]}");
    assertEquals(new Slice(Optional.of(Instant.parse("2025-03-02T00:00:00Z")), Set.of("retail.product.created"),
        Set.of("p-1")), byTime.slice());
    assertEquals(true, byTime.rewind());
    StartRequest byOffsets = StartRequest.parse("{\"stream\":\"retail\",\"group\":\"g\",\"rewind\":true,"
        + "\"offsets\":{\"0\":1},\"keys\":[\"p-1\"],\"to\":\"2025-03-02T00:00:00Z\"}");
    assertEquals(Map.of(0, 1L), byOffsets.offsets());
    assertEquals(new Slice(Optional.of(Instant.parse("2025-03-02T00:00:00Z")), Set.of(), Set.of("p-1")),
        byOffsets.slice());
    assertEquals("/to", pointer(rewind + "\"to\":\"2025-02-01T00:00:00Z\"}"), "to after from, as for a cold start");
    assertEquals("/keys/0", pointer(rewind + "\"keys\":[\"\"]}"));
    assertEquals("/types", pointer(rewind + "\"types\":[]}"));
    assertEquals(OptionalInt.of(5), StartRequest.parse(rewind + "\"maxEventsPerSecond\":5}").steering()
        .maxEventsPerSecond(), "a rewind is steered like any replay");
  }
}

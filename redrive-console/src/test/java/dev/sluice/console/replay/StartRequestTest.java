package dev.sluice.console.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.guard.HaltRule;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayFrom;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The body of a replay start: its three members, each refused at its own pointer, and nothing else. */
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
}

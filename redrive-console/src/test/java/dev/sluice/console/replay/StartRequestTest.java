package dev.sluice.console.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.replay.ReplayFrom;
import java.time.Instant;
import java.util.Map;
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
  void aBodyThatIsNotAnObjectIsMalformed() {
    for (String body : new String[] {"", "[]", "{"}) {
      ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> StartRequest.parse(body));
      assertInstanceOf(ConsoleError.BadBody.class, f.error(), body);
    }
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
}

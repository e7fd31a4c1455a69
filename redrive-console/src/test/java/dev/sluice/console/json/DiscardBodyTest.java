package dev.sluice.console.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleError.BadField;
import dev.sluice.console.problem.ConsoleFailure;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscardBodyTest {
  @Test
  void readsTheReason() {
    assertEquals("duplicate of order 17", DiscardBody.reason(Buffer.buffer("{\"reason\": \"  duplicate of order 17 \"}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{}", "{\"reason\": null}", "{\"reason\": \"   \"}"})
  void aMissingReasonPointsAtReason(String body) {
    ConsoleFailure f = assertThrows(ConsoleFailure.class, () -> DiscardBody.reason(Buffer.buffer(body)));
    assertEquals("/reason", ((BadField) f.error()).pointer());
  }

  @Test
  void wrongShapesAreRefused() {
    assertEquals("/reason", ((BadField) assertThrows(ConsoleFailure.class,
        () -> DiscardBody.reason(Buffer.buffer("{\"reason\": 5}"))).error()).pointer());
    assertEquals("/why", ((BadField) assertThrows(ConsoleFailure.class,
        () -> DiscardBody.reason(Buffer.buffer("{\"reason\": \"x\", \"why\": 1}"))).error()).pointer());
    assertEquals(BadBody.class, assertThrows(ConsoleFailure.class,
        () -> DiscardBody.reason(Buffer.buffer("[1]"))).error().getClass());
    assertEquals(BadBody.class, assertThrows(ConsoleFailure.class,
        () -> DiscardBody.reason(Buffer.buffer("{nope"))).error().getClass());
    assertEquals("/reason", ((BadField) assertThrows(ConsoleFailure.class, () -> DiscardBody.reason(Buffer.buffer(
        "{\"reason\": \"" + "x".repeat(DiscardBody.MAX_REASON_LENGTH + 1) + "\"}"))).error()).pointer());
  }
}

package dev.sluice.ingest.admit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** W3C Trace Context Level 1, section 3.2 (traceparent) and 3.3 (tracestate), as far as a forwarder needs it. */
class TraceContextTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void theRecommendationsExampleIsValid() {
    assertTrue(TraceContext.isValidTraceparent(VALID));
    assertTrue(TraceContext.isValidTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));
    assertTrue(TraceContext.isValidTraceparent(" " + VALID + " "), "optional whitespace around a header value");
  }

  @Test
  void malformedValuesAreInvalid() {
    List<String> invalid = List.of(
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", // no flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", // upper-case hex
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is forbidden
        "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // not hex
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", // dashes in the wrong places
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has exactly four fields
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bg-01");
    for (String v : invalid) {
      assertFalse(TraceContext.isValidTraceparent(v), v);
    }
    assertFalse(TraceContext.isValidTraceparent(null));
  }

  @Test
  void aHigherVersionMayCarryMoreFieldsAfterADash() {
    assertTrue(TraceContext.isValidTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    assertTrue(TraceContext.isValidTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what"));
    assertFalse(TraceContext.isValidTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01what"));
  }

  @Test
  void headerNamesAreCaseInsensitiveAndTracestateTravelsAlong() {
    Optional<TraceContext> t = TraceContext.fromHeaders(
        List.of(Map.entry("TraceParent", VALID), Map.entry("TraceState", "rojo=00f067aa0ba902b7")));
    assertEquals(Optional.of(new TraceContext(VALID, "rojo=00f067aa0ba902b7")), t);
    assertEquals(List.of("traceparent", "tracestate"),
        t.orElseThrow().kafkaHeaders().stream().map(h -> h.key()).toList());
  }

  @Test
  void severalTracestateHeadersAreOneList() {
    assertEquals("rojo=1,congo=2", TraceContext.fromHeaders(List.of(Map.entry("traceparent", VALID),
        Map.entry("tracestate", "rojo=1"), Map.entry("tracestate", "congo=2"))).orElseThrow().tracestate());
  }

  @Test
  void withoutAValidTraceparentNothingIsForwarded() {
    assertEquals(Optional.empty(), TraceContext.fromHeaders(List.of(Map.entry("tracestate", "rojo=1"))));
    assertEquals(Optional.empty(), TraceContext.fromHeaders(
        List.of(Map.entry("traceparent", "garbage"), Map.entry("tracestate", "rojo=1"))));
    // Two traceparent headers: ambiguous, so neither.
    assertEquals(Optional.empty(), TraceContext.fromHeaders(
        List.of(Map.entry("traceparent", VALID), Map.entry("traceparent", VALID))));
  }

  @Test
  void anOversizedOrNonAsciiTracestateIsDroppedButTheTraceparentKept() {
    String big = "a=" + "x".repeat(TraceContext.MAX_TRACESTATE_LENGTH);
    TraceContext t = TraceContext.fromHeaders(List.of(Map.entry("traceparent", VALID), Map.entry("tracestate", big)))
        .orElseThrow();
    assertEquals(new TraceContext(VALID, null), t);
    assertEquals(List.of("traceparent"), t.kafkaHeaders().stream().map(h -> h.key()).toList());
    assertEquals(new TraceContext(VALID, null), TraceContext.fromHeaders(
        List.of(Map.entry("traceparent", VALID), Map.entry("tracestate", "a=é"))).orElseThrow());
  }
}

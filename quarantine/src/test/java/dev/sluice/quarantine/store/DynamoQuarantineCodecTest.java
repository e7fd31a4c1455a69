package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The attempt log's stored form: with and without stack traces, and as items written before traces were kept. */
class DynamoQuarantineCodecTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");

  private static QuarantineItem item(List<HandlerAttempt> log) {
    return new QuarantineItem("id-1", QuarantineStatus.QUARANTINED, "retail", "catalog-builder", "retail", 0, 7L,
        Optional.of("k"), "{}".getBytes(StandardCharsets.UTF_8), List.of(), Optional.of("e-1"), Optional.of("t"),
        QuarantineReason.HANDLER_REJECTED, "java.lang.IllegalStateException", "boom", List.of(), log.size(), T, T,
        Optional.empty(), 0, List.of(new AuditEntry(T, "QUARANTINED", "consumer:g", "x")), log, Optional.empty(),
        Optional.empty(), 0);
  }

  @Test
  void attemptsRoundTripWithAndWithoutATrace() {
    HandlerAttempt failed = HandlerAttempt.failed(T, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("boom",
        new IllegalArgumentException("inner")));
    HandlerAttempt noTrace = new HandlerAttempt(T.plusSeconds(1), HandlerAttempt.Tier.DELAYED, "E", "no trace");
    HandlerAttempt ok = HandlerAttempt.succeeded(T.plusSeconds(2), HandlerAttempt.Tier.REDRIVE);
    Map<String, AttributeValue> stored = DynamoQuarantineCodec.toAttributes(item(List.of(failed, noTrace, ok)));

    List<AttributeValue> entries = stored.get(DynamoQuarantineCodec.ATTEMPT_LOG).l();
    assertTrue(entries.get(0).m().get("stackTrace").s().contains("Caused by: java.lang.IllegalArgumentException"));
    assertFalse(entries.get(1).m().containsKey("stackTrace"), "no attribute, not an empty one");
    assertFalse(entries.get(2).m().containsKey("stackTrace"));

    List<HandlerAttempt> back = DynamoQuarantineCodec.fromAttributes(stored).attemptLog();
    assertEquals(List.of(failed, noTrace, ok), back);
    assertEquals(failed.stackTrace(), back.get(0).stackTrace());
  }

  @Test
  void anItemWrittenBeforeTracesWereKeptStillDecodes() {
    Map<String, AttributeValue> stored = new HashMap<>(DynamoQuarantineCodec.toAttributes(item(List.of())));
    // An attempt-log entry as it was stored before: four attributes, no stackTrace.
    stored.put(DynamoQuarantineCodec.ATTEMPT_LOG, AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
        "at", AttributeValue.fromN(Long.toString(T.toEpochMilli())), "tier", AttributeValue.fromS("IN_PLACE"),
        "errorClass", AttributeValue.fromS("java.lang.IllegalStateException"),
        "message", AttributeValue.fromS("old"))))));
    List<HandlerAttempt> back = DynamoQuarantineCodec.fromAttributes(stored).attemptLog();
    assertEquals(List.of(new HandlerAttempt(T, HandlerAttempt.Tier.IN_PLACE, "java.lang.IllegalStateException",
        "old")), back);
    assertEquals(Optional.empty(), back.get(0).stackTrace());
  }
}

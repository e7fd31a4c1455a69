package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.storekit.dynamo.AttributeJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
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
  void theJsonTheLogAppendsReadsAsTheAttributesTheStoreWrites() {
    HandlerAttempt failed = HandlerAttempt.failed(T, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("boom"));
    QuarantineItem item = new QuarantineItem("id-2", QuarantineStatus.RETRYING, "retail", "g", "retail", 2, 9L,
        Optional.of("k\u00e9"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
        List.of(KafkaHeader.of("ce_id", "e-2"), new KafkaHeader("empty", null)), Optional.of("e-2"),
        Optional.of("t"), QuarantineReason.SCHEMA_VIOLATION, "SchemaViolation", "bad \"price\"",
        List.of(new Violation("/price", "type", "expected number")), 1, T, T.plusSeconds(1), Optional.of("{\"a\":2}"),
        3, List.of(new AuditEntry(T, "QUARANTINED", "consumer:g", "x"), new AuditEntry(T, "EDITED", "op", "y")),
        List.of(failed), Optional.of(T.plusSeconds(60)), Optional.of("head-1"), 4);
    QuarantineItem inKafka = item(List.of(failed)).withPayloadInKafka(new AuditEntry(T, "PAYLOAD_IN_KAFKA", "c", "z"));
    for (QuarantineItem i : List.of(item, inKafka)) {
      Map<String, AttributeValue> attributes = DynamoQuarantineCodec.toAttributes(i);
      assertEquals(attributes, AttributeJson.decode(DynamoQuarantineCodec.toJson(i)));
    }
    Map<String, AttributeValue> stored = DynamoQuarantineCodec.toAttributes(item);
    assertEquals(Map.of("k", AttributeValue.fromS("ce_id"), "v", AttributeValue.fromB(SdkBytes.fromUtf8String("e-2"))),
        stored.get(DynamoQuarantineCodec.HEADERS).l().get(0).m());
    assertEquals(Map.of("pointer", AttributeValue.fromS("/price"), "keyword", AttributeValue.fromS("type"),
        "message", AttributeValue.fromS("expected number")), stored.get(DynamoQuarantineCodec.VIOLATIONS).l().get(0).m());
    assertEquals(AttributeValue.fromS("g|retail|2"), stored.get(DynamoQuarantineCodec.OPEN_LANE));
    assertEquals(AttributeValue.fromN(Long.toString(T.plusSeconds(60).toEpochMilli())),
        stored.get(DynamoQuarantineCodec.NEXT_ATTEMPT_AT));
    QuarantineItem back = DynamoQuarantineCodec.fromAttributes(AttributeJson.decode(DynamoQuarantineCodec.toJson(item)));
    assertEquals(List.of("ce_id", "empty"), back.headers().stream().map(KafkaHeader::key).toList());
    assertEquals(item.history(), back.history());
    assertEquals(item.attemptLog(), back.attemptLog());
    assertEquals(item.violations(), back.violations());
    assertEquals(List.of(item.id(), item.status(), item.key(), item.editedData(), item.parkedBehind(),
        item.nextAttemptAt(), item.generation(), item.redriveCount()), List.of(back.id(), back.status(), back.key(),
        back.editedData(), back.parkedBehind(), back.nextAttemptAt(), back.generation(), back.redriveCount()));
    assertEquals(new String(item.payload(), StandardCharsets.UTF_8), new String(back.payload(), StandardCharsets.UTF_8));
    Map<String, AttributeValue> big = DynamoQuarantineCodec.toAttributes(inKafka);
    assertEquals(AttributeValue.fromBool(false), big.get(DynamoQuarantineCodec.PAYLOAD_STORED));
    assertEquals(inKafka.payloadInKafka(), DynamoQuarantineCodec.fromAttributes(big).payloadInKafka());
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

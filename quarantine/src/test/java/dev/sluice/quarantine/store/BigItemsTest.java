package dev.sluice.quarantine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The size measure of an item, items too big for the store, and which store errors are permanent refusals. */
class BigItemsTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");

  private static QuarantineItem item(QuarantineStatus status, byte[] payload) {
    return new QuarantineItem("id-1", status, "retail", "g", "retail", 0, 7L, Optional.of("k"), payload, List.of(),
        Optional.empty(), Optional.empty(), QuarantineReason.NOT_A_CLOUDEVENT, "E", "not a CloudEvent", List.of(), 0,
        T, T, Optional.empty(), 0, List.of(new AuditEntry(T, "QUARANTINED", "consumer:g", "x")), List.of(),
        status == QuarantineStatus.RETRYING ? Optional.of(T) : Optional.empty(), Optional.empty(), 0);
  }

  @Test
  void theMeasureCountsNamesAndValuesByDynamoDbsRules() {
    Map<String, AttributeValue> m = Map.of(
        "ab", AttributeValue.fromS("é1"),                                              // 2 + 3
        "n", AttributeValue.fromN("12345"),                                             // 1 + 4
        "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10])),               // 1 + 10
        "l", AttributeValue.fromL(List.of(AttributeValue.fromS("xy"))),                // 1 + 3 + 1 + 2
        "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromBool(true))));         // 1 + 3 + 1 + 1 + 1
    assertEquals(5 + 5 + 11 + 7 + 7, DynamoQuarantineCodec.itemBytes(m));
  }

  @Test
  void aSmallItemFitsAndABigOneDoesNot() {
    assertTrue(ConsumerWrites.fits(item(QuarantineStatus.QUARANTINED, new byte[1_000])));
    assertTrue(ConsumerWrites.fits(item(QuarantineStatus.QUARANTINED, new byte[300 * 1024])));
    assertFalse(ConsumerWrites.fits(item(QuarantineStatus.QUARANTINED, new byte[380 * 1024])),
        "within DynamoDB's limit, but not within the margin");
    assertFalse(ConsumerWrites.fits(item(QuarantineStatus.QUARANTINED, new byte[900 * 1024])));
  }

  @Test
  void aBigItemKeepsItsPayloadInKafkaAndRoundTrips() throws Exception {
    byte[] payload = new byte[900 * 1024];
    Arrays.fill(payload, (byte) 'x');
    AuditEntry note = new AuditEntry(T, "PAYLOAD_IN_KAFKA", "consumer:g", "too big");
    QuarantineItem without = item(QuarantineStatus.QUARANTINED, payload).withPayloadInKafka(note);

    assertFalse(without.payloadStored());
    assertEquals(0, without.payload().length);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    assertEquals(new PayloadInKafka(payload.length, sha), without.payloadInKafka().get());
    assertEquals(note, without.history().get(without.history().size() - 1));
    assertTrue(ConsumerWrites.fits(without));

    Map<String, AttributeValue> stored = DynamoQuarantineCodec.toAttributes(without);
    assertEquals(Boolean.FALSE, stored.get(DynamoQuarantineCodec.PAYLOAD_STORED).bool());
    QuarantineItem back = DynamoQuarantineCodec.fromAttributes(stored);
    assertEquals(without.payloadInKafka(), back.payloadInKafka());
    assertArrayEquals(new byte[0], back.payload());

    QuarantineItem small = item(QuarantineStatus.QUARANTINED, "{}".getBytes(StandardCharsets.UTF_8));
    Map<String, AttributeValue> plain = DynamoQuarantineCodec.toAttributes(small);
    assertFalse(plain.containsKey(DynamoQuarantineCodec.PAYLOAD_STORED), "no new attribute on ordinary items");
    assertTrue(DynamoQuarantineCodec.fromAttributes(plain).payloadStored());
  }

  @Test
  void whateverPartOfTheRecordIsBigTheItemWithoutItsPayloadFits() {
    List<dev.sluice.schemas.event.KafkaHeader> headers = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      headers.add(dev.sluice.schemas.event.KafkaHeader.of("h" + i, "v".repeat(60 * 1024)));
    }
    List<dev.sluice.schemas.Violation> violations = new java.util.ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      violations.add(new dev.sluice.schemas.Violation("/items/" + i, "type", "m".repeat(2_000)));
    }
    QuarantineItem big = new QuarantineItem("id-1", QuarantineStatus.QUARANTINED, "retail", "g", "retail", 0, 7L,
        Optional.of("k"), new byte[100], headers, Optional.empty(), Optional.empty(),
        QuarantineReason.SCHEMA_VIOLATION, "E", "e".repeat(100_000), violations, 0, T, T, Optional.empty(), 0,
        List.of(), List.of(), Optional.empty(), Optional.empty(), 0);
    assertFalse(ConsumerWrites.fits(big));

    QuarantineItem without = big.withPayloadInKafka(new AuditEntry(T, "PAYLOAD_IN_KAFKA", "consumer:g", "too big"));
    assertTrue(ConsumerWrites.fits(without));
    assertFalse(without.headersStored());
    assertTrue(without.payloadInKafka().orElseThrow().headersInKafka());
    assertEquals(List.of(), without.headers());
    assertEquals(OutOfLine.ERROR_MESSAGE_CHARS, without.errorMessage().length());
    assertEquals(OutOfLine.VIOLATIONS_KEPT, without.violations().size());
    assertEquals("/items/0", without.violations().get(0).pointer(), "the first violations are the ones kept");
    assertEquals(OutOfLine.VIOLATION_CHARS, without.violations().get(0).message().length());
    String detail = without.history().get(without.history().size() - 1).detail();
    assertTrue(detail.startsWith("too big; its 10 header(s) (614420 bytes) are kept in Kafka too"), detail);
    assertTrue(detail.contains("100 of 5000 violations kept"), detail);
    assertTrue(detail.contains("the error message is cut"), detail);

    QuarantineItem back = DynamoQuarantineCodec.fromAttributes(DynamoQuarantineCodec.toAttributes(without));
    assertEquals(without.payloadInKafka(), back.payloadInKafka(), "headersInKafka is stored");
    assertFalse(back.headersStored());
  }

  @Test
  void smallHeadersStayInTheItemWithoutItsPayload() {
    List<dev.sluice.schemas.event.KafkaHeader> headers = List.of(dev.sluice.schemas.event.KafkaHeader.of("ce_id", "1"));
    QuarantineItem item = new QuarantineItem("id-1", QuarantineStatus.QUARANTINED, "retail", "g", "retail", 0, 7L,
        Optional.of("k"), new byte[900 * 1024], headers, Optional.empty(), Optional.empty(),
        QuarantineReason.NOT_A_CLOUDEVENT, "E", "x", List.of(), 0, T, T, Optional.empty(), 0, List.of(), List.of(),
        Optional.empty(), Optional.empty(), 0);
    QuarantineItem without = item.withPayloadInKafka(new AuditEntry(T, "PAYLOAD_IN_KAFKA", "consumer:g", "too big"));
    assertTrue(without.headersStored());
    assertEquals(1, without.headers().size());
    assertFalse(DynamoQuarantineCodec.toAttributes(without).containsKey(DynamoQuarantineCodec.HEADERS_IN_KAFKA));
    assertEquals("too big", without.history().get(without.history().size() - 1).detail(), "nothing else left out");
  }

  @Test
  void theSamePayloadIsToldBySizeAndDigestWhereverTheHeadersAreKept() {
    PayloadInKafka ref = new PayloadInKafka(3, "abc", true);
    assertTrue(ref.samePayload(new PayloadInKafka(3, "abc")));
    assertFalse(ref.samePayload(new PayloadInKafka(4, "abc")));
    assertFalse(ref.samePayload(new PayloadInKafka(3, "abd")));
  }

  @Test
  void aBigItemIsNeverRetryingOrParkedNorMadeOfARequestNeverAppended() {
    AuditEntry note = new AuditEntry(T, "PAYLOAD_IN_KAFKA", "consumer:g", "too big");
    QuarantineItem retrying = item(QuarantineStatus.RETRYING, new byte[10]).withPayloadInKafka(note);
    assertEquals(QuarantineStatus.QUARANTINED, retrying.status());
    assertEquals(Optional.empty(), retrying.nextAttemptAt());
    assertEquals(QuarantineStatus.QUARANTINED,
        item(QuarantineStatus.PARKED, new byte[10]).withPayloadInKafka(note).status());

    QuarantineItem ingress = new QuarantineItem("i", QuarantineStatus.QUARANTINED, "retail",
        QuarantineItem.INGRESS_GROUP, "retail", QuarantineItem.NOT_APPENDED, QuarantineItem.NOT_APPENDED,
        Optional.empty(), new byte[10], List.of(), Optional.empty(), Optional.empty(),
        QuarantineReason.MALFORMED, "", "", List.of(), 0, T, T, Optional.empty(), 0, List.of());
    assertThrows(IllegalStateException.class, () -> ingress.withPayloadInKafka(note));
  }

  @Test
  void validationErrorsArePermanentRefusals() {
    DynamoDbException tooBig = (DynamoDbException) DynamoDbException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException")
            .errorMessage("Item size has exceeded the maximum allowed size").build())
        .statusCode(400).build();
    assertEquals(Optional.of(StoreRefusal.VALIDATION), StoreRefusal.of(tooBig));
    assertEquals(Optional.of(StoreRefusal.VALIDATION), StoreRefusal.of(new CompletionException(tooBig)));

    DynamoDbException sameMessageOtherCode = (DynamoDbException) DynamoDbException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException")
            .errorMessage("Item size has exceeded the maximum allowed size").build())
        .statusCode(400).build();
    assertEquals(Optional.empty(), StoreRefusal.of(sameMessageOtherCode), "the message text decides nothing");

    DynamoDbException tooLarge = (DynamoDbException) DynamoDbException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("RequestEntityTooLarge").build())
        .statusCode(413).build();
    assertEquals(Optional.of(StoreRefusal.REQUEST_TOO_LARGE), StoreRefusal.of(tooLarge));

    TransactionCanceledException invalidInBatch = TransactionCanceledException.builder()
        .cancellationReasons(CancellationReason.builder().code("None").build(),
            CancellationReason.builder().code("ValidationError").build())
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
        .statusCode(400).build();
    assertEquals(Optional.of(StoreRefusal.VALIDATION), StoreRefusal.of(invalidInBatch));
  }

  @Test
  void outagesAndConflictsAreNoRefusal() {
    assertEquals(Optional.empty(), StoreRefusal.of(SdkClientException.create("connection refused")));
    assertEquals(Optional.empty(), StoreRefusal.of(ProvisionedThroughputExceededException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
        .statusCode(400).build()));
    assertEquals(Optional.empty(), StoreRefusal.of(DynamoDbException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build())
        .statusCode(500).build()));
    assertEquals(Optional.empty(), StoreRefusal.of(TransactionCanceledException.builder()
        .cancellationReasons(CancellationReason.builder().code("ConditionalCheckFailed").build(),
            CancellationReason.builder().code("TransactionConflict").build())
        .statusCode(400).build()));
    assertEquals(Optional.empty(), StoreRefusal.of(new IllegalStateException("a bug")));
  }
}

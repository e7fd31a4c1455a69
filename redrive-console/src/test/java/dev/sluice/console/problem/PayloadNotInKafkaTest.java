package dev.sluice.console.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.console.support.Items;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the console answers a redrive whose payload, kept in Kafka, cannot be read back. */
class PayloadNotInKafkaTest {
  private static final QuarantineItem BIG = Items.rejectedProduct().withPayloadInKafka(
      new AuditEntry(Instant.EPOCH, "PAYLOAD_IN_KAFKA", "consumer:g", "too big"));

  @Test
  void aRecordGoneIs410WithWhereItWasAndTheFirstOffsetLeft() {
    Problem p = new ConsoleError.PayloadNotInKafka(BIG, new RecordPayloads.Gone(BIG.offset() + 5)).problem();
    assertEquals(410, p.status());
    assertEquals("https://sluice.dev/problems/payload-gone", p.type());
    assertEquals(BIG.offset() + 5, p.extensions().getLong("earliestOffset"));
    assertEquals(PayloadInKafkaJson.of(BIG).orElseThrow(), p.extensions().getJsonObject("payloadInKafka"));
  }

  @Test
  void anotherRecordAtThePositionIs409WithWhatWasFound() {
    Problem p = new ConsoleError.PayloadNotInKafka(BIG, new RecordPayloads.Mismatch(3, "abc")).problem();
    assertEquals(409, p.status());
    assertEquals("https://sluice.dev/problems/payload-mismatch", p.type());
    assertEquals(new JsonObject().put("size", 3).put("sha256", "abc"), p.extensions().getJsonObject("found"));
  }

  @Test
  void anItemWithItsPayloadStoredIsNoSuchProblem() {
    assertThrows(IllegalArgumentException.class, () -> new ConsoleError.PayloadNotInKafka(Items.rejectedProduct(),
        new RecordPayloads.Gone(0)));
  }
}

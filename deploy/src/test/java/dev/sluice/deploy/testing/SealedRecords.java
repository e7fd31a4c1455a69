package dev.sluice.deploy.testing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.UnsealInput;
import dev.sluice.crypto.seal.Unsealed;
import dev.sluice.crypto.seal.Unsealer;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a sealed record of the stack's ledger as a reader holding the key ring would: its header, its opened data. */
public final class SealedRecords {
  private SealedRecords() {}

  /** The record's {@code sluice-sealed} header, which must be there and well-formed. */
  public static SealHeader header(ConsumerRecord<?, byte[]> record) {
    return assertInstanceOf(SealHeader.Parsed.Ok.class,
        SealHeader.parse(record.headers().lastHeader(SealHeader.NAME).value())).header();
  }

  /**
   * The record's data opened with a fresh key ring on the stack's key table and KEK (nothing cached): the values as
   * posted, or {@code "sluice:erased"} where the subject was forgotten.
   */
  public static String open(Stack stack, ConsumerRecord<?, byte[]> record, String stream, String type)
      throws Exception {
    String value = new String(record.value(), StandardCharsets.UTF_8);
    SealHeader header = header(record);
    SchemaVersion version = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state().latest(type)
        .orElseThrow();
    var located = MarkedLocations.locate(version.marks(), value).orElseThrow();
    EventRef event = new EventRef(stream, text(record, "ce_source"), text(record, "ce_id"), type);
    Vertx vertx = Vertx.vertx();
    try (KeyRing ring = KeyRing.onDynamo(vertx, stack.dynamo(), stack.crypto(), Clock.systemUTC())) {
      return assertInstanceOf(Unsealed.class, new Unsealer(ring).unseal(new UnsealInput(event, header.subject(), value,
          located.values(), Optional.of(header))).await(30, TimeUnit.SECONDS)).data();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static String text(ConsumerRecord<?, ?> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}

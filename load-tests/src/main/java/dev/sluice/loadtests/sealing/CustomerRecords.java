package dev.sluice.loadtests.sealing;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealed;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.loadtests.consumer.ProductRecords;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.SensitiveMarks;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The consumer part's records, as the gateway appends them: binary-mode CloudEvents keyed by the customer id, with
 * schema version 1. A sealed record is made the way the gateway's sealing step makes one: the marked values located
 * by the type's schema ({@link MarkedLocations}), sealed by the same {@link Sealer} with the subject's key for the
 * record's stream, and the {@code sluice-sealed} header added. A plain record carries the same data, unsealed, under
 * the unmarked type.
 *
 * <p>Sealing happens on the calling thread and needs each subject's key in memory already ({@link PremadeKeys}): a
 * key not yet at hand is a setup error here, not something to wait for.
 */
final class CustomerRecords {
  private final SensitiveMarks marks;
  private final Sealer sealer;
  private final CustomerEvents events;

  /**
   * @param marks what {@link CustomerTypes#SEALED} marks, from the consumer's registry
   * @param keys where each subject's key is (warm)
   */
  CustomerRecords(SensitiveMarks marks, SubjectKeys keys, CustomerEvents events) {
    this.marks = marks;
    this.sealer = new Sealer(keys);
    this.events = events;
  }

  /**
   * Warm subject {@code subject}'s event of the sealed type, sealed for stream {@code topic} (the suite's consumer
   * streams are named after their topics).
   *
   * @throws IllegalStateException when the subject's key was not in memory, or the data did not seal
   */
  ProducerRecord<byte[], byte[]> sealed(String topic, int subject) {
    String data = events.warmData(subject);
    CloudEvent event = events.cloudEvent(CustomerTypes.SEALED, data);
    MarkedLocations.Located located = MarkedLocations.locate(marks, data)
        .orElseThrow(() -> new IllegalStateException("no marked values found in the sealed type's data"));
    if (!(located.subject() instanceof DataSubject.Valid valid)) {
      throw new IllegalStateException("the sealed type's data names no valid data subject");
    }
    Future<Sealed> sealing = sealer.seal(new SealInput(new EventRef(topic, event.source(), event.id(), event.type()),
        valid.value(), data, located.values()));
    if (!sealing.isComplete()) {
      throw new IllegalStateException("subject " + subject + "'s key was not in memory: make the keys first");
    }
    if (sealing.failed()) {
      throw new IllegalStateException("sealing failed: " + sealing.cause(), sealing.cause());
    }
    Sealed sealed = sealing.result();
    ProducerRecord<byte[], byte[]> record = ProductRecords.binary(topic, null, valid.value(),
        event.withData(sealed.data()));
    record.headers().add(new RecordHeader(SealHeader.NAME, sealed.header().orElseThrow().encode()));
    return record;
  }

  /** Warm subject {@code subject}'s event of the plain type: the same data, as it is. */
  ProducerRecord<byte[], byte[]> plain(String topic, int subject) {
    return ProductRecords.binary(topic, null, CustomerEvents.warmSubject(subject),
        events.cloudEvent(CustomerTypes.PLAIN, events.warmData(subject)));
  }
}

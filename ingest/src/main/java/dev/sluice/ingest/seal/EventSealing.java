package dev.sluice.ingest.seal;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.admit.MarkedData;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/**
 * The step between admission and append: an admitted event whose schema version marks values sensitive leaves with
 * each of them sealed with its data subject's key, and the {@code sluice-sealed} header saying which, so no marked value
 * ever reaches Kafka in the clear. Every path that appends an admitted event goes through it (ingest, a batch, an
 * ingress reject redriven from the console).
 *
 * <p>An event that marks nothing, or whose marked members are all absent, passes through untouched and costs no key
 * call. With the subject's key in memory the Future is complete when {@link #seal} returns, so the caller carries on
 * synchronously; otherwise the key is read, or made on first use (a conditional write), off the event loop.
 *
 * <p>When the key cannot be had (the key table or the key-encryption key is unreachable, or this process may not use
 * it) the Future fails with the key ring's {@code KeyUnavailableException} or {@code KeyAccessDeniedException}; the
 * event must then not be appended at all, and the gateway answers 503.
 */
public final class EventSealing {
  private final SubjectKeys keys;
  private final Sealer sealer;

  public EventSealing(SubjectKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.sealer = new Sealer(keys);
  }

  /** The keys it seals with: whatever else seals for this process (an operator's edit) uses the same. */
  public SubjectKeys keys() {
    return keys;
  }

  /** {@code event} with its marked values sealed; {@code event} itself when there is nothing to seal. */
  public Future<AdmittedEvent> seal(AdmittedEvent event) {
    Optional<MarkedData> marked = event.marked();
    if (marked.isEmpty() || marked.get().values().isEmpty()) {
      return Future.succeededFuture(event);
    }
    CloudEvent e = event.event();
    // Bound to the stream's name (as consumers know it), the event's identity and type: a ciphertext moved to another
    // event, type or stream no longer opens.
    EventRef ref = new EventRef(event.stream().name(), e.source(), e.id(), e.type());
    return sealer.seal(new SealInput(ref, marked.get().subject(), e.data(), marked.get().values()))
        .map(sealed -> sealed.header()
            .map(header -> event.sealed(sealed.data(), new KafkaHeader(SealHeader.NAME, header.encode())))
            .orElse(event));
  }
}

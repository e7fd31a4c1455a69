package dev.sluice.console.seal;

import static dev.sluice.console.problem.ConsoleFailure.failed;

import dev.sluice.console.problem.ConsoleError.InvalidData;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.Resealer;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.RedriveEdit;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An operator's replacement data for an event a consumer group quarantined, on its way to the store: opened to
 * plaintext (values carried over still sealed are decrypted, only where they were sealed), so that the caller checks
 * it against the full schema, then sealed again with the data subject's current key. What is stored, redriven and
 * audited is the sealed edit with its own {@code sluice-sealed} header ({@link RedriveEdit}); the plaintext lives in
 * memory only for the request.
 *
 * <p>Marks come from the schema version the record is pinned to (the one its consumer checks it against), else the
 * type's latest. An event whose version marks nothing passes through as it is, at no cost and without a key.
 *
 * <p>Refusals are 422 invalid-data answers whose violations name pointers, never values; a key outage is a 503 with
 * nothing written. Safe on the event loop: key calls come back as Futures, the rest is bounded by the body limit.
 */
public final class EditSealing {
  private final Resealer resealer;

  public EditSealing(SubjectKeys keys) {
    this.resealer = new Resealer(Objects.requireNonNull(keys, "keys"));
  }

  /**
   * What an edit is sealed for.
   *
   * @param event the record's event (an edit replaces only the data: the id, source, type and stream stay)
   * @param header the record's {@code sluice-sealed} header, when it had a readable one
   * @param marks what the record's schema version marks
   * @param recordData the record's own data, as its consumer read it
   */
  public record Target(EventRef event, Optional<SealHeader> header, SensitiveMarks marks, String recordData) {
    public Target {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(marks, "marks");
      Objects.requireNonNull(recordData, "recordData");
    }

    /** The same record's target for data sealed as {@code headers} say (an edit, with its own seal header). */
    public Target sealedAs(List<KafkaHeader> headers) {
      return new Target(event, sealHeader(headers), marks, recordData);
    }

    /**
     * The target of an item's record ({@code payload} and {@code headers} as read), against {@code state}; empty when
     * the record is not a CloudEvent, or its type has no schema (nothing can be marked, and the redrive's own checks
     * refuse data for it).
     */
    public static Optional<Target> of(QuarantineItem item, byte[] payload, List<KafkaHeader> headers,
        RegistryState state) {
      if (!(CloudEventKafkaBinding.decode(headers, payload) instanceof CloudEventKafkaBinding.Decoded.Event e)) {
        return Optional.empty();
      }
      String type = e.event().type();
      OptionalInt pinned = CloudEventKafkaBinding.schemaVersion(headers);
      Optional<SchemaVersion> version = pinned.isPresent() ? state.version(type, pinned.getAsInt())
          : state.latest(type);
      return version.map(v -> new Target(new EventRef(item.stream(), e.event().source(), e.event().id(), type),
          sealHeader(headers), v.marks(), e.event().data()));
    }
  }

  /** The record's readable {@code sluice-sealed} header; none when it has none, several, or one that does not parse. */
  static Optional<SealHeader> sealHeader(List<KafkaHeader> headers) {
    List<KafkaHeader> found = headers.stream().filter(h -> SealHeader.NAME.equals(h.key())).toList();
    if (found.size() != 1 || !(SealHeader.parse(found.get(0).value()) instanceof SealHeader.Parsed.Ok ok)) {
      return Optional.empty();
    }
    return Optional.of(ok.header());
  }

  /** {@code data} with its carried-over sealed values decrypted: to be checked, then {@link #seal}ed. */
  public Future<String> open(Target target, String data) {
    return keyed(resealer.open(target.event(), target.header(), data, target.marks()))
        .compose(opening -> opening instanceof Resealer.Opened opened
            ? Future.succeededFuture(opened.data())
            : refused((Resealer.Refused) opening));
  }

  /** Opened (and checked) data sealed again, with the header that goes with it. */
  public Future<RedriveEdit> seal(Target target, String plain) {
    return keyed(resealer.seal(target.event(), plain, target.marks()))
        .compose(resealing -> resealing instanceof Resealer.Resealed resealed
            ? Future.succeededFuture(new RedriveEdit(resealed.sealed().data(),
                resealed.sealed().header().map(h -> new String(h.encode(), StandardCharsets.UTF_8))))
            : refused((Resealer.Refused) resealing));
  }

  private static <T> Future<T> keyed(Future<T> call) {
    return call.recover(err -> err instanceof KeyUnavailableException
        ? failed(new Unavailable("the keys that protect this event's sensitive values are unavailable; nothing was "
            + "written, retry later"))
        : Future.failedFuture(err));
  }

  private static <T> Future<T> refused(Resealer.Refused refused) {
    return failed(new InvalidData(List.of(new Violation("/data" + refused.pointer().orElse(""), "x-sensitive",
        refused.reason()))));
  }
}

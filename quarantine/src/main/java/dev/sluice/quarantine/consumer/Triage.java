package dev.sluice.quarantine.consumer;

import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides, before any handler runs, whether a record is an event the handler may see or poison: a chain of small
 * checks (CloudEvent? stream accepts the type? data is JSON? data fits the schema?), each giving a value. Pure: no I/O.
 *
 * <p>Sealed fields. When the schema version an event is pinned to marks values sensitive, the ledger holds its data
 * sealed (each marked value a ciphertext): it is checked with {@link SchemaVersion#validateSealed}, which accepts
 * anything where a value is marked and checks the rest, so the verdict is the one the gateway gave the plaintext. A
 * ready event then carries what unsealing it needs ({@link SealedFields}); unsealing itself needs keys, and so is
 * done later, by {@link EventUnsealer}, before the handler is called.
 */
public final class Triage {
  private final SchemaRegistry registry;
  private final java.util.function.ObjIntConsumer<String> validatedWith;

  /** Streams and schemas come from the registry's current snapshot, so a newly registered version is used at once. */
  public Triage(SchemaRegistry registry) {
    this(registry, (type, version) -> {});
  }

  /**
   * @param validatedWith told (type, version) for each record found valid, e.g. to report in the group's heartbeat
   *     which schema versions it consumes; must be cheap and thread-safe
   */
  public Triage(SchemaRegistry registry, java.util.function.ObjIntConsumer<String> validatedWith) {
    this.registry = registry;
    this.validatedWith = java.util.Objects.requireNonNull(validatedWith, "validatedWith");
  }

  /** The verdict on one record. */
  public sealed interface Verdict {
    String stream();
  }

  /**
   * Fit for the handler, once unsealed. {@code event} is as on the ledger (its marked values sealed): a handler is
   * only ever given what {@link EventUnsealer} makes of it.
   *
   * @param sealed what unsealing needs; empty when the schema version marks nothing and the record has no
   *     {@code sluice-sealed} header (the data is then handed on as it is)
   */
  public record Ready(String stream, CloudEvent event, Optional<SealedFields> sealed) implements Verdict {
    public Ready {
      java.util.Objects.requireNonNull(event, "event");
      java.util.Objects.requireNonNull(sealed, "sealed");
    }

    /** A ready event with nothing sealed. */
    public Ready(String stream, CloudEvent event) {
      this(stream, event, Optional.empty());
    }
  }

  /** Never retried: straight to the quarantine. */
  public record Poison(
      String stream, Optional<String> eventId, Optional<String> eventType, QuarantineReason reason,
      String errorClass, String message, List<Violation> violations) implements Verdict {

    /** Quarantines a stored item found poison when judged again: the handler never saw it this time. */
    Settlement.Quarantined quarantined(int generation) {
      return new Settlement.Quarantined(reason, errorClass, message, violations, List.of(), generation);
    }
  }

  /** The stream name for a topic; topics no stream claims are labelled by their own name. */
  public String streamOf(String topic) {
    return registry.catalog().streamForTopic(topic).map(StreamDefinition::name).orElse(topic);
  }

  /**
   * How consumers of a topic order work when an event fails: the ordering of the stream that claims it, and
   * {@code KEY_ORDERED} (the default) for a topic no stream claims.
   */
  public OrderingPolicy orderingOf(String topic) {
    return registry.catalog().streamForTopic(topic).map(StreamDefinition::ordering).orElse(OrderingPolicy.KEY_ORDERED);
  }

  public Verdict triage(String topic, List<KafkaHeader> headers, byte[] value) {
    return triage(topic, headers, value, Optional.empty());
  }

  /**
   * Judges a record, optionally with its data replaced (an operator's fix): the envelope is decoded from the original
   * record, in whichever content mode it was written, and only then is the data swapped and checked.
   */
  public Verdict triage(String topic, List<KafkaHeader> headers, byte[] value, Optional<String> replacementData) {
    // One snapshot for the whole verdict: the stream and the schema versions agree even if the registry changes now.
    RegistryState state = registry.state();
    Optional<StreamDefinition> stream = state.catalog().streamForTopic(topic);
    String streamName = stream.map(StreamDefinition::name).orElse(topic);
    CloudEventKafkaBinding.Decoded decoded = CloudEventKafkaBinding.decode(headers, value);
    if (decoded instanceof CloudEventKafkaBinding.Decoded.NotACloudEvent not) {
      return new Poison(streamName, Optional.empty(), Optional.empty(), QuarantineReason.NOT_A_CLOUDEVENT,
          "NotACloudEvent", not.reason(), List.of());
    }
    CloudEvent decodedEvent = ((CloudEventKafkaBinding.Decoded.Event) decoded).event();
    CloudEvent event = replacementData.map(decodedEvent::withData).orElse(decodedEvent);
    Optional<String> id = Optional.of(event.id());
    Optional<String> type = Optional.of(event.type());
    if (stream.isPresent() && stream.get().type(event.type()).isEmpty()) {
      return new Poison(streamName, id, type, QuarantineReason.UNKNOWN_TYPE, "UnknownType",
          "stream " + streamName + " does not accept type " + event.type(), List.of());
    }
    // The gateway records the version it validated against; the consumer checks against the same one, so an event
    // pinned to an older version is not judged by a newer schema.
    OptionalInt pinned = CloudEventKafkaBinding.schemaVersion(headers);
    Optional<SchemaVersion> schema = pinned.isPresent()
        ? state.version(event.type(), pinned.getAsInt())
        : state.latest(event.type());
    if (schema.isEmpty()) {
      return new Poison(streamName, id, type, QuarantineReason.UNKNOWN_TYPE, "UnknownType",
          pinned.isPresent()
              ? "schema version " + pinned.getAsInt() + " of type " + event.type() + " is not registered"
              : "no schema is registered for type " + event.type(),
          List.of());
    }
    SensitiveMarks marks = schema.get().marks();
    // The ledger holds marked values sealed: the relaxed schema judges the rest, as the full one judged the plaintext.
    // Its parse also locates the marked values, so the data is read once, not again to find them.
    Optional<MarkedLocations.Tracker> tracker = marks.any()
        ? Optional.of(MarkedLocations.tracker(marks, event.data())) : Optional.empty();
    Validation validation = tracker.isPresent() ? schema.get().validateSealed(event.data(), tracker.get())
        : schema.get().validate(event.data());
    if (validation instanceof Validation.Valid) {
      Verdict verdict = ready(streamName, event, marks, headers, tracker);
      if (verdict instanceof Ready) {
        validatedWith.accept(event.type(), schema.get().version());
      }
      return verdict;
    }
    if (validation instanceof Validation.Invalid invalid) {
      return new Poison(streamName, id, type, QuarantineReason.SCHEMA_VIOLATION, "SchemaViolation",
          invalid.violations().size() + " schema violation(s), first at " + invalid.violations().get(0).pointer()
              + ": " + invalid.violations().get(0).message(),
          invalid.violations());
    }
    if (validation instanceof Validation.Malformed malformed) {
      return new Poison(streamName, id, type, QuarantineReason.MALFORMED, "MalformedJson",
          "data is not JSON: " + malformed.message(), List.of(new Violation("/data", "json", malformed.message())));
    }
    return new Poison(streamName, id, type, QuarantineReason.UNKNOWN_TYPE, "UnknownType",
        "no schema is registered for type " + event.type(), List.of());
  }

  /**
   * A valid event, with what unsealing it needs: where the marked values stand, as the validation's parse found them
   * ({@code tracker}), or found now for a version that marks nothing. An event whose version marks nothing and that
   * has no {@code sluice-sealed} header costs nothing more; one with a header its version does not call for is still
   * located (nothing), so that unsealing finds the header and the data disagree.
   */
  private static Verdict ready(String streamName, CloudEvent event, SensitiveMarks marks, List<KafkaHeader> headers,
      Optional<MarkedLocations.Tracker> tracker) {
    Optional<SealHeader.Parsed> header = SealedFields.headerOf(headers);
    if (!marks.any() && header.isEmpty()) {
      return new Ready(streamName, event);
    }
    Optional<MarkedLocations.Located> located = tracker.isPresent() ? tracker.get().located()
        : MarkedLocations.locate(marks, event.data());
    if (located.isEmpty()) {
      // Valid JSON to the validator, but not one value with unique member names to the locator: where the marked
      // values stand cannot be told, so they could be neither unsealed nor withheld.
      return new Poison(streamName, Optional.of(event.id()), Optional.of(event.type()), QuarantineReason.MALFORMED,
          "MalformedJson", "the data's marked values cannot be located (a member name repeated?)",
          List.of(new Violation("/data", "json", "marked values cannot be located")));
    }
    return new Ready(streamName, event, Optional.of(
        new SealedFields(located.get().values(), located.get().subject(), header)));
  }
}

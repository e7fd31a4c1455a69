package dev.sluice.gateway.ingest;

import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import dev.sluice.schemas.Violation;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether one request may be appended, as a chain of small checks. Each check returns an {@link Outcome}; the
 * first rejection ends the chain:
 *
 * <ol>
 *   <li>the stream exists (else 404);
 *   <li>the request is a well-formed CloudEvent (else 400, or 415 for a foreign media type);
 *   <li>the stream accepts the event's type (else 422);
 *   <li>the data conforms to the type's schema (else 422, or 400 if the data is not JSON);
 *   <li>the data carries the partition key (else 422).
 * </ol>
 *
 * <p>Pure and thread-safe: no I/O, so it runs on the event loop (validation is CPU-bound and bounded by the body limit).
 */
public final class EventAdmission {
  /** The metrics label for a stream or type that is not in the catalog: labels must stay bounded. */
  public static final String UNKNOWN = "unknown";

  private final StreamCatalog catalog;
  private final SchemaRegistry registry;
  private final CloudEventHttpReader reader;

  public EventAdmission(StreamCatalog catalog, SchemaRegistry registry, CloudEventHttpReader reader) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** An event cleared for appending. */
  public record AdmittedEvent(StreamDefinition stream, EventTypeBinding binding, CloudEvent event, String partitionKey) {}

  /**
   * The verdict, with bounded metrics labels: the stream and type names only when the catalog knows them.
   */
  public record Admission(String streamLabel, String typeLabel, Outcome<AdmittedEvent> outcome) {}

  public Admission admit(String streamName, HttpEventRequest request) {
    Outcome<StreamDefinition> stream = stream(streamName);
    if (stream instanceof Outcome.Rejected<StreamDefinition> r) {
      return new Admission(UNKNOWN, UNKNOWN, r.as());
    }
    StreamDefinition def = ((Outcome.Ok<StreamDefinition>) stream).value();

    Outcome<CloudEvent> read = reader.read(request);
    if (read instanceof Outcome.Rejected<CloudEvent> r) {
      return new Admission(def.name(), UNKNOWN, r.as());
    }
    CloudEvent event = ((Outcome.Ok<CloudEvent>) read).value();

    Outcome<EventTypeBinding> type = acceptedType(def, event);
    if (type instanceof Outcome.Rejected<EventTypeBinding> r) {
      return new Admission(def.name(), UNKNOWN, r.as());
    }
    EventTypeBinding binding = ((Outcome.Ok<EventTypeBinding>) type).value();

    // From here on the type is one the catalog knows, so it is a bounded label.
    Outcome<AdmittedEvent> outcome = conformingData(binding, event)
        .flatMap(parsed -> partitionKey(binding, parsed))
        .flatMap(key -> Outcome.ok(new AdmittedEvent(def, binding, event, key)));
    return new Admission(def.name(), binding.type(), outcome);
  }

  /** The metrics label for a stream name taken from a request path. */
  public String streamLabel(String streamName) {
    return streamName != null && catalog.stream(streamName).isPresent() ? streamName : UNKNOWN;
  }

  Outcome<StreamDefinition> stream(String name) {
    return catalog.stream(name)
        .<Outcome<StreamDefinition>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(new Rejection.UnknownStream(name)));
  }

  static Outcome<EventTypeBinding> acceptedType(StreamDefinition stream, CloudEvent event) {
    return stream.type(event.type())
        .<Outcome<EventTypeBinding>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(
            new Rejection.TypeNotAccepted(stream.name(), event.type(), stream.types().keySet())));
  }

  /** Returns the parsed data (as org.json values) so the partition key is read without parsing again. */
  Outcome<Object> conformingData(EventTypeBinding binding, CloudEvent event) {
    Validation v = registry.validate(binding.type(), event.data());
    if (v instanceof Validation.Valid valid) {
      return Outcome.ok(valid.parsed());
    }
    if (v instanceof Validation.Invalid invalid) {
      return Outcome.rejected(new Rejection.SchemaViolation(binding.type(), invalid.violations()));
    }
    if (v instanceof Validation.Malformed malformed) {
      return Outcome.rejected(new Rejection.Malformed("the event's data is not valid JSON",
          List.of(new Violation("/data", "json", malformed.message()))));
    }
    // The catalog lists the type but the registry has no schema: the two were built from different catalogs. Refuse
    // the event rather than append unvalidated data.
    Validation.UnknownType unknown = (Validation.UnknownType) v;
    return Outcome.rejected(new Rejection.TypeNotAccepted("(no schema registered)", unknown.type(), java.util.Set.of()));
  }

  static Outcome<String> partitionKey(EventTypeBinding binding, Object parsedData) {
    return SchemaRegistry.partitionKey(parsedData, binding.partitionKeyPointer())
        .<Outcome<String>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(new Rejection.MissingPartitionKey(binding.type(), binding.eventPointer())));
  }
}

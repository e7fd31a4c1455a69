package dev.sluice.ingest.admit;

import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.ingest.CapturedRequest;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.HttpEventRequest;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.DataSubject;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.CostMeter;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Decides whether one request may be appended, as a chain of small checks. Each check returns an {@link Outcome}; the
 * first rejection ends the chain:
 *
 * <ol>
 *   <li>the stream exists (else 404);
 *   <li>the request is a well-formed CloudEvent within the hard limits (else 400, or 415 for a foreign media type;
 *       a captured request read again to redrive it is {@link Rejection.Unreadable} instead);
 *   <li>the stream accepts the event's type (else 422);
 *   <li>a {@code partitionkey} extension is only present if the stream allows it (else 422);
 *   <li>the schema version to use exists: the one {@code dataschema} pins, else the latest (else 422);
 *   <li>the data conforms to that version (else 422);
 *   <li>there is a partition key: the {@code partitionkey} extension where allowed and present, else the value at
 *       the type's pointer into the data (else 422);
 *   <li>for a version that marks values sensitive, the data subject its schema names is present and usable (else
 *       422).
 * </ol>
 *
 * <p>No answer quotes a value marked sensitive: the schema version scrubs its violations, and on a stream with a type
 * that marks values, a body that is not JSON is refused without the parser's words (which quote the token it stopped
 * at).
 *
 * <p>For a batch, the stream check and the reading of the body happen once; every event then goes through the rest of
 * the chain on its own and gets its own verdict.
 *
 * <p>Each request takes one snapshot of the registry ({@link SchemaRegistry#state()}) and uses it for every check and
 * every event of the request, so a schema change arriving mid-request never splits a batch between two registry
 * states.
 *
 * <p>Pure and thread-safe: no I/O. Validation is metered: each event validates through the {@link CostMeter} the caller
 * supplies, and a {@link ValidationLane} decides whether that happens on the event loop or on a worker.
 */
public final class EventAdmission {
  /** The metrics label for a stream or type that is not in the catalog: labels must stay bounded. */
  public static final String UNKNOWN = "unknown";
  /**
   * The Kafka header carrying the schema version (decimal) the event was validated against, so consumers validate
   * against the same one.
   */
  public static final String SCHEMA_VERSION_HEADER = CloudEventKafkaBinding.SCHEMA_VERSION;
  /** The CloudEvents extension by which a producer sets the Kafka key itself (Kafka protocol binding). */
  public static final String PARTITION_KEY_EXTENSION = "partitionkey";

  private final SchemaRegistry registry;
  private final CloudEventHttpReader reader;
  private final LongSupplier nanoTime;

  public EventAdmission(SchemaRegistry registry, CloudEventHttpReader reader) {
    this(registry, reader, System::nanoTime);
  }

  /** With the clock that times validation, for tests. */
  EventAdmission(SchemaRegistry registry, CloudEventHttpReader reader, LongSupplier nanoTime) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * An event cleared for appending.
   *
   * @param schema the schema version it was validated against
   * @param kafkaHeaders the headers to append after the CloudEvents ones: the schema version, then the request's trace
   *     context if it had a valid one (and, once sealed, the {@code sluice-sealed} header)
   * @param marked the values its schema version marks sensitive and their data subject, while they are still in the
   *     clear in {@code event}'s data: such an event must be sealed before it is appended (the ingest's sealing step
   *     does it); empty for a version that marks nothing, and once sealed
   */
  public record AdmittedEvent(
      StreamDefinition stream, EventTypeBinding binding, CloudEvent event, String partitionKey, SchemaVersion schema,
      List<KafkaHeader> kafkaHeaders, Optional<MarkedData> marked) {
    public AdmittedEvent {
      kafkaHeaders = List.copyOf(kafkaHeaders);
      Objects.requireNonNull(marked, "marked");
    }

    /** Whether marked values are still in the clear in its data: it must be sealed before it may be appended. */
    public boolean needsSealing() {
      return marked.isPresent() && !marked.get().values().isEmpty();
    }

    /** The same event with its marked values replaced by {@code sealedData}, and {@code sealHeader} appended. */
    public AdmittedEvent sealed(String sealedData, KafkaHeader sealHeader) {
      List<KafkaHeader> headers = new ArrayList<>(kafkaHeaders);
      headers.add(sealHeader);
      return new AdmittedEvent(stream, binding, event.withData(sealedData), partitionKey, schema, headers,
          Optional.empty());
    }

    /** The record value in the CloudEvents Kafka binding's binary mode: the data as UTF-8. */
    public byte[] recordValue() {
      return event.data().getBytes(StandardCharsets.UTF_8);
    }

    /** The record headers: the binding's {@code ce_*} and {@code content-type}, then {@link #kafkaHeaders()}. */
    public List<KafkaHeader> recordHeaders() {
      List<KafkaHeader> out = new ArrayList<>(CloudEventKafkaBinding.headers(event));
      out.addAll(kafkaHeaders);
      return List.copyOf(out);
    }
  }

  /**
   * The verdict on one event, with bounded metrics labels: the stream and type names only when the registry knows
   * them.
   *
   * @param validationNanos how long schema validation took, when it ran
   * @param event the CloudEvent as read, when the request was one (a captured reject keeps its id, source and type)
   */
  public record Admission(
      String streamLabel, String typeLabel, Outcome<AdmittedEvent> outcome, OptionalLong validationNanos,
      Optional<CloudEvent> event) {
    Admission(String streamLabel, String typeLabel, Outcome<AdmittedEvent> outcome) {
      this(streamLabel, typeLabel, outcome, OptionalLong.empty(), Optional.empty());
    }

    Admission(String streamLabel, String typeLabel, Outcome<AdmittedEvent> outcome, OptionalLong validationNanos) {
      this(streamLabel, typeLabel, outcome, validationNanos, Optional.empty());
    }

    Admission withEvent(CloudEvent read) {
      return new Admission(streamLabel, typeLabel, outcome, validationNanos, Optional.of(read));
    }
  }

  /** The verdict on one event of a batch: its position, its id when it had one, and its admission. */
  public record BatchItemAdmission(int index, String id, Admission admission) {}

  /**
   * The verdict on a batch: either the whole request is refused (unknown stream, unreadable body, too many events...),
   * or every event has its own verdict, in order.
   */
  public record BatchAdmission(String streamLabel, Outcome<List<BatchItemAdmission>> items) {}

  /** Admits one event, validating within the per-event ceiling. */
  public Admission admit(String streamName, HttpEventRequest request) {
    return admit(streamName, request, CostMeter::forOneEvent);
  }

  /** Admits one event, validating through the meter {@code meters} supplies. */
  public Admission admit(String streamName, HttpEventRequest request, Supplier<CostMeter> meters) {
    return admit(streamName, withhold -> reader.read(request)
        .<Outcome<CloudEvent>>fold(Outcome::ok, r -> Outcome.rejected(withhold.apply(r))), request.headers(), meters);
  }

  /**
   * Admits a captured request again, as ingest would have admitted it: the same chain, for the stream it was posted
   * to, the request read as captured (with the operator's data in place of the producer's, if given). A request that
   * cannot be read at all is a {@link Rejection.Unreadable}.
   */
  public Admission readmit(String streamName, CapturedRequest captured, Supplier<CostMeter> meters) {
    return admit(streamName, withhold -> captured.read(reader, withhold), captured.request().headers(), meters);
  }

  /**
   * The chain for one event; {@code read} reads it, restating a refusal of the reader with the function it is given
   * ({@link #withheld}, which needs the stream).
   */
  private Admission admit(String streamName, Function<UnaryOperator<Rejection>, Outcome<CloudEvent>> read,
      Iterable<Map.Entry<String, String>> headers, Supplier<CostMeter> meters) {
    RegistryState state = registry.state();
    Outcome<StreamDefinition> stream = stream(state, streamName);
    if (stream instanceof Outcome.Rejected<StreamDefinition> r) {
      return new Admission(UNKNOWN, UNKNOWN, r.as());
    }
    StreamDefinition def = ((Outcome.Ok<StreamDefinition>) stream).value();

    Outcome<CloudEvent> event = read.apply(rejection -> withheld(state, def, rejection));
    if (event instanceof Outcome.Rejected<CloudEvent> r) {
      return new Admission(def.name(), UNKNOWN, r.as());
    }
    CloudEvent ok = ((Outcome.Ok<CloudEvent>) event).value();
    return admitEvent(state, def, ok, TraceContext.fromHeaders(headers), meters).withEvent(ok);
  }

  /** Admits a batch, each event validating within the per-event ceiling. */
  public BatchAdmission admitBatch(String streamName, HttpEventRequest request) {
    return admitBatch(streamName, request, CostMeter::forOneEvent);
  }

  /** Admits a batch; each event validates through the meter {@code meters} supplies when it gets there. */
  public BatchAdmission admitBatch(String streamName, HttpEventRequest request, Supplier<CostMeter> meters) {
    RegistryState state = registry.state();
    Outcome<StreamDefinition> stream = stream(state, streamName);
    if (stream instanceof Outcome.Rejected<StreamDefinition> r) {
      return new BatchAdmission(UNKNOWN, r.as());
    }
    StreamDefinition def = ((Outcome.Ok<StreamDefinition>) stream).value();

    Outcome<List<CloudEventHttpReader.BatchItem>> read = reader.readBatch(request);
    if (read instanceof Outcome.Rejected<List<CloudEventHttpReader.BatchItem>> r) {
      return new BatchAdmission(def.name(), Outcome.rejected(withheld(state, def, r.rejection())));
    }
    Optional<TraceContext> trace = TraceContext.fromHeaders(request.headers());
    List<BatchItemAdmission> items = new ArrayList<>();
    for (CloudEventHttpReader.BatchItem item : ((Outcome.Ok<List<CloudEventHttpReader.BatchItem>>) read).value()) {
      Admission a = item.event() instanceof Outcome.Ok<CloudEvent> ok
          ? admitEvent(state, def, ok.value(), trace, meters).withEvent(ok.value())
          : new Admission(def.name(), UNKNOWN, ((Outcome.Rejected<CloudEvent>) item.event()).as());
      items.add(new BatchItemAdmission(item.index(), item.id(), a));
    }
    return new BatchAdmission(def.name(), Outcome.ok(List.copyOf(items)));
  }

  /** The metrics label for a stream name taken from a request path. */
  public String streamLabel(String streamName) {
    return streamName != null && registry.state().stream(streamName).isPresent() ? streamName : UNKNOWN;
  }

  /** Steps 3 to 7 of the chain, for one well-formed event. */
  private Admission admitEvent(RegistryState state, StreamDefinition def, CloudEvent event,
      Optional<TraceContext> trace, Supplier<CostMeter> meters) {
    Outcome<EventTypeBinding> type = acceptedType(def, event);
    if (type instanceof Outcome.Rejected<EventTypeBinding> r) {
      return new Admission(def.name(), UNKNOWN, r.as());
    }
    EventTypeBinding binding = ((Outcome.Ok<EventTypeBinding>) type).value();
    // From here on the type is one the stream accepts, so it is a bounded label.
    Outcome<SchemaVersion> schema = partitionKeyExtensionAllowed(def, binding, event)
        .flatMap(ignored -> SchemaSelection.select(state, event));
    if (schema instanceof Outcome.Rejected<SchemaVersion> r) {
      return new Admission(def.name(), binding.type(), r.as());
    }
    SchemaVersion version = ((Outcome.Ok<SchemaVersion>) schema).value();

    // A version that marks values locates them in the validation's own parse of the data, not in a second one.
    Optional<MarkedLocations.Tracker> tracker = version.marks().any()
        ? Optional.of(MarkedLocations.tracker(version.marks(), event.data())) : Optional.empty();
    long started = nanoTime.getAsLong();
    Outcome<Object> data = conformingData(version, event, meters.get(), tracker);
    long validationNanos = nanoTime.getAsLong() - started;

    Outcome<AdmittedEvent> outcome = data
        .flatMap(parsed -> partitionKey(def, binding, event, parsed))
        .flatMap(key -> markedData(version, event, tracker).map(marked ->
            new AdmittedEvent(def, binding, event, key, version, headers(version, trace), marked)));
    return new Admission(def.name(), binding.type(), outcome, OptionalLong.of(validationNanos));
  }

  static Outcome<StreamDefinition> stream(RegistryState state, String name) {
    return state.stream(name)
        .<Outcome<StreamDefinition>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(new Rejection.UnknownStream(name)));
  }

  static Outcome<EventTypeBinding> acceptedType(StreamDefinition stream, CloudEvent event) {
    return stream.type(event.type())
        .<Outcome<EventTypeBinding>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(
            new Rejection.TypeNotAccepted(stream.name(), event.type(), stream.types().keySet())));
  }

  /**
   * A producer may choose the Kafka key only on streams that allow it: elsewhere the key is the type's pointer into
   * the data, which consumers rely on for per-entity ordering. Silently ignoring the extension would append the event
   * under another key than the producer meant, so it is refused instead.
   */
  static Outcome<Boolean> partitionKeyExtensionAllowed(
      StreamDefinition stream, EventTypeBinding binding, CloudEvent event) {
    if (event.extensions().containsKey(PARTITION_KEY_EXTENSION) && !stream.partitionKeyExtension()) {
      return Outcome.rejected(
          new Rejection.PartitionKeyExtensionNotAllowed(stream.name(), binding.type(), binding.eventPointer()));
    }
    return Outcome.ok(Boolean.TRUE);
  }

  /** Returns the parsed data (as org.json values) so the partition key is read without parsing again. */
  static Outcome<Object> conformingData(SchemaVersion version, CloudEvent event, CostMeter meter,
      Optional<MarkedLocations.Tracker> tracker) {
    Validation v = tracker.isPresent() ? version.validate(event.data(), meter, tracker.get())
        : version.validate(event.data(), meter);
    if (v instanceof Validation.Valid valid) {
      return Outcome.ok(valid.parsed());
    }
    if (v instanceof Validation.Invalid invalid) {
      return Outcome.rejected(new Rejection.SchemaViolation(version.type(), version.version(), invalid.violations()));
    }
    if (v instanceof Validation.Malformed malformed) {
      return Outcome.rejected(new Rejection.MalformedData(malformed.message()));
    }
    // A SchemaVersion validates only against itself; an unknown type cannot come back from it.
    return Outcome.rejected(new Rejection.NoSchema(version.type()));
  }

  /** The {@code partitionkey} extension where the stream allows it and the event has it; else the type's pointer. */
  static Outcome<String> partitionKey(
      StreamDefinition stream, EventTypeBinding binding, CloudEvent event, Object parsedData) {
    String extension = event.extensions().get(PARTITION_KEY_EXTENSION);
    if (stream.partitionKeyExtension() && extension != null) {
      return extension.isEmpty()
          ? Outcome.rejected(new Rejection.MissingPartitionKey(binding.type(), "/" + PARTITION_KEY_EXTENSION))
          : Outcome.ok(extension);
    }
    return SchemaRegistry.partitionKey(parsedData, binding.partitionKeyPointer())
        .<Outcome<String>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(new Rejection.MissingPartitionKey(binding.type(), binding.eventPointer())));
  }

  /**
   * For a version that marks values sensitive, where they stand in the data and whose they are: the data subject its
   * schema names must be usable, since those values will be sealed with the subject's key. Versions that mark nothing
   * skip this at no cost. The values are those {@code tracker} found during validation when given, else located now.
   */
  static Outcome<Optional<MarkedData>> markedData(SchemaVersion version, CloudEvent event,
      Optional<MarkedLocations.Tracker> tracker) {
    SensitiveMarks marks = version.marks();
    if (!marks.any()) {
      return Outcome.ok(Optional.empty());
    }
    Optional<MarkedLocations.Located> located = tracker.isPresent() ? tracker.get().located()
        : MarkedLocations.locate(marks, event.data());
    DataSubject subject = located.map(MarkedLocations.Located::subject)
        .orElseGet(() -> new DataSubject.Invalid("cannot be read"));
    if (subject instanceof DataSubject.Valid valid) {
      if (!SubjectRef.isValidSubject(valid.value())) {
        // The key table counts UTF-16 code units where the schema rule counts code points: refuse what it cannot key.
        subject = new DataSubject.Invalid("is longer than " + SubjectRef.MAX_SUBJECT_LENGTH + " UTF-16 code units");
      } else {
        return Outcome.ok(Optional.of(new MarkedData(valid.value(), located.get().values())));
      }
    }
    return Outcome.rejected(new Rejection.InvalidDataSubject(version.type(), "/data" + marks.subject().orElse(""),
        ((DataSubject.Invalid) subject).reason()));
  }

  /**
   * A body that is not JSON is described by the parser's own message, which quotes the token it stopped at. On a
   * stream where some version of an accepted type marks values sensitive, that token may be a piece of one, so only
   * where the body broke is said.
   */
  static Rejection withheld(RegistryState state, StreamDefinition stream, Rejection rejection) {
    if (rejection instanceof Rejection.Malformed malformed && marksValues(state, stream)) {
      return malformed.withoutExcerpt();
    }
    return rejection;
  }

  /** Whether some version of a type {@code stream} accepts marks values sensitive. */
  public static boolean marksValues(RegistryState state, StreamDefinition stream) {
    return stream.types().keySet().stream()
        .flatMap(type -> state.versions(type).stream())
        .anyMatch(v -> v.marks().any());
  }

  private static List<KafkaHeader> headers(SchemaVersion version, Optional<TraceContext> trace) {
    List<KafkaHeader> out = new ArrayList<>(3);
    out.add(KafkaHeader.of(SCHEMA_VERSION_HEADER, Integer.toString(version.version())));
    trace.ifPresent(t -> out.addAll(t.kafkaHeaders()));
    return out;
  }
}

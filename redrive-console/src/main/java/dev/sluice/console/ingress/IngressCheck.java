package dev.sluice.console.ingress;

import dev.sluice.console.ingress.CapturedRequest.Decoded;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventChecks;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a decoded ingress reject exactly as ingest would before it may be appended, as a chain of small checks whose
 * first refusal ends it (the gateway's {@code EventAdmission} order):
 *
 * <ol>
 *   <li>the request was read as a CloudEvent, and its attributes keep the CloudEvents rules;
 *   <li>a stream still writes to the item's topic;
 *   <li>that stream accepts the event's type;
 *   <li>a {@code partitionkey} extension is only present if the stream allows it;
 *   <li>the schema version exists: the one {@code dataschema} pins ({@code <any prefix>/v1/schemas/{type}/versions/{n}}),
 *       else the latest;
 *   <li>the data conforms to that version;
 *   <li>there is a partition key: the {@code partitionkey} extension where allowed and present, else the value at the
 *       type's pointer into the data.
 * </ol>
 *
 * <p>Pure and thread-safe: no I/O; one registry snapshot per check, given by the caller. Validation is CPU work bounded
 * by the console's body limit, fine on the event loop.
 */
public final class IngressCheck {
  /** The CloudEvents extension by which a producer sets the Kafka key itself (Kafka protocol binding). */
  public static final String PARTITION_KEY_EXTENSION = "partitionkey";
  static final String PIN_FORM = "<any prefix>/v1/schemas/{type}/versions/{n}";
  private static final Pattern PIN = Pattern.compile("(?:^|.*/)v1/schemas/([^/]+)/versions/([^/]*)");
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

  private IngressCheck() {}

  /** The verdict on one decoded reject. */
  public sealed interface Verdict {}

  /**
   * Cleared for appending: everything the append needs.
   *
   * @param schema the version the data was validated against; recorded in the {@code sluice-schema-version} header
   */
  public record Appendable(
      StreamDefinition stream, EventTypeBinding binding, CloudEvent event, String partitionKey, SchemaVersion schema)
      implements Verdict {
    public Appendable {
      Objects.requireNonNull(stream, "stream");
      Objects.requireNonNull(binding, "binding");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(partitionKey, "partitionKey");
      Objects.requireNonNull(schema, "schema");
    }

    /** The record value in binary content mode: the data as UTF-8. */
    public byte[] value() {
      return event.data().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The record headers, as the gateway writes them: the CloudEvents binding's {@code ce_*} and
     * {@code content-type}, then the schema version, then any extra ones (the trace context).
     */
    public List<KafkaHeader> headers(List<KafkaHeader> extra) {
      List<KafkaHeader> out = new ArrayList<>(CloudEventKafkaBinding.headers(event));
      out.add(KafkaHeader.of(CloudEventKafkaBinding.SCHEMA_VERSION, Integer.toString(schema.version())));
      out.addAll(extra);
      return List.copyOf(out);
    }
  }

  /** Would be refused at ingress. */
  public record Refused(IngressRefusal refusal) implements Verdict {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
    }
  }

  /**
   * @param state one registry snapshot, used for every step
   * @param topic the topic the item was meant for (an ingress item keeps its stream's topic)
   */
  public static Verdict check(RegistryState state, String topic, Decoded decoded) {
    if (decoded instanceof Decoded.Unreadable u) {
      return refused(new IngressRefusal.Unreadable(u.detail()));
    }
    Decoded.Event read = (Decoded.Event) decoded;
    CloudEvent event = read.event();
    List<Violation> attributeViolations = attributeViolations(read);
    if (!attributeViolations.isEmpty()) {
      return refused(new IngressRefusal.InvalidAttributes(attributeViolations));
    }
    Optional<StreamDefinition> found = state.catalog().streamForTopic(topic);
    if (found.isEmpty()) {
      return refused(new IngressRefusal.NoStreamForTopic(topic));
    }
    StreamDefinition stream = found.get();
    Optional<EventTypeBinding> accepted = stream.type(event.type());
    if (accepted.isEmpty()) {
      return refused(new IngressRefusal.TypeNotAccepted(stream.name(), event.type(), stream.types().keySet()));
    }
    EventTypeBinding binding = accepted.get();
    if (event.extensions().containsKey(PARTITION_KEY_EXTENSION) && !stream.partitionKeyExtension()) {
      return refused(
          new IngressRefusal.PartitionKeyExtensionNotAllowed(stream.name(), binding.type(), binding.eventPointer()));
    }
    SchemaChoice choice = schema(state, event);
    if (choice.refusal() != null) {
      return refused(choice.refusal());
    }
    SchemaVersion schema = choice.version();
    Validation validation = schema.validate(event.data());
    if (validation instanceof Validation.Invalid invalid) {
      return refused(new IngressRefusal.SchemaViolation(schema.type(), schema.version(), invalid.violations()));
    }
    if (validation instanceof Validation.Malformed malformed) {
      return refused(new IngressRefusal.MalformedData("the event's data is not valid JSON: " + malformed.message()));
    }
    if (!(validation instanceof Validation.Valid valid)) {
      // A SchemaVersion validates only against itself; an unknown type cannot come back from it.
      return refused(new IngressRefusal.NoSchema(schema.type()));
    }
    return partitionKey(stream, binding, event, valid.parsed())
        .<Verdict>map(key -> new Appendable(stream, binding, event, key, schema))
        .orElseGet(() -> refused(new IngressRefusal.MissingPartitionKey(binding.type(),
            stream.partitionKeyExtension() && event.extensions().containsKey(PARTITION_KEY_EXTENSION)
                ? "/" + PARTITION_KEY_EXTENSION
                : binding.eventPointer())));
  }

  /** The reader's violations, then the CloudEvents rules; one violation per pointer, the reader's first. */
  private static List<Violation> attributeViolations(Decoded.Event read) {
    List<Violation> all = new ArrayList<>(read.readViolations());
    Set<String> pointers = new HashSet<>();
    all.forEach(v -> pointers.add(v.pointer()));
    for (Violation v : CloudEventChecks.check(read.event())) {
      if (pointers.add(v.pointer())) {
        all.add(v);
      }
    }
    return all;
  }

  /** The schema version to validate against, or why there is none: exactly one of the two is set. */
  private record SchemaChoice(SchemaVersion version, IngressRefusal refusal) {
    static SchemaChoice of(SchemaVersion version) {
      return new SchemaChoice(version, null);
    }

    static SchemaChoice refusedBy(IngressRefusal refusal) {
      return new SchemaChoice(null, refusal);
    }
  }

  /** The version {@code dataschema} pins, else the type's latest (the gateway's {@code SchemaSelection}). */
  private static SchemaChoice schema(RegistryState state, CloudEvent event) {
    String dataschema = event.dataschema();
    if (dataschema == null || dataschema.isEmpty()) {
      return state.latest(event.type())
          .map(SchemaChoice::of)
          .orElseGet(() -> SchemaChoice.refusedBy(new IngressRefusal.NoSchema(event.type())));
    }
    Optional<Matcher> pin = pinPath(dataschema);
    if (pin.isEmpty()) {
      return unsupported(dataschema, "dataschema must name a version in the registry, of the form " + PIN_FORM
          + ", or be left out to validate against the latest version");
    }
    String type = CapturedRequest.percentDecode(pin.get().group(1));
    String number = pin.get().group(2);
    if (type == null) {
      return unsupported(dataschema, "the type in dataschema is not valid percent-encoded UTF-8");
    }
    if (!type.equals(event.type())) {
      return unsupported(dataschema, "dataschema pins a version of type '" + type + "', but the event's type is '"
          + event.type() + "'");
    }
    if (!VERSION.matcher(number).matches()) {
      return unsupported(dataschema, "the version in dataschema must be a version number (1, 2, ...), was '"
          + number + "'");
    }
    int version = Integer.parseInt(number);
    return state.version(type, version)
        .map(SchemaChoice::of)
        .orElseGet(() -> SchemaChoice.refusedBy(new IngressRefusal.UnknownSchemaVersion(
            type, version, state.latest(type).map(SchemaVersion::version).orElse(0))));
  }

  private static Optional<Matcher> pinPath(String dataschema) {
    String path;
    try {
      path = new URI(dataschema).getRawPath();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (path == null) {
      return Optional.empty(); // an opaque URI such as urn:...
    }
    Matcher m = PIN.matcher(path);
    return m.matches() ? Optional.of(m) : Optional.empty();
  }

  /** The {@code partitionkey} extension where the stream allows it and the event has it; else the type's pointer. */
  private static Optional<String> partitionKey(
      StreamDefinition stream, EventTypeBinding binding, CloudEvent event, Object parsedData) {
    String extension = event.extensions().get(PARTITION_KEY_EXTENSION);
    if (stream.partitionKeyExtension() && extension != null) {
      return extension.isEmpty() ? Optional.empty() : Optional.of(extension);
    }
    return SchemaRegistry.partitionKey(parsedData, binding.partitionKeyPointer());
  }

  private static SchemaChoice unsupported(String dataschema, String detail) {
    return SchemaChoice.refusedBy(new IngressRefusal.UnsupportedDataschema(dataschema, detail));
  }

  private static Refused refused(IngressRefusal refusal) {
    return new Refused(refusal);
  }
}

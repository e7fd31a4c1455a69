package dev.sluice.ingest.admit;

import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which registered schema version an event is validated against: the one its {@code dataschema} attribute pins, or
 * the type's latest version when it has none.
 *
 * <p>A pin is a URI (absolute, or just a path) whose path ends in {@code /v1/schemas/{type}/versions/{n}}, the
 * registry API's address of that version, e.g. {@code https://sluice.example/v1/schemas/retail.product.created/versions/2}
 * or {@code /v1/schemas/retail.product.created/versions/2}. Whatever comes before {@code /v1/} is not looked at, so a
 * pin stays valid behind any host name or proxy prefix. Any other {@code dataschema} is refused: the gateway would
 * otherwise claim to have checked a schema it never saw.
 */
public final class SchemaSelection {
  static final String FORM = "<any prefix>/v1/schemas/{type}/versions/{n}";
  private static final Pattern PIN = Pattern.compile("(?:^|.*/)v1/schemas/([^/]+)/versions/([^/]*)");
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

  private SchemaSelection() {}

  /** The version to validate the event against, from one registry snapshot. */
  public static Outcome<SchemaVersion> select(RegistryState state, CloudEvent event) {
    String dataschema = event.dataschema();
    if (dataschema == null || dataschema.isEmpty()) {
      return state.latest(event.type())
          .<Outcome<SchemaVersion>>map(Outcome::ok)
          .orElseGet(() -> Outcome.rejected(new Rejection.NoSchema(event.type())));
    }
    Optional<Matcher> pin = pinPath(dataschema);
    if (pin.isEmpty()) {
      return unsupported(dataschema, "dataschema must name a version in the registry, of the form " + FORM
          + ", or be left out to validate against the latest version");
    }
    String type = CloudEventHttpReader.percentDecode(pin.get().group(1));
    String number = pin.get().group(2);
    if (type == null) {
      return unsupported(dataschema, "the type in dataschema is not valid percent-encoded UTF-8");
    }
    if (!type.equals(event.type())) {
      return unsupported(dataschema, "dataschema pins a version of type '" + type + "', but the event's type is '"
          + event.type() + "'; pin a version of " + FORM.replace("{type}", event.type()));
    }
    if (!VERSION.matcher(number).matches()) {
      return unsupported(dataschema, "the version in dataschema must be a version number (1, 2, ...), was '"
          + number + "'");
    }
    int version = Integer.parseInt(number);
    return state.version(type, version)
        .<Outcome<SchemaVersion>>map(Outcome::ok)
        .orElseGet(() -> Outcome.rejected(new Rejection.UnknownSchemaVersion(
            type, version, state.latest(type).map(SchemaVersion::version).orElse(0))));
  }

  private static Optional<Matcher> pinPath(String dataschema) {
    String path;
    try {
      path = new URI(dataschema).getRawPath();
    } catch (URISyntaxException e) {
      return Optional.empty(); // CloudEventChecks refuses these before; kept total for direct callers
    }
    if (path == null) {
      return Optional.empty(); // an opaque URI such as urn:...
    }
    Matcher m = PIN.matcher(path);
    return m.matches() ? Optional.of(m) : Optional.empty();
  }

  private static Outcome<SchemaVersion> unsupported(String dataschema, String detail) {
    return Outcome.rejected(new Rejection.UnsupportedDataschema(dataschema, detail));
  }
}

package dev.sluice.schemas.event;

import dev.sluice.schemas.Violation;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The CloudEvents 1.0 rules on attributes, as a list of violations with pointers into the event. */
public final class CloudEventChecks {
  public static final String SPEC_VERSION = "1.0";

  /** Names reserved by the spec; every other attribute is an extension. */
  public static final Set<String> CONTEXT_ATTRIBUTES =
      Set.of("specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time");

  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

  private CloudEventChecks() {}

  public static List<Violation> check(CloudEvent e) {
    List<Violation> out = new ArrayList<>();
    if (!SPEC_VERSION.equals(e.specversion())) {
      out.add(e.specversion() == null
          ? missing("specversion")
          : new Violation("/specversion", "specversion", "specversion must be \"1.0\", was \"" + e.specversion() + "\""));
    }
    requireNonEmpty(out, "id", e.id());
    requireNonEmpty(out, "type", e.type());
    if (requireNonEmpty(out, "source", e.source())) {
      if (!isUriReference(e.source())) {
        out.add(new Violation("/source", "format", "source must be a URI-reference"));
      }
    }
    if (e.dataschema() != null && !isUriReference(e.dataschema())) {
      out.add(new Violation("/dataschema", "format", "dataschema must be a URI"));
    }
    if (e.time() != null) {
      try {
        OffsetDateTime.parse(e.time());
      } catch (DateTimeParseException ex) {
        out.add(new Violation("/time", "format", "time must be an RFC 3339 timestamp"));
      }
    }
    if (e.datacontenttype() != null && !isJsonContentType(e.datacontenttype())) {
      out.add(new Violation("/datacontenttype", "datacontenttype",
          "only JSON data is accepted (application/json or a +json type), was " + e.datacontenttype()));
    }
    for (String name : e.extensions().keySet()) {
      if (!EXTENSION_NAME.matcher(name).matches()) {
        out.add(new Violation("/" + name, "extension",
            "extension attribute names are lower-case letters and digits, at most 20 characters"));
      }
    }
    return out;
  }

  public static boolean isJsonContentType(String contentType) {
    String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
  }

  private static boolean requireNonEmpty(List<Violation> out, String name, String value) {
    if (value == null) {
      out.add(missing(name));
      return false;
    }
    if (value.isEmpty()) {
      out.add(new Violation("/" + name, "minLength", name + " must not be empty"));
      return false;
    }
    return true;
  }

  private static Violation missing(String name) {
    return new Violation("/" + name, "required", "the CloudEvents attribute " + name + " is required");
  }

  private static boolean isUriReference(String s) {
    try {
      new URI(s);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}

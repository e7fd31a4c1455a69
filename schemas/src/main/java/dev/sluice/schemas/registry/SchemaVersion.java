package dev.sluice.schemas.registry;

import dev.sluice.schemas.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;

/**
 * One registered version of an event type's schema, compiled once.
 *
 * @param fingerprint SHA-256 of the canonical form of {@code schemaJson}: posting the same schema twice finds it
 */
public record SchemaVersion(String type, int version, String schemaJson, String fingerprint, Schema compiled) {
  public SchemaVersion {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(schemaJson, "schemaJson");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(compiled, "compiled");
    if (version < 1) {
      throw new IllegalArgumentException("schema versions start at 1, was " + version);
    }
  }

  /** Validates the JSON text of an event's {@code data}. Violation pointers are rooted at the event ({@code /data/...}). */
  public Validation validate(String dataJson) {
    Object parsed;
    try {
      parsed = JsonValues.parse(dataJson);
    } catch (JsonValues.MalformedJsonException e) {
      return new Validation.Malformed(e.getMessage());
    }
    return validateParsed(parsed);
  }

  /** Validates an already parsed org.json value. */
  public Validation validateParsed(Object parsed) {
    try {
      compiled.validate(parsed);
      return new Validation.Valid(parsed);
    } catch (ValidationException e) {
      List<Violation> out = new ArrayList<>();
      flatten(e, out);
      return new Validation.Invalid(out);
    }
  }

  /** everit nests failures; the leaves are the individual violations. */
  private static void flatten(ValidationException e, List<Violation> out) {
    if (e.getCausingExceptions().isEmpty()) {
      out.add(toViolation(e));
      return;
    }
    for (ValidationException cause : e.getCausingExceptions()) {
      flatten(cause, out);
    }
  }

  private static Violation toViolation(ValidationException e) {
    String pointer = "/data" + e.getPointerToViolation().replaceFirst("^#", "");
    String keyword = e.getKeyword() == null ? "schema" : e.getKeyword();
    if ("required".equals(keyword)) {
      // everit points at the object; point at the missing member instead, where the fix goes.
      String missing = e.getErrorMessage().replaceFirst("^required key \\[(.*)\\] not found$", "$1");
      if (!missing.equals(e.getErrorMessage())) {
        pointer = pointer + "/" + missing.replace("~", "~0").replace("/", "~1");
      }
    }
    return new Violation(pointer, keyword, e.getErrorMessage());
  }
}

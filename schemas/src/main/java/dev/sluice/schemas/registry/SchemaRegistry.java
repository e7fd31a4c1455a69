package dev.sluice.schemas.registry;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.CatalogException;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONPointer;
import org.json.JSONPointerException;
import org.json.JSONTokener;

/**
 * Loads every event type's JSON Schema (draft-07) once, compiles it once, and validates {@code data} against it.
 *
 * <p>Thread-safe and immutable after construction: compiled everit schemas are safe to share, so one registry serves
 * every event loop of the gateway and every consumer wrapper.
 */
public final class SchemaRegistry {
  private static final String SCHEMA_DIR = "sluice/schemas/";

  private final Map<String, Schema> compiled;

  private SchemaRegistry(Map<String, Schema> compiled) {
    this.compiled = Map.copyOf(compiled);
  }

  /** Compiles the schema of every type in the catalog, failing fast (at start-up) on any broken schema file. */
  public static SchemaRegistry fromCatalog(StreamCatalog catalog) {
    Map<String, Schema> compiled = new HashMap<>();
    for (StreamDefinition stream : catalog.streams()) {
      for (EventTypeBinding binding : stream.types().values()) {
        String resource = SCHEMA_DIR + binding.schemaResource();
        compiled.computeIfAbsent(binding.type(), t -> compile(t, StreamCatalog.readResource(resource)));
      }
    }
    return new SchemaRegistry(compiled);
  }

  /**
   * Compiles one schema. Remote references are refused (the registry never opens a URL or file: no SSRF), and
   * {@code pattern} runs on RE2J, whose matching time is linear in the input: no catastrophic backtracking.
   */
  static Schema compile(String type, String schemaJson) {
    try {
      JSONObject raw = new JSONObject(new JSONTokener(schemaJson));
      return SchemaLoader.builder()
          .draftV7Support()
          .schemaJson(raw)
          .regexpFactory(new RE2JRegexpFactory())
          .schemaClient(url -> {
            throw new java.io.UncheckedIOException(new IOException("remote $ref is not allowed: " + url));
          })
          .build()
          .load()
          .build();
    } catch (RuntimeException e) {
      throw new CatalogException("schema of " + type + " does not compile: " + e.getMessage(), e);
    }
  }

  public Set<String> types() {
    return compiled.keySet();
  }

  public boolean knows(String type) {
    return compiled.containsKey(type);
  }

  /** Validates the JSON text of an event's {@code data}. Violation pointers are rooted at the event ({@code /data/...}). */
  public Validation validate(String type, String dataJson) {
    Schema schema = compiled.get(type);
    if (schema == null) {
      return new Validation.UnknownType(type);
    }
    Object parsed;
    try {
      JSONTokener tokener = new JSONTokener(dataJson);
      parsed = tokener.nextValue();
      if (tokener.nextClean() != 0) {
        return new Validation.Malformed("unexpected content after the JSON value");
      }
    } catch (JSONException e) {
      return new Validation.Malformed(e.getMessage());
    }
    return validateParsed(schema, parsed);
  }

  private static Validation validateParsed(Schema schema, Object parsed) {
    try {
      schema.validate(parsed);
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

  /**
   * Reads the partition key out of validated data. Only strings and numbers make keys; anything else is absent.
   *
   * @param pointer a JSON pointer into {@code data}, e.g. {@code /id}
   */
  public static Optional<String> partitionKey(Object parsedData, String pointer) {
    try {
      Object v = new JSONPointer(pointer).queryFrom(parsedData);
      if (v instanceof String s && !s.isEmpty()) {
        return Optional.of(s);
      }
      if (v instanceof Number n) {
        return Optional.of(n.toString());
      }
      return Optional.empty();
    } catch (JSONPointerException e) {
      return Optional.empty();
    }
  }
}

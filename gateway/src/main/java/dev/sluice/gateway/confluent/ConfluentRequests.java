package dev.sluice.gateway.confluent;

import dev.sluice.gateway.registry.RegistryJson;
import dev.sluice.ingest.problem.Failure;
import dev.sluice.schemas.registry.Compatibility;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the Confluent-compatible API's requests: bodies and path segments, into values or {@link ConfluentError}s.
 * Pure and stateless. Bodies are read as strictly as the registry's own API reads them ({@link RegistryJson}: declared
 * JSON, valid UTF-8, no duplicate members, bounded depth), and so is the schema text inside them.
 */
public final class ConfluentRequests {
  /** The schema type this registry takes. Confluent's default when a request names none is AVRO. */
  public static final String JSON = "JSON";
  private static final String DEFAULT_SCHEMA_TYPE = "AVRO";
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");
  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,9}");

  private ConfluentRequests() {}

  /** A request read into {@code T}, or why it could not be. */
  public sealed interface Read<T> {
    record Ok<T>(T value) implements Read<T> {}

    record Failed<T>(ConfluentError error) implements Read<T> {}
  }

  /** A version path segment: a number, or the latest ({@code latest} or {@code -1}). */
  public record VersionRef(boolean latest, int number) {
    public static final VersionRef LATEST = new VersionRef(true, 0);

    @Override
    public String toString() {
      return latest ? "latest" : Integer.toString(number);
    }
  }

  /**
   * The schema text of a {@code {"schema": "...", "schemaType": "JSON", "references": []}} body. Refused with 42201:
   * another (or no) {@code schemaType}, references, or a schema text that is not one well-formed JSON value; with 413
   * a schema text over {@code maxSchemaBytes}. Other members ({@code metadata}, {@code ruleSet}...) are ignored.
   */
  public static Read<String> schema(String contentType, Buffer body, long maxSchemaBytes) {
    Read<JsonObject> object = object(contentType, body);
    if (object instanceof Read.Failed<JsonObject> f) {
      return new Read.Failed<>(f.error());
    }
    JsonObject o = ((Read.Ok<JsonObject>) object).value();
    Object type = o.getValue("schemaType");
    if (type != null && !(type instanceof String)) {
      return invalid("schemaType must be a string");
    }
    String schemaType = type == null ? DEFAULT_SCHEMA_TYPE : (String) type;
    if (!JSON.equals(schemaType.toUpperCase(Locale.ROOT))) {
      return invalid("schema type " + schemaType + (type == null ? " (the default, as no schemaType was given)" : "")
          + " is not supported: this registry takes JSON schemas only (\"schemaType\": \"JSON\")");
    }
    Object references = o.getValue("references");
    if (references != null && !(references instanceof JsonArray a && a.isEmpty())) {
      return invalid("schema references are not supported: a schema refers only within itself (local $ref)");
    }
    if (!(o.getValue("schema") instanceof String schema)) {
      return invalid("the body must have the schema text as a string member \"schema\"");
    }
    byte[] bytes = schema.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxSchemaBytes) {
      return new Read.Failed<>(ConfluentError.http(413, "the schema is " + bytes.length + " bytes; at most "
          + maxSchemaBytes + " are accepted"));
    }
    RegistryJson.Parsed<String> text = RegistryJson.schemaBody("application/json", Buffer.buffer(bytes));
    if (text instanceof RegistryJson.Parsed.Failed<String> f) {
      return invalid("the schema is not one well-formed JSON value: " + f.failure().detail());
    }
    return new Read.Ok<>(schema);
  }

  /** {@code {"compatibility": "FULL"}} (PUT /config); another level, or none, is 42203. */
  public static Read<Compatibility> compatibility(String contentType, Buffer body) {
    Read<JsonObject> object = object(contentType, body);
    if (object instanceof Read.Failed<JsonObject> f) {
      return new Read.Failed<>(f.error());
    }
    Object level = ((Read.Ok<JsonObject>) object).value().getValue("compatibility");
    String allowed = Arrays.stream(Compatibility.values()).map(Enum::name).collect(Collectors.joining(", "));
    if (level instanceof String s) {
      try {
        return new Read.Ok<>(Compatibility.valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        // not a level: answered below
      }
    }
    return new Read.Failed<>(ConfluentError.invalidCompatibilityLevel(
        "\"compatibility\" must be one of " + allowed + ", was " + level));
  }

  /** A version segment: {@code latest}, {@code -1}, or 1 to 2^31-1; anything else is 42202. */
  public static Read<VersionRef> version(String raw) {
    if ("latest".equals(raw) || "-1".equals(raw)) {
      return new Read.Ok<>(VersionRef.LATEST);
    }
    if (raw != null && VERSION.matcher(raw).matches() && Long.parseLong(raw) <= Integer.MAX_VALUE) {
      return new Read.Ok<>(new VersionRef(false, Integer.parseInt(raw)));
    }
    return new Read.Failed<>(ConfluentError.invalidVersion(String.valueOf(raw)));
  }

  /** A schema id segment: 1 to 2^31-1; anything else names no schema (40403). */
  public static Read<Integer> id(String raw) {
    if (raw != null && ID.matcher(raw).matches() && Long.parseLong(raw) <= Integer.MAX_VALUE) {
      return new Read.Ok<>(Integer.parseInt(raw));
    }
    return new Read.Failed<>(ConfluentError.schemaNotFound("no schema has id '" + raw + "'"));
  }

  /** The body as one JSON object: 415 if not declared JSON, 400 if not well-formed, 422 if not an object. */
  private static Read<JsonObject> object(String contentType, Buffer body) {
    RegistryJson.Parsed<String> text = RegistryJson.jsonBody(contentType, body);
    if (text instanceof RegistryJson.Parsed.Failed<String> f) {
      return new Read.Failed<>(fromFailure(f.failure()));
    }
    String json = ((RegistryJson.Parsed.Ok<String>) text).value();
    return json.stripLeading().startsWith("{")
        ? new Read.Ok<>(new JsonObject(json))
        : new Read.Failed<>(ConfluentError.http(422, "the body must be a JSON object"));
  }

  /** A body fault shared with the registry's own API, told Confluent's way: its HTTP status as the code. */
  static ConfluentError fromFailure(Failure failure) {
    return ConfluentError.http(failure.problem().status(), Objects.requireNonNullElse(failure.detail(), ""));
  }

  private static <T> Read<T> invalid(String why) {
    return new Read.Failed<>(ConfluentError.invalidSchema(why));
  }
}

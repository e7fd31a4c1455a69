package dev.sluice.gateway.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.problem.Failure;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.Retention;
import dev.sluice.schemas.catalog.StreamAbout;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEventChecks;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaProblem;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.log.StreamProblem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * The registry API's JSON: reading request bodies (strictly, within limits, failures as values) and writing answers.
 * Pure and stateless.
 */
public final class RegistryJson {
  /**
   * Deepest nesting accepted in a schema body: the registration limit of {@code SchemaCompiler} (which answers a deeper
   * schema with 422 rule {@code json}; this parser says 400 first). Bounds the recursion of the org.json parser and
   * the schema loader that run after this check, so a deep body cannot overflow a stack.
   */
  public static final int SCHEMA_MAX_DEPTH = 256;
  /** Deepest nesting accepted in any other body (data to validate, settings, stream definitions), as for ingest. */
  public static final int MAX_DEPTH = 64;

  private static final JsonFactory SCHEMA_JSON = factory(SCHEMA_MAX_DEPTH);
  private static final JsonFactory JSON = factory(MAX_DEPTH);
  /** What the registry API takes. */
  static final String JSON_BODY = "the body as application/json (or a +json type)";
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");
  private static final Pattern TYPE_INDEX = Pattern.compile("^/types/(\\d+)(/.*)?$");

  private RegistryJson() {}

  private static JsonFactory factory(int maxDepth) {
    return JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
        .build();
  }

  /** A request body read into {@code T}, or why it could not be. */
  public sealed interface Parsed<T> {
    record Ok<T>(T value) implements Parsed<T> {}

    record Failed<T>(Failure failure) implements Parsed<T> {}
  }

  /** A stream definition and the order its types had in the body (problems point into the body). */
  public record ParsedStream(StreamDefinition definition, List<String> typeOrder) {
    public ParsedStream {
      Objects.requireNonNull(definition, "definition");
      typeOrder = List.copyOf(typeOrder);
    }
  }

  // -------------------------------------------------------------------------------------------------- reading

  /**
   * The body's text if it is declared as JSON ({@code application/json} or {@code +json}) and is exactly one
   * well-formed JSON value: valid UTF-8, no duplicate member names, at most {@value #MAX_DEPTH} levels deep, nothing
   * after it.
   */
  public static Parsed<String> jsonBody(String contentType, Buffer body) {
    return jsonBody(contentType, body, JSON);
  }

  /** {@link #jsonBody} for a schema document: up to {@value #SCHEMA_MAX_DEPTH} levels deep. */
  public static Parsed<String> schemaBody(String contentType, Buffer body) {
    return jsonBody(contentType, body, SCHEMA_JSON);
  }

  private static Parsed<String> jsonBody(String contentType, Buffer body, JsonFactory json) {
    if (contentType == null || !CloudEventChecks.isJsonContentType(contentType)) {
      return new Parsed.Failed<>(new Rejection.UnsupportedMediaType(contentType, JSON_BODY));
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return malformed("the body is not valid UTF-8");
    }
    try (JsonParser p = json.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return malformed("the body is empty: expected a JSON value");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        return malformed("unexpected content after the JSON value" + at(p.currentLocation()));
      }
      return new Parsed.Ok<>(text);
    } catch (JsonProcessingException e) {
      return malformed(e.getOriginalMessage() + at(e.getLocation()));
    } catch (IOException e) {
      return malformed("the body cannot be read as JSON");
    }
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /** A version path segment: a positive number or {@code latest}, of a type that has it. */
  public static Parsed<SchemaVersion> version(RegistryState state, String type, String raw) {
    if (state.latest(type).isEmpty()) {
      return new Parsed.Failed<>(new RegistryFailure.UnknownType(type));
    }
    Optional<SchemaVersion> v;
    if ("latest".equals(raw)) {
      v = state.latest(type);
    } else if (VERSION.matcher(raw).matches()) {
      v = state.version(type, Integer.parseInt(raw));
    } else {
      return new Parsed.Failed<>(new RegistryFailure.InvalidVersion(raw));
    }
    return v.<Parsed<SchemaVersion>>map(Parsed.Ok::new)
        .orElseGet(() -> new Parsed.Failed<>(new RegistryFailure.UnknownVersion(type, raw)));
  }

  /** {@code {"compatibility": "BACKWARD|..."}} from well-formed JSON text. */
  public static Parsed<Compatibility> compatibility(String json) {
    Object root = new JSONTokener(json).nextValue();
    String allowed = Arrays.stream(Compatibility.values()).map(Enum::name).collect(Collectors.joining(", "));
    if (!(root instanceof JSONObject o)) {
      return invalid("the body must be a JSON object: {\"compatibility\": \"...\"}",
          new Violation("", "type", "expected a JSON object"));
    }
    if (o.opt("compatibility") instanceof String s) {
      try {
        return new Parsed.Ok<>(Compatibility.valueOf(s));
      } catch (IllegalArgumentException e) {
        // not one of the names: answered below
      }
    }
    return invalid("compatibility must be one of " + allowed,
        new Violation("/compatibility", "enum", "must be one of " + allowed));
  }

  /**
   * A stream definition in the form of {@link StreamCatalog#toJson}, from well-formed JSON text. Its {@code name}
   * must be absent or equal to {@code pathName}; {@code topic} defaults to the name, {@code partitions} to 1,
   * {@code ordering} to KEY_ORDERED, {@code partitionKeyExtension} to false, {@code retention} to the deployment's.
   */
  public static Parsed<ParsedStream> stream(String pathName, String json) {
    Object root = new JSONTokener(json).nextValue();
    if (!(root instanceof JSONObject o)) {
      return invalid("the body must be a stream definition (a JSON object)",
          new Violation("", "type", "expected a JSON object"));
    }
    List<Violation> v = new ArrayList<>();
    if (o.has("name") && !pathName.equals(o.opt("name"))) {
      v.add(new Violation("/name", "const", "the name in the body must be absent or equal to the path's ('"
          + pathName + "')"));
    }
    if (o.has("topic") && !(o.opt("topic") instanceof String)) {
      v.add(new Violation("/topic", "type", "topic must be a string"));
    }
    if (o.has("partitions") && !(o.opt("partitions") instanceof Integer p && p >= 1)) {
      v.add(new Violation("/partitions", "minimum", "partitions must be an integer of at least 1"));
    }
    String orderings = Arrays.stream(OrderingPolicy.values()).map(Enum::name).collect(Collectors.joining(", "));
    if (o.has("ordering") && !(o.opt("ordering") instanceof String s && isOrdering(s))) {
      v.add(new Violation("/ordering", "enum", "ordering must be one of " + orderings));
    }
    if (o.has("partitionKeyExtension") && !(o.opt("partitionKeyExtension") instanceof Boolean)) {
      v.add(new Violation("/partitionKeyExtension", "type", "partitionKeyExtension must be true or false"));
    }
    if (o.has("retention")) {
      retentionProblem(o.opt("retention")).ifPresent(v::add);
    }
    aboutProblems(o, v);
    List<String> typeOrder = new ArrayList<>();
    if (!(o.opt("types") instanceof JSONArray types)) {
      v.add(new Violation("/types", "required", "types must be an array of {\"type\", \"partitionKey\"}"));
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < types.length(); i++) {
        String at = "/types/" + i;
        if (!(types.opt(i) instanceof JSONObject t)) {
          v.add(new Violation(at, "type", "expected {\"type\", \"partitionKey\"}"));
          continue;
        }
        if (!(t.opt("type") instanceof String type) || type.isEmpty()) {
          v.add(new Violation(at + "/type", "required", "type must be a non-empty string"));
        } else if (!seen.add(type)) {
          v.add(new Violation(at + "/type", "uniqueItems", "type '" + type + "' is listed twice"));
        } else {
          typeOrder.add(type);
        }
        if (!(t.opt("partitionKey") instanceof String key) || !key.startsWith("/")) {
          v.add(new Violation(at + "/partitionKey", "required",
              "partitionKey must be a JSON pointer into the event's data, e.g. /id"));
        }
        if (t.has("schema") && !(t.opt("schema") instanceof String)) {
          v.add(new Violation(at + "/schema", "type", "schema must be a string"));
        }
      }
    }
    if (!v.isEmpty()) {
      return new Parsed.Failed<>(new RegistryFailure.InvalidBody("the stream definition is invalid", v));
    }
    try {
      StreamDefinition d = StreamCatalog.parseStream(o.put("name", pathName));
      return new Parsed.Ok<>(new ParsedStream(d, typeOrder));
    } catch (JSONException | IllegalArgumentException e) {
      // Every rule parseStream enforces is checked above with a pointer; this is a safety net.
      return invalid("the stream definition is invalid: " + e.getMessage(),
          new Violation("", "stream", String.valueOf(e.getMessage())));
    }
  }

  /** The catalog parts of a stream definition ({@link StreamAbout}), each named at its pointer when wrong. */
  private static void aboutProblems(JSONObject o, List<Violation> v) {
    for (String name : List.of("owner", "contact", "description")) {
      if (!o.has(name)) {
        continue;
      }
      boolean description = name.equals("description");
      Optional<String> problem = o.opt(name) instanceof String text
          ? StreamAbout.textProblem(text, description ? StreamAbout.MAX_DESCRIPTION : StreamAbout.MAX_NAME,
              description)
          : Optional.of("must be a string");
      problem.ifPresent(p -> v.add(new Violation("/" + name, "type", name + " " + p)));
    }
    if (o.has("stalenessObjective")) {
      try {
        if (!(o.opt("stalenessObjective") instanceof String text)) {
          throw new IllegalArgumentException("stalenessObjective must be an ISO-8601 duration such as \"PT5M\"");
        }
        StreamAbout.parseObjective(text);
      } catch (IllegalArgumentException e) {
        v.add(new Violation("/stalenessObjective", "format", e.getMessage()));
      }
    }
  }

  /** {@code "forever"} or an ISO-8601 duration of at least an hour; anything else is named at {@code /retention}. */
  private static Optional<Violation> retentionProblem(Object value) {
    if (!(value instanceof String s)) {
      return Optional.of(new Violation("/retention", "type",
          "retention must be a string: \"forever\" or an ISO-8601 duration such as \"P30D\""));
    }
    try {
      Retention.parse(s);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(new Violation("/retention", "format", e.getMessage()));
    }
  }

  private static boolean isOrdering(String s) {
    return Arrays.stream(OrderingPolicy.values()).anyMatch(p -> p.name().equals(s));
  }

  /** A body that is not one well-formed JSON value: the same fault, and answer, as at ingest. */
  private static <T> Parsed<T> malformed(String detail) {
    return new Parsed.Failed<>(new Rejection.Malformed(detail, List.of()));
  }

  private static <T> Parsed<T> invalid(String detail, Violation violation) {
    return new Parsed.Failed<>(new RegistryFailure.InvalidBody(detail, List.of(violation)));
  }

  /**
   * Stream problems point into the canonical form (types sorted by name); re-point them into the body the client
   * sent, whose types may be in another order.
   */
  public static List<Violation> intoBody(List<StreamProblem> problems, ParsedStream parsed) {
    List<String> sorted = parsed.definition().types().keySet().stream().sorted().toList();
    List<Violation> out = new ArrayList<>();
    for (StreamProblem p : problems) {
      String pointer = p.pointer();
      Matcher m = TYPE_INDEX.matcher(pointer);
      if (m.matches()) {
        int canonical = Integer.parseInt(m.group(1));
        if (canonical < sorted.size()) {
          int inBody = parsed.typeOrder().indexOf(sorted.get(canonical));
          pointer = "/types/" + inBody + (m.group(2) == null ? "" : m.group(2));
        }
      }
      out.add(new Violation(pointer, p.rule(), p.message()));
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------- writing

  /** {@code {"types": [{"type", "latestVersion", "compatibility"}...]}}, sorted by type. */
  public static JsonObject types(RegistryState state) {
    JsonArray arr = new JsonArray();
    for (String type : state.types()) {
      arr.add(new JsonObject()
          .put("type", type)
          .put("latestVersion", state.latest(type).orElseThrow().version())
          .put("compatibility", state.compatibility(type).name()));
    }
    return new JsonObject().put("types", arr);
  }

  /** {@code {"type", "versions": [1, 2, ...]}}. */
  public static JsonObject versions(String type, List<SchemaVersion> versions) {
    JsonArray arr = new JsonArray();
    versions.forEach(v -> arr.add(v.version()));
    return new JsonObject().put("type", type).put("versions", arr);
  }

  /** {@code {"type", "version", "fingerprint", "schema": {...}}}. */
  public static JsonObject version(SchemaVersion v) {
    JsonObject out = registered(v).put("fingerprint", v.fingerprint()).put("schema", schemaObject(v.schemaJson()))
        .put("usable", v.usable());
    if (!v.usable()) {
      out.put("problems", schemaProblems(v.problems()));
    }
    return out;
  }

  /** Why a schema cannot be registered or used: {@code pointer}, {@code keyword} (the rule) and {@code message}. */
  public static JsonArray schemaProblems(List<SchemaProblem> problems) {
    return Problems.violations(asViolations(problems));
  }

  /** Schema problems as violations of the schema document: the rule is the keyword that failed. */
  public static List<Violation> asViolations(List<SchemaProblem> problems) {
    return problems.stream().map(p -> new Violation(p.pointer(), p.rule(), p.message())).toList();
  }

  /** {@code {"type", "version"}}: the answer to a registration. */
  public static JsonObject registered(SchemaVersion v) {
    return new JsonObject().put("type", v.type()).put("version", v.version());
  }

  /** The schema as stored, member order kept; via org.json for text that only its lenient parser reads. */
  private static JsonObject schemaObject(String schemaJson) {
    try {
      return new JsonObject(schemaJson);
    } catch (DecodeException e) {
      return new JsonObject(new JSONObject(schemaJson).toString());
    }
  }

  /** {@code {"type", "compatibility"}}. */
  public static JsonObject compatibility(String type, Compatibility level) {
    return new JsonObject().put("type", type).put("compatibility", level.name());
  }

  /** {@code {"valid", "version", "violations": [{"pointer", "keyword", "message"}]}}. */
  public static JsonObject validation(SchemaVersion v, List<Violation> violations) {
    return new JsonObject()
        .put("valid", violations.isEmpty())
        .put("type", v.type())
        .put("version", v.version())
        .put("violations", Problems.violations(violations));
  }

  /** {@code {"streams": [...]}}, sorted by name. */
  public static JsonObject streams(RegistryState state) {
    JsonArray arr = new JsonArray();
    for (String name : state.streamNames()) {
      arr.add(stream(state.stream(name).orElseThrow()));
    }
    return new JsonObject().put("streams", arr);
  }

  /** The {@link StreamCatalog#toJson} form. */
  public static JsonObject stream(StreamDefinition d) {
    return new JsonObject(StreamCatalog.toJson(d).toString());
  }
}

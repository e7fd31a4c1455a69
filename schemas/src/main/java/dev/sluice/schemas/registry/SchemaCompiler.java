package dev.sluice.schemas.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.everit.json.schema.Schema;
import org.everit.json.schema.loader.SchemaLoader;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * Turns a schema document into a compiled everit {@link Schema}, or says why it may not be registered. Pure: it never
 * opens a network connection or a file (remote {@code $ref} is refused, not fetched: no SSRF), and {@code pattern}s
 * compile with RE2J, whose matching time is linear in the input.
 */
public final class SchemaCompiler {
  private SchemaCompiler() {}

  /** The outcome of compiling one schema document. */
  public sealed interface Result {}

  /** The document compiled; {@code schema} is safe to share between threads. */
  public record Compiled(Schema schema) implements Result {}

  /** The document may not be registered; every problem found is listed. */
  public record Refused(List<SchemaProblem> problems) implements Result {
    public Refused {
      problems = List.copyOf(problems);
    }
  }

  public static Result compile(String schemaJson) {
    JSONObject raw;
    try {
      JSONTokener tokener = new JSONTokener(schemaJson);
      Object value = tokener.nextValue();
      if (!(value instanceof JSONObject o) || tokener.nextClean() != 0) {
        return new Refused(List.of(new SchemaProblem("", "json", "a schema must be one JSON object")));
      }
      raw = o;
    } catch (JSONException e) {
      return new Refused(List.of(new SchemaProblem("", "json", "the schema is not valid JSON: " + e.getMessage())));
    }
    try {
      Schema schema = SchemaLoader.builder()
          .draftV7Support()
          .schemaJson(raw)
          .regexpFactory(new RE2JRegexpFactory())
          .schemaClient(url -> {
            throw new UncheckedIOException(new IOException("remote $ref is not allowed: " + url));
          })
          .build()
          .load()
          .build();
      return new Compiled(schema);
    } catch (RuntimeException e) {
      return new Refused(List.of(new SchemaProblem("", "draft-07", "the schema does not compile: " + e.getMessage())));
    }
  }
}

package dev.sluice.schemas.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.schemas.marks.MarkedLocations;
import java.io.IOException;
import java.math.BigDecimal;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Parses JSON text into the org.json values everit validates ({@link JSONObject}, {@link JSONArray}, String, Number,
 * Boolean, {@link JSONObject#NULL}), with Jackson's streaming parser. org.json's own tokenizer appends strings one
 * character at a time and was the largest single cost of validating an event; this gives the same values (numbers go
 * through {@link JSONObject#stringToValue}, exactly as the tokenizer converts them) several times faster.
 *
 * <p>Strict like the tokenizer on what matters: one value, nothing after it, no duplicate member names.
 */
public final class JsonValues {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private JsonValues() {}

  /** The text is not one well-formed JSON value. */
  public static final class MalformedJsonException extends Exception {
    private final long offset;

    MalformedJsonException(String message) {
      this(message, -1);
    }

    MalformedJsonException(String message, long offset) {
      super(message, null, false, false);
      this.offset = offset;
    }

    /**
     * The message without what the parser quotes from the text (its messages name the token it choked on, which may
     * be part of a sensitive value): only where the text broke, when known.
     */
    public String withoutExcerpt() {
      return "the text is not one well-formed JSON value" + (offset < 0 ? "" : " (at character " + offset + ")");
    }
  }

  /**
   * The JSON Schema type name of a parsed value: {@code null}, {@code boolean}, {@code object}, {@code array},
   * {@code string}, {@code integer} or {@code number}. A number with no fractional part is an integer, as draft-07
   * counts it ({@code 1.0} included).
   */
  public static String kindOf(Object value) {
    if (value == null || value == JSONObject.NULL) {
      return "null";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof JSONObject) {
      return "object";
    }
    if (value instanceof JSONArray) {
      return "array";
    }
    if (value instanceof String) {
      return "string";
    }
    BigDecimal d = value instanceof BigDecimal b ? b : new BigDecimal(value.toString());
    return d.stripTrailingZeros().scale() <= 0 ? "integer" : "number";
  }

  public static Object parse(String json) throws MalformedJsonException {
    return parse(json, null);
  }

  /**
   * As {@link #parse(String)}, with {@code tracker} (if not null) told of every value as it is read, so that the
   * marked values are located in the same pass; its {@link MarkedLocations.Tracker#located()} holds them once this
   * returns.
   */
  public static Object parse(String json, MarkedLocations.Tracker tracker) throws MalformedJsonException {
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new MalformedJsonException("no JSON value");
      }
      Object value = tracker == null ? value(p, first) : tracked(p, first, tracker, tracker.enterRoot(p, first));
      if (p.nextToken() != null) {
        long at = p.currentTokenLocation().getCharOffset();
        throw new MalformedJsonException("unexpected content after the JSON value at character " + at, at);
      }
      return value;
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
      throw new MalformedJsonException(e.getOriginalMessage() + (at < 0 ? "" : " at character " + at), at);
    } catch (IOException e) {
      throw new MalformedJsonException(e.getMessage());
    }
  }

  /** As {@link #value}, telling {@code tracker} where each value starts and ends ({@code code}: this one's). */
  private static Object tracked(JsonParser p, JsonToken t, MarkedLocations.Tracker tracker, int code)
      throws IOException {
    Object value;
    switch (t) {
      case START_OBJECT -> {
        JSONObject o = new JSONObject();
        for (JsonToken n = p.nextToken(); n == JsonToken.FIELD_NAME; n = p.nextToken()) {
          String name = p.currentName();
          JsonToken first = p.nextToken();
          o.put(name, tracked(p, first, tracker, tracker.enterMember(p, first, name, code)));
        }
        value = o;
      }
      case START_ARRAY -> {
        JSONArray a = new JSONArray();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
          a.put(tracked(p, n, tracker, tracker.enterItem(p, n, code)));
        }
        value = a;
      }
      default -> value = value(p, t);
    }
    tracker.exit(p, t, code);
    return value;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        JSONObject o = new JSONObject();
        for (JsonToken n = p.nextToken(); n == JsonToken.FIELD_NAME; n = p.nextToken()) {
          String name = p.currentName();
          o.put(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        JSONArray a = new JSONArray();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
          a.put(value(p, n));
        }
        return a;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return JSONObject.stringToValue(p.getText());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return JSONObject.NULL;
      }
      default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
    }
  }
}

package dev.sluice.schemas.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.sluice.schemas.JsonNumbers;
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
 *
 * <p>{@link #parseJudged} also gives the data as the validator must judge it, every number in its
 * {@link JsonNumbers#canonical canonical} form ({@code 1.0} the integer 1), while the values as written are what the
 * rest of Sluice reads (a partition key {@code 1.0} stays {@code "1.0"}, so events keep their partition).
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

  /** Data parsed twice over: as written, and as judged (the same object when every number is canonical already). */
  public record Parsed(Object written, Object judged) {}

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

  /** The values as written. */
  public static Object parse(String json) throws MalformedJsonException {
    return new Reader(null).read(json);
  }

  /**
   * As {@link #parse(String)}, with {@code tracker} (if not null) told of every value as it is read, so that the
   * marked values are located in the same pass; its {@link MarkedLocations.Tracker#located()} holds them once this
   * returns.
   */
  public static Object parse(String json, MarkedLocations.Tracker tracker) throws MalformedJsonException {
    return new Reader(tracker).read(json);
  }

  /**
   * The values as written, and as judged. The copy is made only when some number is not canonical, which the parser
   * notes as it reads each number, so ordinary data costs nothing more.
   */
  public static Parsed parseJudged(String json) throws MalformedJsonException {
    return parseJudged(json, null);
  }

  /** As {@link #parseJudged(String)}, telling {@code tracker} (if not null) of every value, as {@code parse} does. */
  public static Parsed parseJudged(String json, MarkedLocations.Tracker tracker) throws MalformedJsonException {
    Reader reader = new Reader(tracker);
    Object written = reader.read(json);
    return new Parsed(written, reader.uncanonical ? JsonNumbers.canonicalized(written) : written);
  }

  /**
   * One parse; notes whether some number was written in a form other than its canonical one, and tells its tracker
   * (if any) where each value starts and ends.
   */
  private static final class Reader {
    private final MarkedLocations.Tracker tracker;
    private boolean uncanonical;

    Reader(MarkedLocations.Tracker tracker) {
      this.tracker = tracker;
    }

    Object read(String json) throws MalformedJsonException {
      try (JsonParser p = JSON.createParser(json)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          throw new MalformedJsonException("no JSON value");
        }
        Object value = tracker == null ? value(p, first) : tracked(p, first, tracker.enterRoot(p, first));
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

    /** As {@link #value}, telling the tracker where each value starts and ends ({@code code}: this one's). */
    private Object tracked(JsonParser p, JsonToken t, int code) throws IOException {
      Object value;
      switch (t) {
        case START_OBJECT -> {
          JSONObject o = new JSONObject();
          for (JsonToken n = p.nextToken(); n == JsonToken.FIELD_NAME; n = p.nextToken()) {
            String name = p.currentName();
            JsonToken first = p.nextToken();
            o.put(name, tracked(p, first, tracker.enterMember(p, first, name, code)));
          }
          value = o;
        }
        case START_ARRAY -> {
          JSONArray a = new JSONArray();
          for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
            a.put(tracked(p, n, tracker.enterItem(p, n, code)));
          }
          value = a;
        }
        default -> value = value(p, t);
      }
      tracker.exit(p, t, code);
      return value;
    }

    private Object value(JsonParser p, JsonToken t) throws IOException {
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
          String text = p.getText();
          Object written = JSONObject.stringToValue(text);
          // Only a fraction, an exponent or "-0" can make the written form differ from the canonical one.
          if (t == JsonToken.VALUE_NUMBER_FLOAT || text.equals("-0")) {
            uncanonical |= !JsonNumbers.canonical(text).equals(written);
          }
          return written;
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
}

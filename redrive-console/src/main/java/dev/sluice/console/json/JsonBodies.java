package dev.sluice.console.json;

import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleError.BadField;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.problem.Problems;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a request body that is one JSON object of known members: anything else is a 400 that says what is wrong (not
 * JSON, not an object: {@code malformed-body}; an unknown member, a bad value: {@code bad-field} at its pointer).
 * An unknown member is refused, never ignored: a misspelt option must not be taken as its default.
 */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * Routes {@code POST path} to {@code handler} with the body buffered first, at most {@code limitBytes} of it: a
   * larger one is refused with 413 before it is buffered (bounded memory).
   */
  public static void post(Router router, String path, long limitBytes, Handler<RoutingContext> handler) {
    router.post(path)
        .handler(BodyHandler.create(false).setBodyLimit(limitBytes))
        .handler(handler)
        .failureHandler(Problems.bodyFailure(limitBytes));
  }

  /** The body as a JSON object whose members are all among {@code members}; {@code example} shows its shape. */
  public static JsonObject object(String text, List<String> members, String example) {
    Object parsed;
    try {
      parsed = text == null || text.isBlank() ? null : Json.decodeValue(text);
    } catch (DecodeException notJson) {
      throw new ConsoleFailure(new BadBody("the body is not JSON; send " + example));
    }
    if (!(parsed instanceof JsonObject body)) {
      throw new ConsoleFailure(new BadBody("the body must be a JSON object: " + example));
    }
    for (String name : body.fieldNames()) {
      if (!members.contains(name)) {
        throw field(name, "unknown member; the members are " + members);
      }
    }
    return body;
  }

  /** The required string member {@code name} of {@code body}, stripped: not blank, at most {@code maxLength}. */
  public static String string(JsonObject body, String name, int maxLength) {
    Object value = body.getValue(name);
    if (!(value instanceof String s) || s.isBlank()) {
      throw field(name, "required: a non-empty string");
    }
    String stripped = s.strip();
    if (stripped.length() > maxLength) {
      throw field(name, "longer than " + maxLength + " characters");
    }
    return stripped;
  }

  /** A 400 at the member {@code name} of the body (its JSON pointer, escaped). */
  public static ConsoleFailure field(String name, String reason) {
    return new ConsoleFailure(new BadField(pointer(name), reason));
  }

  /**
   * The optional member {@code name} of {@code body}: absent, or an array of 1 to {@code maxItems} non-blank strings
   * of at most {@code maxLength} each, stripped and in order. A bad element is refused at its own pointer
   * ({@code /types/3}).
   */
  public static Optional<List<String>> strings(JsonObject body, String name, int maxItems, int maxLength) {
    if (!body.containsKey(name)) {
      return Optional.empty();
    }
    if (!(body.getValue(name) instanceof JsonArray array) || array.isEmpty() || array.size() > maxItems) {
      throw field(name, "an array of 1 to " + maxItems + " strings, or left out");
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s) || s.isBlank() || s.strip().length() > maxLength) {
        throw new ConsoleFailure(new BadField(pointer(name) + "/" + i,
            "a non-empty string of at most " + maxLength + " characters"));
      }
      out.add(s.strip());
    }
    return Optional.of(out);
  }

  private static String pointer(String name) {
    return "/" + name.replace("~", "~0").replace("/", "~1");
  }
}

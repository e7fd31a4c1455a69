package dev.sluice.console.json;

import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Reads the optional body of {@code POST /api/v1/quarantine/{id}/redrive}: nothing, {@code {}}, or
 * {@code {"data": <JSON value>}}. The replacement comes back as compact JSON text: exactly the text that is validated
 * and then stored, so the consumer gets what was checked.
 */
public final class RedriveBody {
  public static final String DATA = "data";

  private RedriveBody() {}

  /** The replacement data as compact JSON, or empty to redrive the event as it is. */
  public static Optional<String> replacementData(Buffer body) {
    if (body == null || body.toString().isBlank()) {
      return Optional.empty();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      // Bounded: the parser's message may quote the body.
      String why = String.valueOf(e.getMessage());
      throw bad("the body is not JSON: " + (why.length() <= 200 ? why : why.substring(0, 200) + "…"));
    }
    if (!(parsed instanceof JsonObject object)) {
      throw bad("the body must be a JSON object, e.g. {\"data\": {...}}");
    }
    for (String name : object.fieldNames()) {
      if (!DATA.equals(name)) {
        throw bad("unknown member '" + name + "': the body takes only 'data'");
      }
    }
    if (!object.containsKey(DATA)) {
      return Optional.empty();
    }
    // JSON null is kept as the text "null": the schema, not this parser, says whether null is acceptable data.
    return Optional.of(Json.encode(object.getValue(DATA)));
  }

  private static ConsoleFailure bad(String reason) {
    return new ConsoleFailure(new BadBody(reason));
  }
}

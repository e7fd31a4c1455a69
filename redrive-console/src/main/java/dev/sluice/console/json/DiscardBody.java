package dev.sluice.console.json;

import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleError.BadField;
import dev.sluice.console.problem.ConsoleFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * Reads the body of {@code POST /api/v1/quarantine/{id}/discard}: {@code {"reason": "..."}}. The reason is mandatory:
 * a discarded event is never handled, and whoever finds it later must be able to read why.
 */
public final class DiscardBody {
  public static final String REASON = "reason";
  public static final int MAX_REASON_LENGTH = 1000;

  private DiscardBody() {}

  public static String reason(Buffer body) {
    if (body == null || body.toString().isBlank()) {
      throw missing();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ConsoleFailure(new BadBody("the body is not JSON; send {\"reason\": \"...\"}"));
    }
    if (!(parsed instanceof JsonObject object)) {
      throw new ConsoleFailure(new BadBody("the body must be a JSON object, e.g. {\"reason\": \"duplicate order\"}"));
    }
    for (String name : object.fieldNames()) {
      if (!REASON.equals(name)) {
        throw new ConsoleFailure(new BadField("/" + name.replace("~", "~0").replace("/", "~1"),
            "unknown member: the body takes only 'reason'"));
      }
    }
    Object reason = object.getValue(REASON);
    if (reason == null) {
      throw missing();
    }
    if (!(reason instanceof String s)) {
      throw new ConsoleFailure(new BadField("/reason", "must be a string"));
    }
    String stripped = s.strip();
    if (stripped.isEmpty()) {
      throw missing();
    }
    if (stripped.length() > MAX_REASON_LENGTH) {
      throw new ConsoleFailure(new BadField("/reason", "longer than " + MAX_REASON_LENGTH + " characters"));
    }
    return stripped;
  }

  private static ConsoleFailure missing() {
    return new ConsoleFailure(new BadField("/reason", "required: say why this event will never be handled"));
  }
}

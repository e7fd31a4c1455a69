package dev.sluice.gateway.confluent;

import java.util.Objects;

/** What a Confluent-compatible handler answers: a JSON body (an object or an array), or an error value. */
sealed interface ConfluentAnswer {

  /** @param body a {@code JsonObject} or {@code JsonArray} */
  record Ok(int status, Object body) implements ConfluentAnswer {
    public Ok {
      Objects.requireNonNull(body, "body");
    }

    Ok(Object body) {
      this(200, body);
    }
  }

  record Failed(ConfluentError error) implements ConfluentAnswer {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }

  static ConfluentAnswer failed(ConfluentError error) {
    return new Failed(error);
  }
}

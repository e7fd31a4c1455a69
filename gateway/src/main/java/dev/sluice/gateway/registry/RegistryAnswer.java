package dev.sluice.gateway.registry;

import dev.sluice.ingest.problem.Failure;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;

/** What a registry handler answers: a JSON success, or a failure value. */
sealed interface RegistryAnswer {

  record Ok(int status, JsonObject body, Map<String, String> headers) implements RegistryAnswer {
    public Ok {
      Objects.requireNonNull(body, "body");
      headers = Map.copyOf(headers);
    }

    Ok(int status, JsonObject body) {
      this(status, body, Map.of());
    }
  }

  record Failed(Failure failure) implements RegistryAnswer {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }
}

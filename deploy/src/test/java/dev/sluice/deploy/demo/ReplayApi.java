package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The console's replay API ({@code /api/v1/replays}) for the demo's stream {@code retail}, as the dev operator. */
record ReplayApi(String consoleUrl, Http operator) {
  ReplayApi(String consoleUrl) {
    this(consoleUrl, Http.operator());
  }

  /** Starts a cold-start replay of {@code retail} from {@code from} for the new {@code group}; the replay, RUNNING. */
  JsonObject start(String group, Instant from) {
    Http.Response r = operator.post(consoleUrl + "/api/v1/replays", "application/json", new JsonObject()
        .put("stream", "retail").put("group", group).put("from", from.toString()).encode());
    assertEquals(201, r.status(), r.body());
    assertEquals("RUNNING", r.json().getString("state"), r.body());
    return r.json();
  }

  JsonObject get(String id) {
    Http.Response r = operator.get(consoleUrl + "/api/v1/replays/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** Waits until the replay is in {@code state}; the replay then. */
  JsonObject await(String id, String state, Duration within) {
    return Eventually.await("replay " + id + " " + state, within,
        () -> Optional.of(get(id)).filter(r -> state.equals(r.getString("state"))));
  }
}

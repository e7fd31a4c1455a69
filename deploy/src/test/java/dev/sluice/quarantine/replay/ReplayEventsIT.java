package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.ConsoleVerticle;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.EventStream;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replay's progress as server-sent events ({@code GET /api/v1/replays/{id}/events}), against the real engines and
 * the whole stack: any console role may watch; the progress comes with what remains, the rate and the ETA, and the
 * stream ends after DONE or CANCELLED; the console's cap on open streams answers 503; an unknown id is 404.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class ReplayEventsIT {
  private static final Duration WAIT = ReplayStream.WAIT;
  private static final String PROBLEMS = "https://sluice.dev/problems/";

  private final HttpClient client = HttpClient.newHttpClient();

  private EventStream watch(Stack stack, String id, String token) throws Exception {
    return EventStream.open(client, stack.consoleUrl() + "/api/v1/replays/" + id + "/events", token);
  }

  private static boolean running(JsonObject event) {
    return "RUNNING".equals(event.getString("state"));
  }

  @Test
  void aViewerWatchesAReplayAdvanceWithItsRateAndEtaUntilItIsDoneAndTheStreamEnds(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      // One key, one partition, a quarter second an event: five seconds of history, one event after another.
      int history = 20;
      s.produceHistory(history, 1);
      String group = ReplayStream.newGroup();
      String id = s.started(group, "earliest").getString("id");

      try (EventStream events = watch(stack, id, Http.DEV_VIEWER)) {
        assertEquals(200, events.status());
        assertTrue(events.contentType().startsWith("text/event-stream"), events.contentType());
        JsonObject first = events.await("the first event", WAIT, e -> true);
        assertEquals(id, first.getString("id"));
        assertEquals("RUNNING", first.getString("state"));
        assertEquals(history, first.getLong("remaining"), first.encode());
        assertEquals(history, first.getJsonArray("partitions").getJsonObject(0).getLong("remaining"));
        assertFalse(first.containsKey("etaSeconds"), "nothing has moved yet, so there is no ETA: " + first.encode());

        s.startConsumer(group, new ReplayRecorder(Duration.ofMillis(250)));
        List<JsonObject> all = events.awaitEnd(WAIT);
        JsonObject last = all.get(all.size() - 1);
        assertEquals("DONE", last.getString("state"), "the stream ends after the final state: " + all);
        assertEquals(0, last.getLong("remaining"), last.encode());
        assertEquals(0, last.getLong("etaSeconds"), last.encode());
        assertTrue(all.subList(0, all.size() - 1).stream().allMatch(ReplayEventsIT::running),
            "only the last event is final: " + all);

        // While it ran, an event saw the group advance (less remaining than the one before): it has a rate and an ETA.
        JsonObject moving = null;
        for (int i = 1; i < all.size() && moving == null; i++) {
          JsonObject e = all.get(i);
          if (running(e) && e.getLong("remaining") < all.get(i - 1).getLong("remaining")) {
            moving = e;
          }
        }
        assertTrue(moving != null, "progress was sent while the replay ran: " + all);
        assertTrue(moving.getDouble("eventsPerSecond") > 0, moving.encode());
        assertTrue(moving.getLong("etaSeconds") >= 0, moving.encode());
        JsonObject partition = moving.getJsonArray("partitions").getJsonObject(0);
        assertEquals(moving.getLong("remaining"), partition.getLong("remaining"), moving.encode());
        assertEquals(partition.getLong("end") - partition.getLong("reached"), partition.getLong("remaining"));
        assertTrue(partition.getDouble("eventsPerSecond") > 0, moving.encode());
      }
    }
  }

  @Test
  void aCancelEndsTheStreamAndABadIdIs404(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2)) {
      s.produceHistory(6, 3);
      String id = s.started(ReplayStream.newGroup(), "earliest").getString("id");
      try (EventStream events = watch(stack, id, Http.DEV_OPERATOR)) {
        assertEquals("RUNNING", events.await("the first event", WAIT, e -> true).getString("state"));
        Http.Response cancelled = s.operator.post(stack.consoleUrl() + "/api/v1/replays/" + id + "/cancel",
            "application/json", "");
        assertEquals(200, cancelled.status(), cancelled.body());
        List<JsonObject> all = events.awaitEnd(WAIT);
        assertEquals("CANCELLED", all.get(all.size() - 1).getString("state"), all.toString());
      }

      for (String bad : List.of("0123456789abcdef", "not-an-id")) {
        Http.Response missing = s.operator.get(stack.consoleUrl() + "/api/v1/replays/" + bad + "/events");
        assertEquals(404, missing.status(), missing.body());
        assertEquals("application/problem+json", missing.contentType());
        assertEquals(PROBLEMS + "replay-not-found", missing.json().getString("type"), missing.body());
      }
    }
  }

  @Test
  void pastTheConsolesCapOnOpenStreamsAnotherIs503UntilOneCloses(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 1)) {
      s.produceHistory(3, 1);
      String id = s.started(ReplayStream.newGroup(), "earliest").getString("id");
      List<EventStream> open = new ArrayList<>();
      try {
        // Each returns once its stream is open on the console (its first event written).
        for (int i = 0; i < ConsoleVerticle.MAX_PROGRESS_STREAMS; i++) {
          EventStream e = watch(stack, id, Http.DEV_VIEWER);
          assertEquals(200, e.status());
          open.add(e);
        }
        Http.Response refused = Http.viewer().get(stack.consoleUrl() + "/api/v1/replays/" + id + "/events");
        assertEquals(503, refused.status(), refused.body());
        assertEquals("application/problem+json", refused.contentType());
        assertEquals(PROBLEMS + "engine-unavailable", refused.json().getString("type"), refused.body());

        // One hangs up: the console notices and lets the next one in.
        open.remove(0).close();
        try (EventStream again = Eventually.await("a stream admitted again", WAIT, () -> {
          try {
            EventStream e = watch(stack, id, Http.DEV_VIEWER);
            if (e.status() == 200) {
              return Optional.of(e);
            }
            e.close();
            return Optional.empty();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })) {
          assertEquals("RUNNING", again.await("its first event", WAIT, e -> true).getString("state"));
        }
      } finally {
        for (EventStream e : open) {
          e.close();
        }
      }
    }
  }
}

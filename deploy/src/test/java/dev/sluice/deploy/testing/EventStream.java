package dev.sluice.deploy.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server-sent event stream a test follows as a browser's {@code EventSource} would: the events' data (JSON) as they
 * arrive, read on a thread of its own, and whether the server has ended the stream. Closing it hangs up.
 */
public final class EventStream implements AutoCloseable {
  private static final Duration CONNECT = Duration.ofSeconds(30);

  private final HttpResponse<Stream<String>> response;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean ended;

  private EventStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "event-stream");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Opens {@code url} with the bearer {@code token} and returns once the response's head has come (for an event
   * stream: with its first event, which the server writes together with the head).
   */
  public static EventStream open(HttpClient client, String url, String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("Accept", "text/event-stream").GET().build();
    return new EventStream(client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .get(CONNECT.toSeconds(), TimeUnit.SECONDS));
  }

  public int status() {
    return response.statusCode();
  }

  public String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The data of every event so far, in order (for an answer that is no stream: its body as one "event"). */
  public List<JsonObject> events() {
    return new ArrayList<>(events);
  }

  /** Whether the server has ended the stream. */
  public boolean ended() {
    return ended;
  }

  /** Waits until the server has ended the stream, then returns every event it sent. */
  public List<JsonObject> awaitEnd(Duration wait) {
    return Eventually.await("the event stream's end", wait, () -> ended ? Optional.of(events()) : Optional.empty());
  }

  /** Waits for the first event that {@code accept} holds for, and returns it. */
  public JsonObject await(String what, Duration wait, java.util.function.Predicate<JsonObject> accept) {
    return Eventually.await(what, wait, () -> events().stream().filter(accept).findFirst());
  }

  private void read() {
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      lines.forEach(line -> {
        if (line.startsWith("data: ")) {
          data.append(line.substring("data: ".length()));
        } else if (line.isEmpty() && !data.isEmpty()) {
          events.add(new JsonObject(data.toString()));
          data.setLength(0);
        } else if (!line.startsWith("event: ") && !line.startsWith(":")) {
          // Not an event stream (a problem+json answer): its body as it is.
          data.append(line);
        }
      });
      if (!data.isEmpty()) {
        events.add(new JsonObject(data.toString()));
      }
    } catch (RuntimeException hungUp) {
      // Closed by close(): what was read stands.
    } finally {
      ended = true;
    }
  }

  @Override
  public void close() throws InterruptedException {
    response.body().close();
    reader.join(CONNECT.toMillis());
  }
}

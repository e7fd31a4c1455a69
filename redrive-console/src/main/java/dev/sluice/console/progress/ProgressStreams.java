package dev.sluice.console.progress;

import static dev.sluice.console.problem.ConsoleFailure.failed;

import dev.sluice.console.problem.ConsoleError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The console's server-sent progress streams (a redrive job's, a replay's): what every one does alike, namely its
 * headers, its periodic tick, its {@code progress} events and its end (after a final state, or when the client goes),
 * and how many are open, at most {@code max}: each holds a timer and reads a table, so more are answered 503.
 *
 * <p>Confined to the event loop of the console's verticle (it has one instance), so the count is a plain int. What a
 * stream sends, and when, is its owner's business.
 */
public final class ProgressStreams {
  private final Vertx vertx;
  private final int max;
  private int open;

  public ProgressStreams(Vertx vertx, int max) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (max < 1) {
      throw new IllegalArgumentException("at least one progress stream must be allowed, was " + max);
    }
    this.max = max;
  }

  /** Succeeds while fewer than {@code max} streams are open; fails with a 503 problem otherwise. */
  public Future<Void> admit() {
    return open < max ? Future.succeededFuture()
        : failed(new ConsoleError.Unavailable("too many progress streams are open; retry later"));
  }

  /** Starts a stream on {@code response}: the event-stream headers now; it counts as open until it ends. */
  public Stream open(HttpServerResponse response) {
    return new Stream(response);
  }

  /** One client's event stream. */
  public final class Stream {
    private final HttpServerResponse response;
    private long timer = -1;
    private boolean ended;

    private Stream(HttpServerResponse response) {
      this.response = response;
      open++;
      response.setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-cache")
          // A proxy such as nginx would otherwise hold the events back in its buffer.
          .putHeader("X-Accel-Buffering", "no");
      response.closeHandler(v -> release());
    }

    /** Calls {@code tick} every {@code millis} until the stream ends (unless it has ended already). */
    public void every(long millis, Consumer<Stream> tick) {
      if (!ended && timer < 0) {
        timer = vertx.setPeriodic(millis, t -> {
          if (!ended) {
            tick.accept(this);
          }
        });
      }
    }

    /** Sends {@code event} as a {@code progress} event; nothing once the stream has ended. */
    public void send(JsonObject event) {
      if (!ended) {
        response.write("event: progress\ndata: " + event.encode() + "\n\n");
      }
    }

    /** Ends the response (the last event has been sent) and the stream. */
    public void finish() {
      if (!ended) {
        response.end();
        release();
      }
    }

    public boolean ended() {
      return ended;
    }

    private void release() {
      if (!ended) {
        ended = true;
        open--;
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
      }
    }
  }
}

package dev.sluice.console.replay;

import dev.sluice.console.problem.Problems;
import dev.sluice.console.progress.ProgressStreams;
import dev.sluice.quarantine.replay.Replay;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/replays/{id}/events}: a replay's progress as server-sent events, for any console role. A
 * {@code progress} event ({@link ReplayProgress}) comes at once, then whenever a read finds the replay changed, and
 * at least every {@value #HEARTBEAT_MS} ms; the stream ends after a final state. Each stream reads the replay from
 * the replays table once every {@value #READ_EVERY_MS} ms at most, and never two reads at once.
 */
public final class ReplayEvents {
  static final long READ_EVERY_MS = 1_000;
  static final long HEARTBEAT_MS = 10_000;
  private static final long READ_TIMEOUT_SECONDS = 10;

  private final Replays replays;
  private final ProgressStreams streams;

  /** @param streams the console's progress streams, whose cap the replay streams share with the others */
  public ReplayEvents(Replays replays, ProgressStreams streams) {
    this.replays = Objects.requireNonNull(replays, "replays");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /** Adds the route; called by the console verticle after {@code ConsoleAuth.install}. */
  public void install(Router router) {
    router.get(ReplayHandlers.API + "/:id/events").handler(this::events);
  }

  private void events(RoutingContext ctx) {
    Future.succeededFuture()
        // A malformed id is 404 whatever the cap: the id is checked first.
        .compose(v -> {
          String id = ReplayHandlers.replayId(ctx);
          return streams.admit().compose(admitted -> replays.get(id));
        })
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onFailure(failure -> Problems.send(ctx, failure))
        .onSuccess(first -> new ReplayStream(streams.open(ctx.response()), first).start());
  }

  /** What one client's stream sends, and when; confined to the event loop. */
  private final class ReplayStream {
    private final ProgressStreams.Stream out;
    private final ReplayProgress progress;
    private Replay last;
    private long lastSentAt;
    private boolean reading;

    ReplayStream(ProgressStreams.Stream out, Replay first) {
      this.out = out;
      this.last = first;
      this.progress = new ReplayProgress(first, System.nanoTime());
    }

    void start() {
      send(last);
      out.every(READ_EVERY_MS, s -> read());
    }

    private void read() {
      if (reading) {
        return;
      }
      reading = true;
      replays.find(last.id()).onComplete(ar -> {
        reading = false;
        if (out.ended() || ar.failed()) {
          // A read that failed (the table was slow or away) is tried again at the next tick.
          return;
        }
        ar.result().ifPresentOrElse(this::observe, out::finish);
      });
    }

    private void observe(Replay replay) {
      boolean changed = !replay.equals(last);
      if (changed || System.nanoTime() - lastSentAt >= HEARTBEAT_MS * 1_000_000) {
        send(replay);
      }
    }

    private void send(Replay replay) {
      long now = System.nanoTime();
      last = replay;
      lastSentAt = now;
      out.send(progress.event(replay, now));
      if (replay.state().isFinal()) {
        out.finish();
      }
    }
  }
}

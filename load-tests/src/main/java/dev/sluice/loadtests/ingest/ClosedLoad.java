package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Maximum throughput, closed model: {@code connections} keep-alive connections, each with exactly one request in
 * flight; the next request goes out when the previous answer is in. Runs a warm-up, then counts the events of every
 * 2xx answer that arrives within the measurement window.
 *
 * <p>Throughput only: latencies from a closed loop hide queueing (see {@link OpenModelSchedule}), so none are reported
 * from here.
 */
final class ClosedLoad {
  private final Vertx vertx;
  private final Progress progress;

  ClosedLoad(Vertx vertx, Progress progress) {
    this.vertx = vertx;
    this.progress = progress;
  }

  /** What one run measured. */
  record Result(String label, double eventsPerSecond, long events, double seconds, StatusCounts answers) {}

  /**
   * @param eventsPerRequest how many events a 2xx answer accounts for
   * @param body a fresh body per request (fresh event ids)
   */
  Result run(String label, HttpTarget target, String contentType, int eventsPerRequest, Supplier<String> body,
      int connections, Duration warmup, Duration measure) throws InterruptedException {
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections).setEventLoopSize(2));
    LongAdder events = new LongAdder();
    StatusCounts answers = new StatusCounts();
    CountDownLatch drained = new CountDownLatch(connections);
    MeasureWindow window = new MeasureWindow();
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      if (window.stopping()) {
        drained.countDown();
        return;
      }
      target.post(client, contentType, body.get()).onComplete(ar -> {
        if (window.measuring()) {
          if (ar.succeeded()) {
            answers.status(ar.result().status());
            if (ar.result().accepted()) {
              events.add(eventsPerRequest);
            }
          } else {
            answers.failure(ar.cause());
          }
        }
        loop[0].run();
      });
    };
    progress.phase(label, connections + " keep-alive connections, one request in flight on each, "
        + eventsPerRequest + " event(s) per request");
    for (int i = 0; i < connections; i++) {
      loop[0].run();
    }
    MeasureWindow.Counted counted = window.run(progress, warmup, measure, events);
    if (!drained.await(HttpTarget.REQUEST_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS)) {
      progress.note("some requests were still unanswered when the phase ended");
    }
    Progress.await(client.close(), 10);
    Result r = new Result(label, counted.perSecond(), counted.count(), counted.seconds(), answers);
    progress.done(String.format("%s: %,.0f events/s (%s)", label, r.eventsPerSecond(), answers.describe()));
    return r;
  }
}

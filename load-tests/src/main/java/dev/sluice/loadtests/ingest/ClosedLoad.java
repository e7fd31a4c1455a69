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
 * Maximum throughput against one HTTP target, closed model: {@code connections} keep-alive connections, each with
 * exactly one request in flight; the next request goes out when the previous answer is in. One instance per variant,
 * kept for the whole benchmark, so that its connections stay open and warm from one run to the next; each
 * {@link #run} counts the events of every 2xx answer that arrives within its measurement window, and returns only once
 * every request it sent is answered, so nothing of it overlaps the next variant's run.
 *
 * <p>Throughput only: latencies from a closed loop hide queueing (see {@link OpenModelSchedule}), so none are reported
 * from here.
 */
public final class ClosedLoad implements AutoCloseable {
  private final HttpTarget target;
  private final String contentType;
  private final int eventsPerRequest;
  private final Supplier<String> body;
  private final int connections;
  private final HttpClientAgent client;
  /** Every measured answer of every run, for the report's notes. */
  private final StatusCounts answers = new StatusCounts();

  /**
   * @param eventsPerRequest how many events a 2xx answer accounts for
   * @param body a fresh body per request (fresh event ids)
   */
  public ClosedLoad(Vertx vertx, HttpTarget target, String contentType, int eventsPerRequest, Supplier<String> body,
      int connections) {
    this.target = target;
    this.contentType = contentType;
    this.eventsPerRequest = eventsPerRequest;
    this.body = body;
    this.connections = connections;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections).setEventLoopSize(2));
  }

  public StatusCounts answers() {
    return answers;
  }

  /** One run: a ramp, then {@code measure}; returns 2xx events per second of the measurement. */
  public double run(Duration ramp, Duration measure) throws InterruptedException {
    LongAdder events = new LongAdder();
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
    for (int i = 0; i < connections; i++) {
      loop[0].run();
    }
    MeasureWindow.Counted counted = window.run(ramp, measure, events);
    if (!drained.await(HttpTarget.REQUEST_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS)) {
      answers.failure(new IllegalStateException("requests still unanswered when the run ended"));
    }
    return counted.perSecond();
  }

  @Override
  public void close() {
    Progress.await(client.close(), 10);
  }
}

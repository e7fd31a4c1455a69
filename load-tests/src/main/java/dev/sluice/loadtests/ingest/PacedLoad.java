package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Latency at a fixed offered rate, open model: request {@code i} is due at a time fixed in advance by an
 * {@link OpenModelSchedule}, whatever happened to earlier requests, and its latency runs from that due time to the
 * end of its answer. So a stall of the server (or a full connection pool, or a late timer) shows as latency instead of
 * silently lowering the rate.
 *
 * <p>A 1 ms timer on one client event loop sends every request that has come due. Requests wait for one of at most
 * {@code connections} keep-alive connections in the client's pool; that wait counts as latency too. Every latency of
 * the measurement window is kept (rate x seconds values), so the percentiles are exact.
 */
final class PacedLoad {
  private static final long UNANSWERED = -1;

  private final Vertx vertx;
  private final Progress progress;

  PacedLoad(Vertx vertx, Progress progress) {
    this.vertx = vertx;
    this.progress = progress;
  }

  /**
   * What one run measured; latencies in nanoseconds, over the measured requests. Requests without an answer when the
   * run gave up on them count with the time they had waited by then (a lower bound), and so do failures.
   */
  record Result(double offeredPerSecond, double acceptedPerSecond, long requests, long accepted, long unanswered,
      Percentiles latencies, StatusCounts answers) {}

  Result run(String label, HttpTarget target, String contentType, Supplier<String> body, double ratePerSecond,
      int connections, Duration warmup, Duration measure) throws InterruptedException {
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections).setEventLoopSize(2));
    progress.phase(label, String.format("open model, %,.0f requests/s offered on at most %d keep-alive connections, "
        + "latency from each request's scheduled send time", ratePerSecond, connections));

    // Start a little in the future so that the timer is running before the first request is due.
    OpenModelSchedule schedule = new OpenModelSchedule(System.nanoTime() + 50_000_000L, ratePerSecond);
    long warmupCount = schedule.countWithin(warmup.toNanos() / 1e9);
    long total = schedule.countWithin((warmup.toNanos() + measure.toNanos()) / 1e9);
    int measured = Math.toIntExact(total - warmupCount);
    long[] latencies = new long[measured];
    Arrays.fill(latencies, UNANSWERED);
    StatusCounts answers = new StatusCounts();
    AtomicLong accepted = new AtomicLong();
    AtomicLong sentSoFar = new AtomicLong();
    CountDownLatch allAnswered = new CountDownLatch(measured);

    var pacer = new Object() {
      long next;

      void tick() {
        long now = System.nanoTime();
        while (next < total && schedule.dueNanos(next) <= now) {
          send(next++);
        }
        sentSoFar.set(next);
      }

      void send(long index) {
        long due = schedule.dueNanos(index);
        target.post(client, contentType, body.get()).onComplete(ar -> {
          long latency = System.nanoTime() - due;
          if (index < warmupCount) {
            return;
          }
          int slot = (int) (index - warmupCount);
          if (ar.succeeded()) {
            answers.status(ar.result().status());
            if (ar.result().accepted()) {
              accepted.incrementAndGet();
            }
          } else {
            answers.failure(ar.cause());
          }
          // Each slot is written by one callback only; the latch's countDown/await publishes the writes.
          latencies[slot] = latency;
          allAnswered.countDown();
        });
      }
    };
    long timer = vertx.setPeriodic(1, id -> pacer.tick());
    progress.sleepWithTicks("warm-up", warmup.plusMillis(50), null);
    progress.sleepWithTicks("measure", measure, () -> Math.max(0, sentSoFar.get() - warmupCount));
    boolean complete = allAnswered.await(HttpTarget.REQUEST_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
    vertx.cancelTimer(timer);
    long unanswered = 0;
    if (!complete) {
      long now = System.nanoTime();
      for (int i = 0; i < measured; i++) {
        if (latencies[i] == UNANSWERED) {
          latencies[i] = now - schedule.dueNanos(warmupCount + i);
          unanswered++;
        }
      }
    }
    Progress.await(client.close(), 10);
    double seconds = measure.toNanos() / 1e9;
    Result r = new Result(ratePerSecond, accepted.get() / seconds, measured, accepted.get(), unanswered,
        Percentiles.of(latencies), answers);
    progress.done(String.format("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %,d requests (%s)", label,
        r.latencies().percentile(50) / 1e6, r.latencies().percentile(99) / 1e6, r.latencies().max() / 1e6,
        measured, answers.describe() + (unanswered > 0 ? ", " + unanswered + " unanswered" : "")));
    return r;
  }
}

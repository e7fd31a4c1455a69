package dev.sluice.loadtests.sealing;

import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.ingest.HttpTarget;
import dev.sluice.loadtests.ingest.StatusCounts;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.List;

/**
 * Single events posted one after the other on one keep-alive connection, each sent when the previous answer is in: a
 * run's rate is the inverse of the mean time one event takes through the gateway, so a cost paid per event (a key made
 * or read for a new subject) shows in full rather than hidden behind other requests in flight. Kept for the whole
 * suite, so its connection stays open and warm from one run to the next.
 */
final class SequentialPosts implements AutoCloseable {
  private static final long RUN_TIMEOUT_S = 300;

  private final HttpTarget target;
  private final HttpClientAgent client;
  private final StatusCounts answers = new StatusCounts();

  SequentialPosts(Vertx vertx, HttpTarget target) {
    this.target = target;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(1));
  }

  /** Every answer of every run: statuses, and transport failures. */
  StatusCounts answers() {
    return answers;
  }

  /**
   * Posts {@code bodies} in order, each alone; returns accepted events per second, from the first request sent to the
   * last answer read.
   */
  double run(List<String> bodies) {
    Promise<Long> done = Promise.promise();
    long t0 = System.nanoTime();
    post(bodies, 0, 0, done);
    long accepted = Progress.await(done.future(), RUN_TIMEOUT_S);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return seconds <= 0 ? 0 : accepted / seconds;
  }

  /** Posts body {@code next}, then the one after it from its answer's callback; completes {@code done} at the end. */
  private void post(List<String> bodies, int next, long accepted, Promise<Long> done) {
    if (next == bodies.size()) {
      done.complete(accepted);
      return;
    }
    target.post(client, CustomerEvents.STRUCTURED, bodies.get(next)).onComplete(ar -> {
      long now = accepted;
      if (ar.succeeded()) {
        answers.status(ar.result().status());
        now += ar.result().accepted() ? 1 : 0;
      } else {
        answers.failure(ar.cause());
      }
      post(bodies, next + 1, now, done);
    });
  }

  @Override
  public void close() {
    Progress.await(client.close(), 10);
  }
}

package dev.sluice.gateway.http;

import dev.sluice.gateway.config.ClientTimeouts;
import dev.sluice.gateway.problem.Problems;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts off clients that are too slow to be served: a connection that does not deliver a complete request head in
 * time (slowloris), a request whose body does not arrive in time, and a kept-alive connection that stays idle. See
 * {@link ClientTimeouts} for the three bounds.
 *
 * <p>How. Vert.x hands over a request only once its head is complete, and a connection as soon as it is accepted,
 * so a connection's state is known from those two events: waiting for a head since some instant, or serving
 * requests. Netty's idle timeout cannot do this job: a client trickling one byte every few seconds resets it. One
 * periodic sweep (a few times per shortest timeout) checks every open connection against its deadline, instead of a
 * timer per connection and request; whether a request's body has fully arrived ({@code isEnded}) and whether its
 * response is complete ({@code ended}) are read at each sweep, so the guard never takes a request's or response's
 * handlers away from the router. The price is precision: a cut happens up to one sweep interval late.
 *
 * <p>Threading. Every callback (connection, request, close, the sweep) runs on the server's event loop: the sweep is
 * started lazily from the first connection callback, hence on the same context. So the state needs no locking, and
 * nothing here blocks.
 *
 * <p>Use: {@code guard.createServer(options, router).listen()}.
 */
public final class SlowClientGuard {
  private static final System.Logger LOG = System.getLogger(SlowClientGuard.class.getName());
  static final long MIN_SWEEP_MS = 50;
  static final long MAX_SWEEP_MS = 1_000;

  private final Vertx vertx;
  private final ClientTimeouts timeouts;
  private final Clock clock;
  private final Map<HttpConnection, Guarded> connections = new HashMap<>();
  private long sweepTimer = -1;
  private boolean closed;

  public SlowClientGuard(Vertx vertx, ClientTimeouts timeouts, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates an HTTP server with the guard around {@code requestHandler}. Cleartext HTTP/2 (h2c) is turned off on a
   * copy of {@code options}: with it on, Vert.x waits for the first bytes to tell an HTTP/2 preface from HTTP/1.1
   * before it reports the connection, so a client that connects and sends nothing would never be seen by the guard.
   * HTTP/2 over TLS (ALPN) is unaffected.
   */
  public HttpServer createServer(HttpServerOptions options, Handler<HttpServerRequest> requestHandler) {
    return vertx.createHttpServer(new HttpServerOptions(options).setHttp2ClearTextEnabled(false))
        .connectionHandler(this::onConnection)
        .requestHandler(guarding(requestHandler));
  }

  /** For {@code HttpServer.connectionHandler}: the head timeout starts now. */
  public void onConnection(HttpConnection connection) {
    if (closed) {
      return;
    }
    guardedFor(connection);
    if (sweepTimer < 0) {
      long interval = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, timeouts.shortest().toMillis() / 5));
      sweepTimer = vertx.setPeriodic(interval, id -> sweep());
    }
  }

  /** Wraps the server's request handler: a request's head is complete when it is called; the body timeout starts. */
  public Handler<HttpServerRequest> guarding(Handler<HttpServerRequest> next) {
    Objects.requireNonNull(next, "next");
    return request -> {
      if (!closed) {
        guardedFor(request.connection()).requests.add(new Served(request, clock.millis()));
      }
      next.handle(request);
    };
  }

  /** Stops sweeping (undeploying the verticle cancels the timer too). */
  public void close() {
    closed = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    connections.clear();
  }

  /** Open connections being watched (for tests). */
  int watched() {
    return connections.size();
  }

  private Guarded guardedFor(HttpConnection connection) {
    Guarded g = connections.get(connection);
    if (g == null) {
      g = new Guarded(connection, clock.millis());
      connections.put(connection, g);
      connection.closeHandler(v -> connections.remove(connection));
    }
    return g;
  }

  void sweep() {
    long now = clock.millis();
    // Copy: closing a connection may remove it from the map from within this loop.
    for (Guarded g : new ArrayList<>(connections.values())) {
      g.check(now);
    }
  }

  /** One request in progress on a connection, since its head arrived. */
  private record Served(HttpServerRequest request, long headAt) {}

  /** A connection: waiting for a head since {@code waitingSince}, or serving {@code requests}. */
  private final class Guarded {
    final HttpConnection connection;
    final List<Served> requests = new ArrayList<>(1);
    long waitingSince;
    boolean servedOne;
    boolean cut;

    Guarded(HttpConnection connection, long now) {
      this.connection = connection;
      this.waitingSince = now;
    }

    void check(long now) {
      if (cut) {
        return;
      }
      boolean hadRequests = !requests.isEmpty();
      for (Iterator<Served> it = requests.iterator(); it.hasNext(); ) {
        Served s = it.next();
        HttpServerResponse response = s.request().response();
        if (response.ended() || response.closed()) {
          it.remove();
        } else if (!s.request().isEnded() && now - s.headAt() >= timeouts.body().toMillis()) {
          it.remove();
          bodyTimedOut(s.request());
          if (cut) {
            return;
          }
        }
      }
      if (requests.isEmpty()) {
        if (hadRequests) {
          // The last response completed since the previous sweep: the connection now waits for its next head.
          waitingSince = now;
          servedOne = true;
          return;
        }
        long limit = (servedOne ? timeouts.keepAliveIdle() : timeouts.header()).toMillis();
        if (now - waitingSince >= limit) {
          LOG.log(System.Logger.Level.DEBUG, "closing connection from {0}: no complete request head within {1} ms",
              connection.remoteAddress(), limit);
          cut();
        }
      }
    }

    /**
     * 408 problem+json if nothing was answered yet, then (HTTP/1.x) the connection is closed: the rest of the body
     * may still be on its way, and there is no other way to stop reading it. An HTTP/2 stream is reset instead, so
     * other streams on the connection go on.
     */
    private void bodyTimedOut(HttpServerRequest request) {
      LOG.log(System.Logger.Level.DEBUG, "request {0} {1} from {2}: body not complete within {3}",
          request.method(), request.path(), connection.remoteAddress(), timeouts.body());
      HttpServerResponse response = request.response();
      boolean http2 = request.version() == HttpVersion.HTTP_2;
      if (!response.headWritten()) {
        Problems.Problem p = Problems.forStatus(408, request.path());
        response.setStatusCode(p.status()).putHeader("Content-Type", Problems.MEDIA_TYPE);
        p.headers().forEach(response::putHeader);
        if (!http2) {
          response.putHeader("Connection", "close");
        }
        response.end(p.body().encode()).onComplete(ar -> {
          if (http2) {
            response.reset();
          } else {
            cut();
          }
        });
        if (!http2) {
          // Further sweeps leave this connection alone; it closes once the 408 is written.
          cut = true;
        }
      } else if (http2) {
        response.reset();
      } else {
        cut();
      }
    }

    private void cut() {
      cut = true;
      connection.close();
    }
  }
}

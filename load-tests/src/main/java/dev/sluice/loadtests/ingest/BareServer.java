package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The reference for single-event ingest: a bare Vert.x HTTP server that reads the whole body of any request and
 * answers 202 with a small JSON body, doing nothing else. Deployed like the gateway (its own Vert.x, one verticle
 * instance, so one event loop serves every connection), so the ratio between the two is the cost of what the gateway
 * does per request: routing, body limits, CloudEvents parsing, validation, the Kafka append and its acknowledgement.
 */
final class BareServer implements AutoCloseable {
  private static final String ANSWER =
      "{\"id\":\"bare\",\"stream\":\"retail\",\"topic\":\"retail\",\"partition\":0,\"offset\":0}";

  private final Vertx vertx;
  private final int port;

  private BareServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  static BareServer start() {
    Vertx vertx = Vertx.vertx();
    Handler202 verticle = new Handler202();
    Progress.await(vertx.deployVerticle(verticle), 30);
    return new BareServer(vertx, verticle.server.actualPort());
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    Progress.await(vertx.close(), 30);
  }

  private static final class Handler202 extends VerticleBase {
    private volatile HttpServer server;

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(req -> req.body().onComplete(ar -> {
            if (ar.succeeded()) {
              req.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(ANSWER);
            } else {
              req.response().setStatusCode(400).end();
            }
          }))
          .listen()
          .onSuccess(s -> server = s);
    }
  }
}

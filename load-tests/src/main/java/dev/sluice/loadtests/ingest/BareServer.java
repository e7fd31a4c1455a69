package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.LoopbackPorts;
import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;

/**
 * The reference for single-event ingest: a bare Vert.x HTTP server that reads the whole body of any request and
 * answers 202 with a small JSON body, doing nothing else. Deployed like the gateway: its own Vert.x, as many verticle
 * instances as the gateway has (one per core by default), sharing one port, so that both spread their connections
 * over the same number of event loops. With fewer, the bare handler would be held to fewer cores than the gateway and
 * the ratio between the two would overstate the gateway. So the ratio is the cost of what the gateway does per
 * request: routing, body limits, CloudEvents parsing, validation, the Kafka append and its acknowledgement.
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

  /** @param instances verticle instances, as the gateway's */
  static BareServer start(int instances) throws IOException {
    // A fixed port: instances share a listening port only when it is given (port 0 would give each its own).
    int port = LoopbackPorts.free(1)[0];
    Vertx vertx = Vertx.vertx();
    Progress.await(vertx.deployVerticle(() -> new Handler202(port), new DeploymentOptions().setInstances(instances)),
        30);
    EventLoopRoles.mark(vertx, CpuAttribution.Part.BARE);
    return new BareServer(vertx, port);
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    Progress.await(vertx.close(), 30);
  }

  private static final class Handler202 extends VerticleBase {
    private final int port;

    Handler202(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
          .requestHandler(req -> req.body().onComplete(ar -> {
            if (ar.succeeded()) {
              req.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(ANSWER);
            } else {
              req.response().setStatusCode(400).end();
            }
          }))
          .listen();
    }
  }
}

package dev.sluice.deploy.demo;

import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The demo consumer: the quarantining wrapper around {@link CatalogBuilderHandler}, and an HTTP view of the catalog.
 * Its group, view table and wrapper come from {@code sluice.demo.*}, so a second one under another group
 * ({@code sluice.demo.group}) builds a second view, from history if a replay was started for that group first.
 */
public final class CatalogBuilderVerticle extends VerticleBase {
  private final SluiceConfig settings;
  private final SchemaRegistry registry;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final PrometheusMeterRegistry meters;

  private QuarantiningConsumer consumer;
  private QuarantineStore store;
  private HttpServer server;

  /** @param registry the streams and schemas, as read now; the DynamoDB and SQS clients stay the caller's */
  public CatalogBuilderVerticle(SluiceConfig settings, SchemaRegistry registry, DynamoDbClient dynamo, SqsClient sqs,
      PrometheusMeterRegistry meters) {
    this.settings = settings;
    this.registry = registry;
    this.dynamo = dynamo;
    this.sqs = sqs;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    CatalogView view = new CatalogView(vertx, dynamo, settings.demo().catalogTable());
    String quarantineTable = settings.aws().quarantineTable();
    // The readiness probe asks the table the wrapper writes to.
    store = new QuarantineStore(vertx, dynamo, quarantineTable, Clock.systemUTC());
    // The group says who it is, what it reads and which schema versions it validated, every few seconds: the console
    // answers "who consumes this stream, on which versions?" from these heartbeats.
    consumer = QuarantiningConsumer.builder(settings.demoWrapper())
        .kafka(settings.kafka().clientConfig())
        .store(dynamo, quarantineTable)
        .queues(sqs, settings.aws().queuePrefix())
        .schemas(registry)
        .meters(meters)
        .heartbeat(settings.groups().table(), settings.groups().heartbeatInterval(), settings.groups().aliveFor())
        .replays(settings.replays().table())
        .handler(new CatalogBuilderHandler(view))
        .build(vertx);

    Router router = Router.router(vertx);
    router.get("/products/:id").handler(lookup("product", view::product));
    router.get("/photographers/:id").handler(lookup("photographer", view::photographer));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(meters.scrape()));
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> store.ping().onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.json(new JsonObject().put("status", "UP"));
      } else {
        problem(ctx, 503, "Not ready", "quarantine store unreachable");
      }
    }));
    router.route().last().handler(ctx -> problem(ctx, 404, "Not found", "no route " + ctx.request().path()));

    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(settings.demo().port(), settings.demo().host())
        .onSuccess(s -> server = s)
        .compose(s -> consumer.start());
  }

  @Override
  public Future<?> stop() {
    // The consumer removes its heartbeat first, then stops consuming.
    Future<Void> consumerStopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    return consumerStopped.eventually(() -> server == null ? Future.succeededFuture() : server.close());
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** {@code GET .../:id} of one {@code kind} of catalog entry: 200 with it, 404 when there is none, 503 on failure. */
  private static Handler<RoutingContext> lookup(String kind, Function<String, Future<Optional<JsonObject>>> find) {
    return ctx -> find.apply(ctx.pathParam("id")).onComplete(ar -> {
      if (ar.failed()) {
        problem(ctx, 503, "Catalog view unavailable", ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        problem(ctx, 404, "Unknown " + kind, "no " + kind + " " + ctx.pathParam("id") + " in the catalog");
      } else {
        ctx.response().putHeader("content-type", "application/json").end(ar.result().get().encode());
      }
    });
  }

  private static void problem(RoutingContext ctx, int status, String title, String detail) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
        .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
            .put("detail", detail).put("instance", ctx.request().path()).encode());
  }
}

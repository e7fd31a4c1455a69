package dev.sluice.deploy.demo;

import dev.sluice.deploy.config.DemoConfig;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.Triage;
import dev.sluice.deploy.config.GroupsSettings;
import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.Heartbeater;
import dev.sluice.quarantine.groups.SchemaVersionsSeen;
import java.time.Duration;
import dev.sluice.quarantine.consumer.WrapperConfig;
import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The demo consumer: the quarantining wrapper around {@link CatalogBuilderHandler}, and an HTTP view of the catalog.
 */
public final class CatalogBuilderVerticle extends VerticleBase {
  private final DemoConfig config;
  private final WrapperConfig wrapperConfig;
  private final Map<String, String> kafkaProps;
  private final StreamCatalog catalog;
  private final SchemaRegistry registry;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final AwsConfig aws;
  private final PrometheusMeterRegistry meters;

  private QuarantiningConsumer consumer;
  private QuarantineStore store;
  private HttpServer server;

  private final GroupsSettings groups;
  private Heartbeater heartbeater;

  public CatalogBuilderVerticle(DemoConfig config, WrapperConfig wrapperConfig, Map<String, String> kafkaProps,
      StreamCatalog catalog, SchemaRegistry registry, DynamoDbClient dynamo, SqsClient sqs, AwsConfig aws,
      GroupsSettings groups, PrometheusMeterRegistry meters) {
    this.groups = groups;
    this.config = config;
    this.wrapperConfig = wrapperConfig;
    this.kafkaProps = kafkaProps;
    this.catalog = catalog;
    this.registry = registry;
    this.dynamo = dynamo;
    this.sqs = sqs;
    this.aws = aws;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    CatalogView view = new CatalogView(vertx, dynamo, config.catalogTable());
    store = new QuarantineStore(vertx, dynamo, aws.quarantineTable(), Clock.systemUTC());
    // The group says who it is, what it reads and which schema versions it validated, every few seconds: the console
    // answers "who consumes this stream, on which versions?" from these heartbeats.
    SchemaVersionsSeen versionsSeen = SchemaVersionsSeen.withDefaults(Clock.systemUTC());
    consumer = new QuarantiningConsumer(vertx, wrapperConfig, kafkaProps, new Triage(registry, versionsSeen::record),
        store,
        new RedriveQueue(vertx, sqs, aws.queuePrefix()), new RetryQueue(vertx, sqs, aws.queuePrefix(), Clock.systemUTC()),
        new ConsumerMetrics(meters, wrapperConfig.group()),
        new CatalogBuilderHandler(view), new SplittableRandom(), Clock.systemUTC());

    Router router = Router.router(vertx);
    router.get("/products/:id").handler(ctx -> view.product(ctx.pathParam("id")).onComplete(ar -> {
      if (ar.failed()) {
        problem(ctx, 503, "Catalog view unavailable", ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        problem(ctx, 404, "Unknown product", "no product " + ctx.pathParam("id") + " in the catalog");
      } else {
        ctx.response().putHeader("content-type", "application/json").end(ar.result().get().encode());
      }
    }));
    router.get("/photographers/:id").handler(ctx -> view.photographer(ctx.pathParam("id")).onComplete(ar -> {
      if (ar.failed()) {
        problem(ctx, 503, "Catalog view unavailable", ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        problem(ctx, 404, "Unknown photographer", "no photographer " + ctx.pathParam("id") + " in the catalog");
      } else {
        ctx.response().putHeader("content-type", "application/json").end(ar.result().get().encode());
      }
    }));
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
        .listen(config.port(), config.host())
        .onSuccess(s -> server = s)
        .compose(s -> consumer.start())
        // The host name may need a DNS lookup: a worker finds it, never the event loop.
        .compose(v -> vertx.executeBlocking(GroupHeartbeat::localHost, false))
        .compose(host -> {
          String instanceId = GroupHeartbeat.newInstanceId(host);
          heartbeater = new Heartbeater(vertx,
              new GroupRegistry(vertx, dynamo, groups.table(), groups.aliveFor(), Clock.systemUTC(),
                  Duration.ofSeconds(5)),
              () -> GroupHeartbeat.of(wrapperConfig.group(), instanceId, host, wrapperConfig.topics().stream()
                  .map(t -> registry.catalog().streamForTopic(t).map(sd -> sd.name()).orElse(t))
                  .collect(java.util.stream.Collectors.toSet()), versionsSeen.snapshot()),
              groups.heartbeatInterval());
          // A failed first heartbeat is retried by the heartbeater on its timer; it never stops the consumer.
          return heartbeater.start().recover(err -> Future.succeededFuture());
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> heartbeatStopped = heartbeater == null ? Future.succeededFuture()
        : heartbeater.stop().recover(err -> Future.succeededFuture());
    Future<Void> consumerStopped = heartbeatStopped.transform(
        ignored -> consumer == null ? Future.<Void>succeededFuture() : consumer.stop());
    return consumerStopped.eventually(() -> server == null ? Future.succeededFuture() : server.close());
  }

  public int actualPort() {
    return server.actualPort();
  }

  private static void problem(RoutingContext ctx, int status, String title, String detail) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
        .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
            .put("detail", detail).put("instance", ctx.request().path()).encode());
  }
}

package dev.sluice.deploy.demo;

import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.quarantine.consumer.KeyGrant;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The demo consumer: the quarantining wrapper around {@link CatalogBuilderHandler}, and an HTTP view of the catalog.
 * Its group, view table, handler version and wrapper come from {@code sluice.demo.*}, so a second one under another
 * group ({@code sluice.demo.group}) builds a second view, from history if a replay was started for that group first.
 *
 * <p>Blue/green: the catalog reads ({@code GET /products/:id}, {@code GET /photographers/:id}) serve the view the
 * {@link ActiveView} pointer names, or this consumer's own while it names none, and say which in the
 * {@value #VIEW_HEADER} header. {@code POST /admin/active-view} switches every consumer's reads to this one's view,
 * once its group has no replay running any more.
 */
public final class CatalogBuilderVerticle extends VerticleBase {
  /** The response header naming the view table a read was served from. */
  public static final String VIEW_HEADER = "Sluice-View";
  private static final String PROBLEMS = "https://sluice.dev/problems/";

  private final SluiceConfig settings;
  private final SchemaRegistry registry;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final PrometheusMeterRegistry meters;
  private final Optional<Unsealing> unsealing;

  private QuarantiningConsumer consumer;
  private QuarantineStore store;
  private HttpServer server;

  /**
   * What the demo consumer reads and writes with, besides its settings: the streams and schemas, as read now; the
   * DynamoDB and SQS clients, which stay the caller's; and, when its group is granted keys
   * ({@code sluice.crypto.grants}), the process's subject keys and the grant, so that its handler sees the values a
   * schema marks sensitive in the streams granted, else {@code "sluice:withheld"}.
   */
  public record Parts(SchemaRegistry registry, DynamoDbClient dynamo, SqsClient sqs, Optional<Unsealing> unsealing) {
    public Parts {
      java.util.List.of(registry, dynamo, sqs, unsealing);
    }
  }

  /** The process's subject keys (the caller's, which it closes) and the streams the group may open with them. */
  public record Unsealing(SubjectKeys keys, KeyGrant grant) {
    public Unsealing {
      java.util.List.of(keys, grant);
    }
  }

  public CatalogBuilderVerticle(SluiceConfig settings, Parts parts, PrometheusMeterRegistry meters) {
    this.settings = settings;
    this.registry = parts.registry();
    this.dynamo = parts.dynamo();
    this.sqs = parts.sqs();
    this.unsealing = parts.unsealing();
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    String ownTable = settings.demo().catalogTable();
    CatalogView view = new CatalogView(vertx, dynamo, ownTable);
    ActiveView activeView = new ActiveView(vertx, dynamo, settings.demo().blueGreen().activeViewTable());
    ReplayStore replays = new ReplayStore(new WorkerTable(vertx, dynamo, settings.replays().table(),
        Clock.systemUTC()));
    String quarantineTable = settings.aws().quarantineTable();
    // The readiness probe asks the table the wrapper writes to.
    store = new QuarantineStore(vertx, dynamo, quarantineTable, Clock.systemUTC());
    // The group says who it is, what it reads (down to the fields) and which schema versions it validated, every few
    // seconds: the console answers "who consumes this stream, on which versions, relying on which fields?" from these
    // heartbeats.
    QuarantiningConsumer.Builder builder = QuarantiningConsumer.builder(settings.demoWrapper());
    // Poison is appended to the quarantine log at the broker's pace and indexed into the table behind.
    settings.quarantineLog().log().ifPresent(builder::quarantineLog);
    // Granted the keys, its handler sees the photographer's name in the clear (the view serves it); else withheld.
    unsealing.ifPresent(u -> builder.unsealWith(u.keys(), u.grant()));
    consumer = builder
        .kafka(settings.kafka().clientConfig())
        .store(dynamo, quarantineTable)
        .queues(sqs, settings.aws().queuePrefix())
        .schemas(registry)
        .meters(meters)
        .heartbeat(settings.groups().table(), settings.groups().heartbeatInterval(), settings.groups().aliveFor())
        // What the handler reads of each type, sent with every heartbeat: the catalog shows it field by field.
        .contract(CatalogBuilderHandler.READS)
        .replays(settings.replays().table())
        .storms(settings.storms().table())
        .handler(new CatalogBuilderHandler(view, CatalogVersion.of(settings.demo().blueGreen().version())))
        .build(vertx);

    // Each read asks the pointer first (a consistent read), so a switch shows in the very next read of every consumer.
    Supplier<Future<String>> servedTable = () -> activeView.current()
        .map(pointer -> pointer.map(ActiveView.Pointer::table).orElse(ownTable));
    Router router = Router.router(vertx);
    router.get("/products/:id").handler(lookup("product", servedTable, CatalogView::product));
    router.get("/photographers/:id").handler(lookup("photographer", servedTable, CatalogView::photographer));
    router.get("/admin/active-view").handler(ctx -> activeView.current().onComplete(ar -> {
      if (ar.failed()) {
        problem(ctx, 503, "Active view unavailable", ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        problem(ctx, 404, "No active view", "no view was switched to: each demo consumer serves its own");
      } else {
        ctx.json(ar.result().get().json());
      }
    }));
    router.post("/admin/active-view").handler(ctx -> switchToOwn(ctx, activeView, replays));
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

  /**
   * {@code GET .../:id} of one {@code kind} of catalog entry, from the view table {@code servedTable} picks: 200 with
   * it, 404 when there is none, 503 on failure.
   */
  private Handler<RoutingContext> lookup(String kind, Supplier<Future<String>> servedTable,
      BiFunction<CatalogView, String, Future<Optional<JsonObject>>> find) {
    return ctx -> servedTable.get().compose(table -> {
      ctx.response().putHeader(VIEW_HEADER, table);
      return find.apply(new CatalogView(vertx, dynamo, table), ctx.pathParam("id"));
    }).onComplete(ar -> {
      if (ar.failed()) {
        problem(ctx, 503, "Catalog view unavailable", ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        problem(ctx, 404, "Unknown " + kind, "no " + kind + " " + ctx.pathParam("id") + " in the catalog");
      } else {
        ctx.response().putHeader("content-type", "application/json").end(ar.result().get().encode());
      }
    });
  }

  /**
   * {@code POST /admin/active-view}: every consumer's reads serve this one's view from now on. Only once its group is
   * caught up (no replay running), and, since the demo has no credentials, only from this machine.
   */
  private void switchToOwn(RoutingContext ctx, ActiveView activeView, ReplayStore replays) {
    if (!fromLoopback(ctx)) {
      problem(ctx, 403, PROBLEMS + "forbidden", "Forbidden", "the active view is switched from this machine only");
      return;
    }
    String group = settings.demo().group();
    replays.active(group)
        .compose(running -> activeView.switchTo(settings.demo().catalogTable(), group, running.map(Replay::id)))
        .onComplete(ar -> {
          if (ar.failed()) {
            problem(ctx, 503, "Active view unavailable", ar.cause().getMessage());
            return;
          }
          ActiveView.Switch outcome = ar.result();
          if (outcome instanceof ActiveView.Refused r) {
            ctx.response().setStatusCode(409).putHeader("content-type", "application/problem+json")
                .end(problemBody(ctx, 409, PROBLEMS + "replay-running", "Replay running", "group " + group
                    + " is still replaying history (replay " + r.activeReplay() + "): switch once it is DONE")
                    .put("activeReplay", r.activeReplay()).encode());
          } else if (outcome instanceof ActiveView.Raced r) {
            problem(ctx, 409, PROBLEMS + "active-view-conflict", "Active view conflict",
                "another switch was written meanwhile; the reads serve " + r.current().map(ActiveView.Pointer::table)
                    .orElse("each consumer's own view") + " now");
          } else if (outcome instanceof ActiveView.AlreadyActive a) {
            ctx.json(new JsonObject().put("active", a.current().json()).putNull("previous"));
          } else if (outcome instanceof ActiveView.Switched s) {
            ctx.json(new JsonObject().put("active", s.current().json())
                .put("previous", s.previous().map(ActiveView.Pointer::json).orElse(null)));
          }
        });
  }

  private static boolean fromLoopback(RoutingContext ctx) {
    try {
      // A literal address: no name lookup.
      return InetAddress.getByName(ctx.request().remoteAddress().hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void problem(RoutingContext ctx, int status, String title, String detail) {
    problem(ctx, status, "about:blank", title, detail);
  }

  private static void problem(RoutingContext ctx, int status, String type, String title, String detail) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
        .end(problemBody(ctx, status, type, title, detail).encode());
  }

  private static JsonObject problemBody(RoutingContext ctx, int status, String type, String title, String detail) {
    return new JsonObject().put("type", type).put("title", title).put("status", status)
        .put("detail", detail).put("instance", ctx.request().path());
  }
}

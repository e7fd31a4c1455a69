package dev.sluice.gateway;

import dev.sluice.gateway.auth.AuthHandler;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.config.ClientTimeouts;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.confluent.ConfluentParts;
import dev.sluice.gateway.confluent.ConfluentRoutes;
import dev.sluice.gateway.dedup.DedupingAppender;
import dev.sluice.gateway.http.BatchIngestHandler;
import dev.sluice.gateway.http.HealthHandler;
import dev.sluice.gateway.http.IngestHandler;
import dev.sluice.gateway.http.MetricsHandler;
import dev.sluice.gateway.http.OpenApiHandler;
import dev.sluice.gateway.http.RejectCapture;
import dev.sluice.gateway.http.SlowClientGuard;
import dev.sluice.gateway.kafka.KafkaReadiness;
import dev.sluice.gateway.metrics.GatewayMetrics;
import dev.sluice.gateway.metrics.StreamObjectiveGauges;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.gateway.registry.RegistryRoutes;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.AppenderSettings;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.ingest.kafka.ProducerSafety;
import dev.sluice.ingest.seal.EventSealing;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway: one verticle, collaborators passed in. On start it creates the Kafka producer and the readiness probe
 * (both built on workers), then binds the HTTP server; start fails if the port is taken or Kafka settings are invalid.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(GatewayVerticle.class.getName());
  private static final AtomicInteger PRODUCERS = new AtomicInteger();

  private final GatewayConfig config;
  private final GatewayParts parts;
  private final Map<String, String> kafkaClientProps;
  private final PrometheusMeterRegistry meterRegistry;

  private EventAppender appender;
  private KafkaReadiness readiness;
  private HttpServer server;

  public GatewayVerticle(
      GatewayConfig config,
      GatewayParts parts,
      Map<String, String> kafkaClientProps,
      PrometheusMeterRegistry meterRegistry) {
    this.config = Objects.requireNonNull(config, "config");
    this.parts = Objects.requireNonNull(parts, "parts");
    this.kafkaClientProps = Map.copyOf(Objects.requireNonNull(kafkaClientProps, "kafkaClientProps"));
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
  }

  /** A gateway on its own ({@link GatewayParts#standalone}): dev keys, in-process dedup, no registry writes. */
  public GatewayVerticle(
      GatewayConfig config,
      SchemaRegistry registry,
      Map<String, String> kafkaClientProps,
      PrometheusMeterRegistry meterRegistry) {
    this(config, GatewayParts.standalone(registry, meterRegistry), kafkaClientProps, meterRegistry);
  }

  @Override
  public Future<?> start() {
    ProducerSafety producerSafety = config.producerSafety();
    ClientTimeouts clientTimeouts = config.clientTimeouts();
    GatewayMetrics metrics = new GatewayMetrics(meterRegistry);
    metrics.unavailableStartsAtZero();
    // One producer per gateway instance: distinct ids keep their JMX metrics and thread names apart.
    AppenderSettings appends = AppenderSettings.checked(kafkaClientProps, config.appendTimeout(), producerSafety,
        "sluice-gateway-" + PRODUCERS.incrementAndGet());
    // Refuses unsafe producer settings (acks != all, idempotence off) before anything else starts.
    return EventAppender.create(vertx, appends, metrics)
        .compose(a -> {
          appender = a;
          return KafkaReadiness.start(vertx, kafkaClientProps);
        })
        .compose(r -> {
          readiness = r;
          // Slow clients (slowloris heads, trickled bodies, idle keep-alive) are cut off by the guard; its sweep
          // timer belongs to this verticle's context, so undeploying cancels it.
          SlowClientGuard guard = new SlowClientGuard(vertx, clientTimeouts, Clock.systemUTC());
          return guard.createServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()), router())
              .listen();
        })
        .onSuccess(s -> {
          server = s;
          LOG.log(System.Logger.Level.INFO, "gateway listening on {0}:{1}", config.host(),
              Integer.toString(s.actualPort()));
        })
        // Start failed half-way: release what was created, then report the original failure.
        .recover(err -> closeAll().transform(ignored -> Future.failedFuture(err)));
  }

  /** The bound HTTP port (useful with port 0); -1 before a successful start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Stops taking requests first, then lets in-flight appends finish while the producer closes. */
  @Override
  public Future<?> stop() {
    return closeAll();
  }

  private Future<Void> closeAll() {
    Future<Void> httpClosed = server == null ? Future.succeededFuture() : server.close();
    return httpClosed
        .transform(ignored -> appender == null ? Future.<Void>succeededFuture() : appender.close())
        .transform(ignored -> readiness == null ? Future.<Void>succeededFuture() : readiness.close())
        .transform(ignored -> Future.<Void>succeededFuture());
  }

  Router router() {
    GatewayMetrics metrics = new GatewayMetrics(meterRegistry);
    SchemaRegistry registry = parts.registry();
    EventAdmission admission = new EventAdmission(registry, new CloudEventHttpReader(config.limits()));
    DedupingAppender appends =
        new DedupingAppender(new SealingAppender(new EventSealing(parts.keys()), appender), parts.dedup(), metrics,
            parts.producers());
    RejectCapture capture = new RejectCapture(registry, parts.rejects(), Clock.systemUTC());
    ValidationLane lane = ValidationLane.create(vertx);
    IngestHandler ingest = new IngestHandler(admission, lane, appends, capture, metrics);
    BatchIngestHandler batch = new BatchIngestHandler(admission, lane, appends, metrics);
    HealthHandler health = new HealthHandler(readiness::isReady);
    Authorizer auth = parts.authorizer();

    Router router = Router.router(vertx);
    router.post(IngestHandler.PATH)
        // Authentication first: a refused caller is answered before its body is buffered.
        .handler(AuthHandler.ingest(auth, meterRegistry))
        // Bounded buffering: BodyHandler fails the request with 413 as soon as the body (or its Content-Length)
        // passes the limit, so memory per request stays bounded. The limit holds for batches too.
        .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        // One path, two shapes: a batch is told apart by its media type, as the CloudEvents HTTP binding does.
        .handler(ctx -> {
          if (CloudEventHttpReader.isBatch(ctx.request().getHeader("Content-Type"))) {
            batch.handle(ctx);
          } else {
            ingest.handle(ctx);
          }
        })
        .failureHandler(ctx -> ingest.handleFailure(ctx, config.maxBodyBytes()));

    // The registry API: any valid key reads (validating a payload is a read: producers check theirs in CI), only
    // admin keys write. These routes only authenticate and pass on (ctx.next()) to the registry's own routes below.
    router.post("/v1/schemas/:type/versions/:version/validate").handler(AuthHandler.registryRead(auth, meterRegistry));
    router.post("/v1/schemas/:type/versions").handler(AuthHandler.registryWrite(auth, meterRegistry));
    // The dry run of a registration takes what registration takes: the same key, the same body limit.
    router.post("/v1/schemas/:type/compatibility").handler(AuthHandler.registryWrite(auth, meterRegistry));
    router.put("/v1/schemas/:type/config").handler(AuthHandler.registryWrite(auth, meterRegistry));
    router.put("/v1/streams/:stream").handler(AuthHandler.streamAdmin(auth, meterRegistry));
    // Exact paths, not prefixes: a GET on another path (e.g. an events URL) must still reach the 404/405 answers.
    for (String path : List.of("/v1/schemas", "/v1/schemas/:type/versions", "/v1/schemas/:type/versions/:version",
        "/v1/schemas/:type/config", "/v1/streams", "/v1/streams/:stream")) {
      router.get(path).handler(AuthHandler.registryRead(auth, meterRegistry));
    }
    parts.registryApi().ifPresent(api -> {
      RegistryRoutes.mount(router, vertx, new RegistryRoutes.Parts(registry, api.admin(), api.topics(),
          api.contracts(), api.maxSchemaBytes(), meterRegistry));
      // The same registry for Confluent's serializers and consoles, under its own prefix, with its own auth handlers
      // (same keys and roles) that answer refusals in Confluent's error format.
      ConfluentRoutes.mount(router, vertx,
          new ConfluentParts(registry, api.admin(), auth, api.maxSchemaBytes(), meterRegistry, api.contracts()));
    });

    router.get("/openapi.json").handler(new OpenApiHandler());
    StreamObjectiveGauges objectives = new StreamObjectiveGauges(meterRegistry, registry::catalog);
    router.get("/metrics").handler(new MetricsHandler(meterRegistry, objectives::refresh));
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);

    // Whatever else fails on any route: a problem+json, never a stack trace.
    router.route().failureHandler(GatewayVerticle::anyFailure);
    router.errorHandler(404, ctx -> Problems.send(ctx, Problems.notFound(ctx.request().path())));
    router.errorHandler(405, ctx -> Problems.send(ctx, Problems.methodNotAllowed(
        ctx.request().path(), ctx.request().method().name(), allowedMethods(ctx.request().path()))));
    router.errorHandler(500, GatewayVerticle::anyFailure);
    return router;
  }

  /** The Allow header of a 405: the methods the path's route takes. */
  static String allowedMethods(String path) {
    if (path.matches("/v1/streams/[^/]+/events/?")) {
      return "POST";
    }
    if (path.matches("/v1/streams/[^/]+/?") || path.matches("/v1/schemas/[^/]+/config/?")) {
      return "GET, PUT";
    }
    if (path.matches("/v1/schemas/[^/]+/versions/?")) {
      return "GET, POST";
    }
    if (path.matches("/v1/schemas/[^/]+/versions/[^/]+/validate/?")
        || path.matches("/v1/schemas/[^/]+/compatibility/?")) {
      return "POST";
    }
    return "GET";
  }

  private static void anyFailure(RoutingContext ctx) {
    String instance = ctx.request().path();
    int status = ctx.statusCode();
    if (status < 400 || status >= 500) {
      // A bug or an unexpected runtime failure: log it here, answer without any internal detail.
      LOG.log(System.Logger.Level.ERROR, "unexpected failure on " + instance, ctx.failure());
      Problems.send(ctx, Problems.internalError(instance));
    } else {
      Problems.send(ctx, Problems.forStatus(status, instance));
    }
  }
}

package dev.sluice.console;

import dev.sluice.console.auth.ConsoleAuth;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.auth.SignIn;
import dev.sluice.console.auth.SignInOrigin;
import dev.sluice.console.catalog.CatalogHandlers;
import dev.sluice.console.catalog.CatalogKafka;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.fix.FixHandlers;
import dev.sluice.console.fix.FixRoutes;
import dev.sluice.console.http.AuditHandlers;
import dev.sluice.console.http.FindHandlers;
import dev.sluice.console.http.GroupsHandler;
import dev.sluice.console.http.LineageHandlers;
import dev.sluice.console.http.OpsHandlers;
import dev.sluice.console.http.QuarantineHandlers;
import dev.sluice.console.jobs.JobHandlers;
import dev.sluice.console.jobs.RedriveJobs;
import dev.sluice.console.metrics.RedriveMetrics;
import dev.sluice.console.problem.ConsoleError.MethodNotAllowed;
import dev.sluice.console.problem.ConsoleError.RouteNotFound;
import dev.sluice.console.problem.Problems;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.console.progress.ProgressStreams;
import dev.sluice.console.replay.ReplayEvents;
import dev.sluice.console.replay.ReplayHandlers;
import dev.sluice.console.replay.Replays;
import dev.sluice.console.storm.StormHandlers;
import dev.sluice.console.subject.SubjectHandlers;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.quarantine.find.QuarantineSearch;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Objects;

/**
 * The redrive console: the operator's web page, its JSON API, metrics and health, on one HTTP server.
 *
 * <p>Its collaborators come in whole as {@link ConsoleParts} (the launcher in deploy/ builds them); this verticle only
 * routes requests to thin handlers. {@link ConsoleAuth} goes in front of all of them: handlers read who is asking with
 * {@code Principal.of(ctx)} and mask payloads for viewers with {@code Redaction.of(ctx)}. Login sessions live in a
 * DynamoDB table ({@link Sessions}), so several console instances may serve one address without sticky sessions.
 */
public final class ConsoleVerticle extends VerticleBase {
  /** Redrive bodies carry one event's data; 1 MiB matches Kafka's default record size. */
  public static final long BODY_LIMIT_BYTES = 1024 * 1024;
  /** A discard body carries only a reason. */
  public static final long DISCARD_BODY_LIMIT_BYTES = 16 * 1024;
  public static final String API = "/api/v1/quarantine";
  /** Progress streams (server-sent events) open at once: each holds a timer and reads a table; more are 503. */
  public static final int MAX_PROGRESS_STREAMS = 64;
  private static final System.Logger LOG = System.getLogger(ConsoleVerticle.class.getName());

  private final ConsoleConfig config;
  private final ConsoleParts parts;
  private final PrometheusMeterRegistry meterRegistry;
  private final ConsoleAuth auth;
  private final RedriveMetrics redriveMetrics;
  private volatile HttpServer server;

  /** @param meterRegistry this console's own: {@code /metrics} shows what is registered in it */
  public ConsoleVerticle(ConsoleConfig config, ConsoleParts parts, PrometheusMeterRegistry meterRegistry) {
    this.config = Objects.requireNonNull(config, "config");
    this.parts = Objects.requireNonNull(parts, "parts");
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    Sessions sessions = parts.access().sessions();
    // Sign-ins must come from the console's public origin, which may be its own address, known once it listens.
    SignIn signIn = new SignIn(config.auth(), sessions, parts.access().throttle(),
        new SignInOrigin(config.auth(), config.host(), this::actualPort));
    this.auth = new ConsoleAuth(config.auth(), sessions, parts.registry(), signIn);
    this.redriveMetrics = new RedriveMetrics(meterRegistry);
  }

  @Override
  public Future<?> start() {
    // Known before it listens: the sign-in form's origin check may read the port it listens on from the first request.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(router());
    return server.listen()
        // Jobs that were RUNNING when the console last stopped continue; a failure here leaves the page up.
        .onSuccess(s -> resumeJobs())
        // A verticle that fails to start is not stopped: release the producer here.
        .recover(failure -> parts.redrives().appender().close().transform(closed -> Future.failedFuture(failure)));
  }

  /** Stops taking requests first, then closes the producer (giving an append in flight its timeout). */
  @Override
  public Future<?> stop() {
    HttpServer s = server;
    Future<Void> closed = s == null ? Future.succeededFuture() : s.close();
    // Job runners finish the step in hand and hand unstarted work items back to their queues.
    return closed.eventually(() -> parts.jobs().map(RedriveJobs::close).orElseGet(Future::succeededFuture))
        .eventually(() -> parts.replays().map(Replays::close).orElseGet(Future::succeededFuture))
        .eventually(() -> parts.catalogKafka().map(CatalogKafka::close).orElseGet(Future::succeededFuture))
        .eventually(parts.redrives().appender()::close);
  }

  private void resumeJobs() {
    parts.jobs().ifPresent(jobs -> jobs.resumeAll().onFailure(failure -> LOG.log(System.Logger.Level.ERROR,
        "could not resume the bulk redrive jobs; they continue after the next start", failure)));
  }

  /** The port the server listens on; the configured one, or the one picked when configured as 0. */
  public int actualPort() {
    HttpServer s = server;
    if (s == null || s.actualPort() <= 0) {
      throw new IllegalStateException("the console has not started");
    }
    return s.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    // First: every route below is behind it (sign-in, roles, CSRF, security headers).
    auth.install(router);
    OpsHandlers ops = new OpsHandlers(parts.store(), meterRegistry);
    router.get("/health/live").handler(ops::live);
    router.get("/health/ready").handler(ops::ready);
    router.get("/metrics").handler(ops::metrics);
    parts.groups().ifPresent(g -> router.get("/api/v1/groups").handler(new GroupsHandler(g, parts.registry())::list));
    quarantineRoutes(router);
    router.get("/api/v1/audit").handler(new AuditHandlers(parts.audit())::list);
    // One cap on the progress streams (jobs' and replays') of this console.
    ProgressStreams streams = new ProgressStreams(vertx, MAX_PROGRESS_STREAMS);
    parts.jobs().ifPresent(jobs -> new JobHandlers(jobs, streams).install(router));
    parts.replays().ifPresent(replays -> new ReplayHandlers(replays).install(router));
    parts.replays().ifPresent(replays -> new ReplayEvents(replays, streams).install(router));
    parts.storms().ifPresent(storms -> new StormHandlers(storms).install(router));
    parts.subjects().ifPresent(subjects -> new SubjectHandlers(subjects).install(router));
    new CatalogHandlers(parts.registry(), parts.groups(), parts.catalogKafka(), parts.producers()).install(router);
    pageRoutes(router);

    router.errorHandler(404, ctx -> Problems.send(ctx, new RouteNotFound(ctx.request().path())));
    router.errorHandler(405, ctx -> Problems.send(ctx,
        new MethodNotAllowed(ctx.request().method().name(), ctx.request().path())));
    router.errorHandler(500, ctx -> Problems.send(ctx,
        ctx.failure() != null ? ctx.failure() : new IllegalStateException("unhandled failure")));
    return router;
  }

  /** {@value #API}: find, inspect, redrive, discard, fix, lineage. */
  private void quarantineRoutes(Router router) {
    QuarantineStore store = parts.store();
    FindHandlers find = new FindHandlers(new QuarantineSearch(store.table()));
    router.get(API).handler(find::list);
    // Before "/:id", so that "groups" and "timeline" are never read as item ids.
    router.get(API + "/groups").handler(find::groups);
    router.get(API + "/timeline").handler(find::timeline);
    QuarantineHandlers api = new QuarantineHandlers(store, parts.redrives().service(), redriveMetrics, parts.audit(),
        parts.redrives().view());
    router.get(API + "/:id").handler(api::get);
    router.post(API + "/:id/redrive")
        // Bounded memory: a larger body is refused with 413 before it is buffered.
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .handler(api::redrive)
        .failureHandler(ctx -> api.redriveFailure(ctx, BODY_LIMIT_BYTES));
    router.post(API + "/:id/discard")
        .handler(BodyHandler.create(false).setBodyLimit(DISCARD_BODY_LIMIT_BYTES))
        .handler(api::discard)
        .failureHandler(Problems.bodyFailure(DISCARD_BODY_LIMIT_BYTES));
    FixRoutes.install(router, API, BODY_LIMIT_BYTES, new FixHandlers(store, parts.registry(),
        parts.redrives().service(), parts.redrives().requeue(), parts.audit(), config.auth().operatorBulkLimit()));
    router.get(API + "/:id/lineage").handler(new LineageHandlers(store, parts.audit())::lineage);
  }

  /**
   * The page, and an item's shareable address, which opens the item's detail itself (after sign-in, if need be); the
   * stream catalog's list ({@code /streams}) and a stream's page ({@code /streams/{name}}), one page reading the path.
   */
  private static void pageRoutes(Router router) {
    router.get("/quarantine/:id").handler(ctx -> page(ctx, "webroot/index.html"));
    router.get("/streams").handler(ctx -> page(ctx, "webroot/streams.html"));
    router.get("/streams/:name").handler(ctx -> page(ctx, "webroot/streams.html"));

    // Registered for every method so that an unknown path answers 404 whatever the method, not 405 because a GET route
    // would have matched it; only GET and HEAD reach the files.
    StaticHandler files = StaticHandler.create("webroot");
    router.route("/*").handler(ctx -> {
      HttpMethod method = ctx.request().method();
      if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
        ctx.next();
        return;
      }
      // ConsoleAuth has set the Content-Security-Policy: no inline script or style in the page.
      files.handle(ctx);
    });
  }

  private static void page(io.vertx.ext.web.RoutingContext ctx, String file) {
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .sendFile(file);
  }
}

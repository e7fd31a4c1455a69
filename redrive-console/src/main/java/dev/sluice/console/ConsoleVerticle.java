package dev.sluice.console;

import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.fix.FixHandlers;
import dev.sluice.console.fix.FixRoutes;
import dev.sluice.console.fix.RequeueBehind;
import dev.sluice.console.problem.ConsoleError.MethodNotAllowed;
import dev.sluice.console.problem.ConsoleError.RouteNotFound;
import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.http.AuditHandlers;
import dev.sluice.console.http.FindHandlers;
import dev.sluice.console.http.LineageHandlers;
import dev.sluice.console.http.OpsHandlers;
import dev.sluice.console.problem.Problems;
import dev.sluice.console.http.QuarantineHandlers;
import dev.sluice.console.ingress.StreamAppender;
import dev.sluice.console.metrics.RedriveMetrics;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.auth.ConsoleAuth;
import dev.sluice.console.auth.LoginLimiter;
import dev.sluice.console.auth.LoginThrottle;
import dev.sluice.console.auth.PublicOrigin;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.auth.SignIn;
import java.util.Objects;
import java.util.Optional;
import dev.sluice.console.http.GroupsHandler;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.console.jobs.JobEngines;
import dev.sluice.console.jobs.JobHandlers;
import dev.sluice.console.jobs.RedriveJobs;

/**
 * The redrive console: the operator's web page, its JSON API, metrics and health, on one HTTP server.
 *
 * <p>Collaborators come in through the constructor (the launcher in deploy/ builds them); this verticle only wires
 * routes to thin handlers. {@link ConsoleAuth} goes in front of all of them: handlers read who is asking with
 * {@code Principal.of(ctx)} and mask payloads for viewers with {@code Redaction.of(ctx)}. Login sessions live in a
 * DynamoDB table ({@link Sessions}), so several console instances may serve one address without sticky sessions.
 */
public final class ConsoleVerticle extends VerticleBase {
  /** Redrive bodies carry one event's data; 1 MiB matches Kafka's default record size. */
  public static final long BODY_LIMIT_BYTES = 1024 * 1024;
  /** A discard body carries only a reason. */
  public static final long DISCARD_BODY_LIMIT_BYTES = 16 * 1024;
  public static final String API = "/api/v1/quarantine";
  private static final System.Logger LOG = System.getLogger(ConsoleVerticle.class.getName());

  private final ConsoleConfig config;
  private final QuarantineStore store;
  private final RedriveQueue queue;
  private final StreamAppender appender;
  private final SchemaRegistry registry;
  private final PrometheusMeterRegistry meterRegistry;
  private final Optional<GroupRegistry> groups;
  private final AuditLog audit;
  private final Sessions sessions;
  private final Optional<JobEngines> jobEngines;
  private RedriveJobs jobs;
  private volatile HttpServer server;

  /**
   * @param appender appends redriven ingress rejects to their streams; the verticle owns it from here on and closes it
   *     when it stops (or fails to start)
   */
  public ConsoleVerticle(
      ConsoleConfig config, QuarantineStore store, RedriveQueue queue, StreamAppender appender,
      SchemaRegistry registry, AuditLog audit, Sessions sessions, PrometheusMeterRegistry meterRegistry) {
    this(config, store, queue, appender, registry, Optional.empty(), audit, sessions, meterRegistry);
  }

  /**
   * @param groups the consumer groups' heartbeats, served at {@code /api/v1/groups}; absent: that path is 404
   * @param audit where operator actions are recorded, served at {@code /api/v1/audit}
   * @param sessions the login sessions, shared with the other console instances
   */
  public ConsoleVerticle(
      ConsoleConfig config, QuarantineStore store, RedriveQueue queue, StreamAppender appender,
      SchemaRegistry registry, Optional<GroupRegistry> groups, AuditLog audit, Sessions sessions,
      PrometheusMeterRegistry meterRegistry) {
    this(config, store, queue, appender, registry, groups, audit, sessions, meterRegistry, Optional.empty());
  }

  /** @param jobEngines the jobs table and work queues of bulk redrive jobs ({@code /api/v1/redrives}); absent: 404 */
  public ConsoleVerticle(
      ConsoleConfig config, QuarantineStore store, RedriveQueue queue, StreamAppender appender,
      SchemaRegistry registry, Optional<GroupRegistry> groups, AuditLog audit, Sessions sessions,
      PrometheusMeterRegistry meterRegistry, Optional<JobEngines> jobEngines) {
    this.jobEngines = Objects.requireNonNull(jobEngines, "jobEngines");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.groups = Objects.requireNonNull(groups, "groups");
    this.config = Objects.requireNonNull(config, "config");
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.appender = Objects.requireNonNull(appender, "appender");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
  }

  @Override
  public Future<?> start() {
    Router router = router();
    // Known before it listens: the sign-in form's origin check may read the port it listens on from the first request.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(router);
    return server.listen()
        // Jobs that were RUNNING when the console last stopped continue; a failure here leaves the page up.
        .onSuccess(s -> resumeJobs())
        // A verticle that fails to start is not stopped: release the producer here.
        .recover(failure -> appender.close().transform(closed -> Future.failedFuture(failure)));
  }

  /** Stops taking requests first, then closes the producer (giving an append in flight its timeout). */
  @Override
  public Future<?> stop() {
    HttpServer s = server;
    Future<Void> closed = s == null ? Future.succeededFuture() : s.close();
    // Job runners finish the step in hand and hand unstarted work items back to their queues.
    return closed.eventually(() -> jobs == null ? Future.succeededFuture() : jobs.close()).eventually(appender::close);
  }

  private void resumeJobs() {
    if (jobs != null) {
      jobs.resumeAll().onFailure(failure -> LOG.log(
          System.Logger.Level.ERROR, "could not resume the bulk redrive jobs; they continue after the next start",
          failure));
    }
  }

  /** The port the server listens on; the configured one, or the one picked when configured as 0. */
  public int actualPort() {
    HttpServer s = server;
    if (s == null || s.actualPort() <= 0) {
      throw new IllegalStateException("the console has not started");
    }
    return s.actualPort();
  }

  /**
   * The origin browsers reach this console at, which sign-ins must come from: the configured one, or else this
   * console's own address (only a console that browsers reach directly, as under {@code ./sluice dev}, has that).
   */
  private PublicOrigin publicOrigin() {
    return config.auth().signIn().publicOrigin()
        .orElseGet(() -> PublicOrigin.ofLocal(config.host(), actualPort()));
  }

  private SignIn signIn() {
    AuthSettings auth = config.auth();
    if (auth.signIn().publicOrigin().isEmpty() && PublicOrigin.isWildcard(config.host())
        && !auth.credentials().users().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "sluice.console.public.origin is not set and the console listens on "
          + config.host() + ": every sign-in from a browser will be refused. Set it to the address browsers use, "
          + "e.g. https://sluice-console.example.com.");
    }
    LoginThrottle throttle = new LoginThrottle(new LoginLimiter(auth.signIn().limits(), sessions.clock()),
        sessions.attempts(), audit);
    return new SignIn(auth, sessions, throttle, this::publicOrigin);
  }

  private Router router() {
    RedriveService redrives = new RedriveService(store, queue, appender, registry);
    QuarantineHandlers api = new QuarantineHandlers(store, redrives, new RedriveMetrics(meterRegistry), audit);
    OpsHandlers ops = new OpsHandlers(store, meterRegistry);

    Router router = Router.router(vertx);
    // First: every route below is behind it (sign-in, roles, CSRF, security headers).
    new ConsoleAuth(config.auth(), sessions, registry, signIn()).install(router);
    router.get("/health/live").handler(ops::live);
    router.get("/health/ready").handler(ops::ready);
    router.get("/metrics").handler(ops::metrics);

    groups.ifPresent(g -> router.get("/api/v1/groups").handler(new GroupsHandler(g, registry)::list));
    FindHandlers find = new FindHandlers(store.search());
    router.get(API).handler(find::list);
    // Before "/:id", so that "groups" and "timeline" are never read as item ids.
    router.get(API + "/groups").handler(find::groups);
    router.get(API + "/timeline").handler(find::timeline);
    router.get(API + "/:id").handler(api::get);
    router.post(API + "/:id/redrive")
        // Bounded memory: a larger body is refused with 413 before it is buffered.
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .handler(api::redrive)
        .failureHandler(ctx -> api.redriveFailure(ctx, BODY_LIMIT_BYTES));
    router.post(API + "/:id/discard")
        .handler(BodyHandler.create(false).setBodyLimit(DISCARD_BODY_LIMIT_BYTES))
        .handler(api::discard)
        .failureHandler(ctx -> api.bodyFailure(ctx, DISCARD_BODY_LIMIT_BYTES));
    FixRoutes.install(router, api, new FixHandlers(store, registry, redrives,
        new RequeueBehind(store, appender), audit, config.auth().operatorBulkLimit()));
    router.get("/api/v1/audit").handler(new AuditHandlers(audit)::list);
    router.get(API + "/:id/lineage").handler(new LineageHandlers(store, audit)::lineage);
    jobEngines.ifPresent(e -> {
      jobs = RedriveJobs.create(vertx, e, config, store, redrives, audit, meterRegistry);
      new JobHandlers(vertx, jobs).install(router);
    });

    // An item's shareable address: the page, which opens the item's detail itself (after sign-in, if need be).
    router.get("/quarantine/:id").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .sendFile("webroot/index.html"));

    // The page. Registered for every method so that an unknown path answers 404 whatever the method, not 405 because
    // a GET route would have matched it; only GET and HEAD reach the files.
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

    router.errorHandler(404, ctx -> Problems.send(ctx, new RouteNotFound(ctx.request().path())));
    router.errorHandler(405, ctx -> Problems.send(ctx,
        new MethodNotAllowed(ctx.request().method().name(), ctx.request().path())));
    router.errorHandler(500, ctx -> Problems.send(ctx,
        ctx.failure() != null ? ctx.failure() : new IllegalStateException("unhandled failure")));
    return router;
  }
}

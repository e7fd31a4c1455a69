package dev.sluice.gateway.registry;

import dev.sluice.gateway.config.DeclaredReadsMode;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.gateway.registry.RegistryJson.Parsed;
import dev.sluice.gateway.registry.RegistryJson.ParsedStream;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.CostMeter;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import dev.sluice.schemas.registry.log.CompatibilityChange;
import dev.sluice.schemas.registry.log.LogUnavailable;
import dev.sluice.schemas.registry.log.Registration;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryDecisions;
import dev.sluice.schemas.registry.log.RegistryDecisions.Decision;
import dev.sluice.schemas.registry.log.StreamChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's HTTP API under {@code /v1/schemas} and {@code /v1/streams}. Handlers are thin: read the request
 * ({@link RegistryJson}), ask the registry, answer; failures are {@link RegistryFailure} values answered by
 * {@link Problems}.
 *
 * <p>Threading. Reads take one immutable snapshot of the registry on the event loop (no I/O). Writes go through
 * {@link RegistryAdmin}, which blocks until the registry log has the change (up to its write timeout), so they run
 * with {@code vertx.executeBlocking(..., false)} on worker threads. Validation of a document goes through the
 * {@link ValidationLane}, like ingest validation: on the event loop while it is cheap, else on the validation pool.
 * A proposed schema is also checked against the live consumer groups' declared reads ({@link ContractChecks}), which
 * are asked for before the worker runs, without blocking, and answered back on the request's context.
 *
 * <p>Authentication is not done here: the gateway puts its handlers in front of these routes.
 */
public final class RegistryRoutes {
  /** Prometheus: {@code sluice_registry_changes_total{kind="schema|compatibility|stream"}}. */
  public static final String CHANGES = "sluice.registry.changes";

  private final Vertx vertx;
  private final SchemaRegistry registry;
  private final RegistryAdmin admin;
  private final ValidationLane lane;
  private final Counter schemaChanges;
  private final Counter compatibilityChanges;
  private final Counter streamChanges;

  private final StreamTopics topics;
  private final ContractChecks contracts;

  /**
   * What the registry routes work with.
   *
   * @param registry the registry as read
   * @param admin its write side
   * @param topics what makes a saved stream's Kafka topic match it
   * @param contracts the live groups' declared reads, and whether they are protected
   * @param maxSchemaBytes the largest request body (schemas, data to validate, stream definitions, settings)
   * @param meters where the registry's change counters go
   */
  public record Parts(SchemaRegistry registry, RegistryAdmin admin, StreamTopics topics, ContractChecks contracts,
      long maxSchemaBytes, MeterRegistry meters) {
    public Parts {
      List.of(registry, admin, topics, contracts, meters);
    }
  }

  private RegistryRoutes(Vertx vertx, Parts parts) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.registry = parts.registry();
    this.admin = parts.admin();
    this.topics = parts.topics();
    this.contracts = parts.contracts();
    this.lane = ValidationLane.create(vertx);
    this.schemaChanges = changes(parts.meters(), "schema");
    this.compatibilityChanges = changes(parts.meters(), "compatibility");
    this.streamChanges = changes(parts.meters(), "stream");
  }

  /** After a stream was saved: its topic could not be made to match. */
  private static final class TopicNotProvisioned extends RuntimeException {
    TopicNotProvisioned(String message) {
      super(message, null, false, false);
    }
  }

  private static Counter changes(MeterRegistry meters, String kind) {
    return Counter.builder(CHANGES)
        .description("Registry changes written to the registry log by this gateway, by kind")
        .tag("kind", kind)
        .register(meters);
  }

  /**
   * Adds the registry routes to {@code router}. Request bodies (schemas, data to validate, stream definitions,
   * settings) are limited to {@code maxSchemaBytes}: over it is a 413.
   */
  public static void mount(Router router, Vertx vertx, SchemaRegistry registry, RegistryAdmin admin,
      long maxSchemaBytes, MeterRegistry meters) {
    mount(router, vertx, registry, admin, StreamTopics.NONE, maxSchemaBytes, meters);
  }

  /** As above; after a stream is saved, {@code topics} makes its Kafka topic match before the answer. */
  public static void mount(Router router, Vertx vertx, SchemaRegistry registry, RegistryAdmin admin,
      StreamTopics topics, long maxSchemaBytes, MeterRegistry meters) {
    mount(router, vertx, new Parts(registry, admin, topics, ContractChecks.NONE, maxSchemaBytes, meters));
  }

  /**
   * As above; proposed schemas (registration and the dry run {@code POST /v1/schemas/{type}/compatibility}) are also
   * checked against the live groups' declared reads ({@link ContractChecks}).
   */
  public static void mount(Router router, Vertx vertx, Parts parts) {
    RegistryRoutes routes = new RegistryRoutes(vertx, parts);
    long maxSchemaBytes = parts.maxSchemaBytes();
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxSchemaBytes);
    Handler<RoutingContext> tooLarge = ctx -> {
      if (ctx.statusCode() == 413) {
        answer(ctx, new RegistryAnswer.Failed(new Rejection.TooLarge(maxSchemaBytes)));
      } else {
        ctx.next();
      }
    };

    router.get("/v1/schemas").handler(ctx -> routes.respond(ctx, routes::listTypes));
    router.get("/v1/schemas/:type/versions").handler(ctx -> routes.respond(ctx, routes::listVersions));
    router.post("/v1/schemas/:type/versions").handler(body).handler(ctx -> routes.respondLater(ctx, routes::register))
        .failureHandler(tooLarge);
    router.post("/v1/schemas/:type/compatibility").handler(body)
        .handler(ctx -> routes.respondLater(ctx, routes::checkCompatibility)).failureHandler(tooLarge);
    router.get("/v1/schemas/:type/versions/:version").handler(ctx -> routes.respond(ctx, routes::getVersion));
    router.post("/v1/schemas/:type/versions/:version/validate").handler(body)
        .handler(ctx -> routes.respondLater(ctx, routes::validate)).failureHandler(tooLarge);
    router.get("/v1/schemas/:type/config").handler(ctx -> routes.respond(ctx, routes::getConfig));
    router.put("/v1/schemas/:type/config").handler(body).handler(ctx -> routes.respondLater(ctx, routes::putConfig))
        .failureHandler(tooLarge);
    router.get("/v1/streams").handler(ctx -> routes.respond(ctx, routes::listStreams));
    router.get("/v1/streams/:stream").handler(ctx -> routes.respond(ctx, routes::getStream));
    router.put("/v1/streams/:stream").handler(body).handler(ctx -> routes.respondLater(ctx, routes::putStream))
        .failureHandler(tooLarge);
  }

  // ------------------------------------------------------------------------------------------------ schemas

  private RegistryAnswer listTypes(RoutingContext ctx) {
    return new RegistryAnswer.Ok(200, RegistryJson.types(registry.state()));
  }

  private RegistryAnswer listVersions(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    List<SchemaVersion> versions = registry.state().versions(type);
    return versions.isEmpty()
        ? new RegistryAnswer.Failed(new RegistryFailure.UnknownType(type))
        : new RegistryAnswer.Ok(200, RegistryJson.versions(type, versions));
  }

  private RegistryAnswer getVersion(RoutingContext ctx) {
    return withVersion(ctx, v -> new RegistryAnswer.Ok(200, RegistryJson.version(v)));
  }

  /**
   * Registers a schema. The live groups' declared reads are asked for first (on their own threads, answered back on
   * this context); registering, which blocks until the log has the change, and working out who it affects, which
   * parses schemas, then run on a worker. In protect mode the reads are part of the decision; when they cannot be read
   * then, nothing is registered (503).
   */
  private Future<RegistryAnswer> register(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    Parsed<String> body = RegistryJson.schemaBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
    if (body instanceof Parsed.Failed<String> f) {
      return Future.succeededFuture(new RegistryAnswer.Failed(f.failure()));
    }
    String schema = ((Parsed.Ok<String>) body).value();
    return contracts.withReaders(vertx, type, RegistryRoutes::readsUnavailable, readers -> vertx.executeBlocking(
        () -> contracts.register(admin, registry, type, schema, readers), false).map(done -> {
          if (done.registration() instanceof Registration.Created) {
            schemaChanges.increment();
          }
          Optional<String> unknown = readers.unknownBecause()
              .or(() -> done.impact().isEmpty() ? Optional.of(ContractImpacts.NOT_WORKED_OUT) : Optional.empty());
          return registered(type, done.registration(), done.impact().orElse(ContractImpact.NONE), unknown);
        }));
  }

  private static RegistryAnswer readsUnavailable(String why) {
    return new RegistryAnswer.Failed(new RegistryFailure.DeclaredReadsUnavailable(why));
  }

  /** The answer to a registration; {@code impact} names who it affects, {@code unknown} why that is not known. */
  static RegistryAnswer registered(String type, Registration r, ContractImpact impact, Optional<String> unknown) {
    if (r instanceof Registration.Created c) {
      String location = "/v1/schemas/" + segment(type) + "/versions/" + c.version().version();
      return new RegistryAnswer.Ok(201, ContractJson.putAffects(RegistryJson.registered(c.version()), impact,
          unknown), Map.of("Location", location));
    }
    if (r instanceof Registration.Existing e) {
      return new RegistryAnswer.Ok(200, ContractJson.putAffects(RegistryJson.registered(e.version()), impact,
          unknown));
    }
    if (r instanceof Registration.Incompatible i) {
      return new RegistryAnswer.Failed(
          new RegistryFailure.Incompatible(type, i.level(), i.checkedAgainst(), i.changes(), impact, unknown));
    }
    if (r instanceof Registration.DeclaredReadsBroken b) {
      return new RegistryAnswer.Failed(new RegistryFailure.DeclaredReadsBroken(type, b.latestVersion(), b.impact()));
    }
    if (r instanceof Registration.Refused refused) {
      return new RegistryAnswer.Failed(new RegistryFailure.SchemaRefused(type, refused.problems()));
    }
    return new RegistryAnswer.Failed(new RegistryFailure.Unavailable(((LogUnavailable) r).detail()));
  }

  /**
   * The dry run: whether registering the body would be accepted, and who it would affect; appends nothing. The
   * declared reads are asked for as for a registration, and in protect mode, reads that cannot be read are a 503
   * here too: "compatible" would be a guess.
   */
  private Future<RegistryAnswer> checkCompatibility(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    Parsed<String> body = RegistryJson.schemaBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
    if (body instanceof Parsed.Failed<String> f) {
      return Future.succeededFuture(new RegistryAnswer.Failed(f.failure()));
    }
    if (registry.state().latest(type).isEmpty()) {
      return Future.succeededFuture(new RegistryAnswer.Failed(new RegistryFailure.UnknownType(type)));
    }
    String schema = ((Parsed.Ok<String>) body).value();
    // Compiling and comparing schemas is CPU work on the client's input: on a worker.
    return contracts.withReaders(vertx, type, RegistryRoutes::readsUnavailable, readers -> vertx.executeBlocking(
        () -> dryRun(registry.state(), type, schema, readers, contracts.mode()), false));
  }

  /**
   * What registering {@code schema} as the next version of {@code type} would answer, as a value: the registry's own
   * decision on one snapshot (with the declared reads protected in protect mode), and who the change touches. 422
   * when the schema cannot be registered at all.
   */
  static RegistryAnswer dryRun(RegistryState state, String type, String schema, ContractChecks.Readers readers,
      DeclaredReadsMode mode) {
    boolean protects = mode == DeclaredReadsMode.PROTECT;
    Decision<Registration> decision =
        RegistryDecisions.register(state, type, schema, protects ? readers.known() : List.of());
    Registration outcome = decision instanceof Decision.Answer<Registration> a ? a.answer() : null;
    if (outcome instanceof Registration.Refused refused) {
      return new RegistryAnswer.Failed(new RegistryFailure.SchemaRefused(type, refused.problems()));
    }
    Compatibility level = state.compatibility(type);
    List<BreakingChange> changes = outcome instanceof Registration.Incompatible i ? i.changes() : List.of();
    ContractImpact impact = outcome instanceof Registration.Existing ? ContractImpact.NONE
        : ContractImpact.of(state.latest(type).map(SchemaVersion::schemaJson), schema, changes, readers.known());
    boolean compatible = changes.isEmpty() && !(protects && !impact.protectedFieldsBroken().isEmpty());
    JsonObject out = new JsonObject().put("type", type).put("compatible", compatible).put("level", level.name())
        .put("checkedAgainst", new JsonArray(RegistryDecisions.checkedAgainst(level, state.versions(type))))
        .put("changes", ContractJson.changes(changes))
        .put("declaredReads", mode.name().toLowerCase(Locale.ROOT));
    if (outcome instanceof Registration.Existing e) {
      out.put("existingVersion", e.version().version());
    }
    ContractJson.putAffects(out, impact, readers.unknownBecause());
    ContractJson.putGroups(out, "protectedFieldsBroken", impact.protectedFieldsBroken());
    return new RegistryAnswer.Ok(200, out);
  }

  /** Validates a document against one version; appends nothing. */
  private Future<RegistryAnswer> validate(RoutingContext ctx) {
    Parsed<SchemaVersion> v = RegistryJson.version(registry.state(), ctx.pathParam("type"), ctx.pathParam("version"));
    if (v instanceof Parsed.Failed<SchemaVersion> f) {
      return Future.succeededFuture(new RegistryAnswer.Failed(f.failure()));
    }
    SchemaVersion version = ((Parsed.Ok<SchemaVersion>) v).value();
    return withBody(ctx, data -> lane.run(meters -> validation(version, data, meters.get()))
        .recover(err -> err instanceof ValidationLane.Busy
            ? Future.succeededFuture(new RegistryAnswer.Failed(new Rejection.ValidationBusy()))
            : Future.failedFuture(err)));
  }

  /**
   * The answer to validating {@code data}. For a version that marks values sensitive, the violations and the
   * malformed-JSON detail never quote a marked value: {@link SchemaVersion#validate} scrubs them, and this route
   * shows what it answers.
   */
  static RegistryAnswer validation(SchemaVersion version, String data, CostMeter meter) {
    Validation result = version.validate(data, meter);
    if (result instanceof Validation.Valid) {
      return new RegistryAnswer.Ok(200, RegistryJson.validation(version, List.of()));
    }
    if (result instanceof Validation.Invalid invalid) {
      return new RegistryAnswer.Ok(200, RegistryJson.validation(version, invalid.violations()));
    }
    String detail = result instanceof Validation.Malformed m ? m.message() : "the body cannot be validated";
    return new RegistryAnswer.Failed(new Rejection.Malformed(detail, List.of()));
  }

  private RegistryAnswer getConfig(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    RegistryState state = registry.state();
    return state.latest(type).isEmpty()
        ? new RegistryAnswer.Failed(new RegistryFailure.UnknownType(type))
        : new RegistryAnswer.Ok(200, RegistryJson.compatibility(type, state.compatibility(type)));
  }

  private Future<RegistryAnswer> putConfig(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    return withBody(ctx, text -> {
      Parsed<Compatibility> level = RegistryJson.compatibility(text);
      if (level instanceof Parsed.Failed<Compatibility> f) {
        return Future.succeededFuture(new RegistryAnswer.Failed(f.failure()));
      }
      Compatibility wanted = ((Parsed.Ok<Compatibility>) level).value();
      return vertx.executeBlocking(() -> admin.setCompatibility(type, wanted), false).map(this::compatibilitySet);
    });
  }

  private RegistryAnswer compatibilitySet(CompatibilityChange c) {
    if (c instanceof CompatibilityChange.Set set) {
      if (set.changed()) {
        compatibilityChanges.increment();
      }
      return new RegistryAnswer.Ok(200, RegistryJson.compatibility(set.type(), set.level()));
    }
    if (c instanceof CompatibilityChange.UnknownType u) {
      return new RegistryAnswer.Failed(new RegistryFailure.UnknownType(u.type()));
    }
    return new RegistryAnswer.Failed(new RegistryFailure.Unavailable(((LogUnavailable) c).detail()));
  }

  // ------------------------------------------------------------------------------------------------ streams

  private RegistryAnswer listStreams(RoutingContext ctx) {
    return new RegistryAnswer.Ok(200, RegistryJson.streams(registry.state()));
  }

  private RegistryAnswer getStream(RoutingContext ctx) {
    String name = ctx.pathParam("stream");
    return registry.state().stream(name)
        .<RegistryAnswer>map(s -> new RegistryAnswer.Ok(200, RegistryJson.stream(s)))
        .orElseGet(() -> new RegistryAnswer.Failed(new Rejection.UnknownStream(name)));
  }

  private Future<RegistryAnswer> putStream(RoutingContext ctx) {
    String name = ctx.pathParam("stream");
    return withBody(ctx, text -> {
      Parsed<ParsedStream> parsed = RegistryJson.stream(name, text);
      if (parsed instanceof Parsed.Failed<ParsedStream> f) {
        return Future.succeededFuture(new RegistryAnswer.Failed(f.failure()));
      }
      ParsedStream stream = ((Parsed.Ok<ParsedStream>) parsed).value();
      return vertx.executeBlocking(() -> admin.putStream(stream.definition()), false)
          .compose(change -> change instanceof StreamChange.Saved saved
              // The definition is durable now; its topic follows. If that fails the answer is 503, and the same PUT
              // again (an unchanged definition) provisions the topic without writing the registry twice.
              ? vertx.executeBlocking(() -> {
                    topics.ensure(saved.stream());
                    return change;
                  }, false)
                  .recover(err -> Future.failedFuture(new TopicNotProvisioned(err.getMessage())))
              : Future.succeededFuture(change))
          .map(change -> streamPut(name, stream, change))
          .recover(err -> err instanceof TopicNotProvisioned t
              ? Future.succeededFuture(new RegistryAnswer.Failed(new RegistryFailure.Unavailable(
                  "the stream was saved but its Kafka topic could not be provisioned (" + t.getMessage()
                      + "); send the same PUT again")))
              : Future.failedFuture(err));
    });
  }

  private RegistryAnswer streamPut(String name, ParsedStream stream, StreamChange change) {
    if (change instanceof StreamChange.Saved saved) {
      if (saved.changed()) {
        streamChanges.increment();
      }
      return saved.created()
          ? new RegistryAnswer.Ok(201, RegistryJson.stream(saved.stream()), Map.of("Location", "/v1/streams/"
              + segment(name)))
          : new RegistryAnswer.Ok(200, RegistryJson.stream(saved.stream()));
    }
    if (change instanceof StreamChange.Refused r) {
      return new RegistryAnswer.Failed(new RegistryFailure.StreamRefused(name,
          RegistryJson.intoBody(r.problems(), stream)));
    }
    if (change instanceof StreamChange.Conflict c) {
      return new RegistryAnswer.Failed(new RegistryFailure.StreamConflict(name,
          RegistryJson.intoBody(c.problems(), stream)));
    }
    return new RegistryAnswer.Failed(new RegistryFailure.Unavailable(((LogUnavailable) change).detail()));
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  /** Resolves {@code :type} and {@code :version} against one snapshot, then answers with {@code then}. */
  private RegistryAnswer withVersion(RoutingContext ctx, Function<SchemaVersion, RegistryAnswer> then) {
    Parsed<SchemaVersion> v =
        RegistryJson.version(registry.state(), ctx.pathParam("type"), ctx.pathParam("version"));
    return v instanceof Parsed.Ok<SchemaVersion> ok
        ? then.apply(ok.value())
        : new RegistryAnswer.Failed(((Parsed.Failed<SchemaVersion>) v).failure());
  }

  /** Reads the JSON body, then continues with its text; a bad body answers at once. */
  private static Future<RegistryAnswer> withBody(RoutingContext ctx, Function<String, Future<RegistryAnswer>> then) {
    Parsed<String> body = jsonBody(ctx);
    if (body instanceof Parsed.Failed<String> f) {
      return Future.succeededFuture(new RegistryAnswer.Failed(f.failure()));
    }
    return then.apply(((Parsed.Ok<String>) body).value());
  }

  private static Parsed<String> jsonBody(RoutingContext ctx) {
    return RegistryJson.jsonBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
  }

  private void respond(RoutingContext ctx, Function<RoutingContext, RegistryAnswer> handler) {
    answer(ctx, handler.apply(ctx));
  }

  private void respondLater(RoutingContext ctx, Function<RoutingContext, Future<RegistryAnswer>> handler) {
    // A failed Future is a bug (the admin answers every expected failure as a value): the router's failure
    // handler answers it as a 500 problem without detail.
    handler.apply(ctx).onSuccess(a -> answer(ctx, a)).onFailure(ctx::fail);
  }

  private static void answer(RoutingContext ctx, RegistryAnswer answer) {
    if (answer instanceof RegistryAnswer.Failed f) {
      Problems.send(ctx, Problems.of(f.failure(), ctx.request().path()));
      return;
    }
    RegistryAnswer.Ok ok = (RegistryAnswer.Ok) answer;
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    response.setStatusCode(ok.status()).putHeader("Content-Type", "application/json");
    ok.headers().forEach(response::putHeader);
    response.end(ok.body().encode());
  }

  /** A URL path segment for a name (type names may hold characters that need escaping). */
  private static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

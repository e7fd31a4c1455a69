package dev.sluice.gateway.confluent;

import dev.sluice.gateway.confluent.ConfluentRequests.Read;
import dev.sluice.gateway.confluent.ConfluentRequests.VersionRef;
import dev.sluice.gateway.registry.ContractChecks;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.compat.CompatibilityChecker;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaCompiler;
import dev.sluice.schemas.registry.SchemaFingerprint;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.log.Registration;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A Confluent-compatible schema registry API under {@value #PREFIX}, over the same registry as {@code /v1/schemas}
 * (same log, same compatibility rules, JSON schemas only): what Confluent's serializers and the common consoles call.
 * Subjects map to event types by {@link SubjectMapping}; schema ids are the registry's {@code SchemaIds}. Handlers are
 * thin: read ({@link ConfluentRequests}), ask the registry, answer ({@link ConfluentResponses},
 * {@link ConfluentOutcomes}, all errors through {@link ConfluentReply}).
 *
 * <p>Threading. Reads take one immutable snapshot on the event loop (no I/O). Registrations and compatibility
 * settings go through the same {@code RegistryAdmin} as the registry's own API, which blocks until the log has the
 * change, on worker threads ({@code executeBlocking(..., false)}). Lookups and compatibility checks parse and compare
 * a client's schema (up to the body limit), so they run on workers too.
 */
public final class ConfluentRoutes {
  /** Where the API is mounted: clients take {@code http://<gateway>/confluent} as the registry's URL. */
  public static final String PREFIX = "/confluent";
  private static final System.Logger LOG = System.getLogger(ConfluentRoutes.class.getName());

  private final Vertx vertx;
  private final ConfluentParts parts;

  private ConfluentRoutes(Vertx vertx, ConfluentParts parts) {
    this.vertx = vertx;
    this.parts = parts;
  }

  /** Adds the routes, each behind its {@link ConfluentAuth}, then a catch-all 404 for other paths under the prefix. */
  public static void mount(Router router, Vertx vertx, ConfluentParts parts) {
    ConfluentRoutes r = new ConfluentRoutes(vertx, parts);
    ConfluentAuth read = ConfluentAuth.read(parts.authorizer(), parts.meters());
    ConfluentAuth write = ConfluentAuth.write(parts.authorizer(), parts.meters());
    // The schema travels as an escaped JSON string: room for escaping, then the schema itself is held to the limit.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(2 * parts.maxSchemaBytes() + 4096);
    // First, so that it answers the failures of every route below before the gateway's problem+json handler does.
    router.route(PREFIX + "/*").failureHandler(r::failed);

    router.get(PREFIX + "/subjects").handler(read).handler(ctx -> r.now(ctx, r::subjects));
    router.get(PREFIX + "/subjects/:subject/versions").handler(read).handler(ctx -> r.now(ctx, r::versions));
    router.post(PREFIX + "/subjects/:subject/versions").handler(write).handler(body)
        .handler(ctx -> r.later(ctx, r::register));
    router.get(PREFIX + "/subjects/:subject/versions/:version").handler(read).handler(ctx -> r.now(ctx, r::version));
    router.post(PREFIX + "/subjects/:subject").handler(read).handler(body).handler(ctx -> r.later(ctx, r::lookup));
    router.get(PREFIX + "/schemas/ids/:id").handler(read).handler(ctx -> r.now(ctx, r::schemaById));
    router.get(PREFIX + "/schemas/types").handler(read)
        .handler(ctx -> r.now(ctx, c -> new ConfluentAnswer.Ok(ConfluentResponses.schemaTypes())));
    router.get(PREFIX + "/config").handler(read)
        .handler(ctx -> r.now(ctx, c -> new ConfluentAnswer.Ok(ConfluentResponses.config(Compatibility.DEFAULT))));
    router.put(PREFIX + "/config").handler(write).handler(body).handler(ctx -> r.now(ctx, r::putGlobalConfig));
    router.get(PREFIX + "/config/:subject").handler(read).handler(ctx -> r.now(ctx, r::config));
    router.put(PREFIX + "/config/:subject").handler(write).handler(body).handler(ctx -> r.later(ctx, r::putConfig));
    router.post(PREFIX + "/compatibility/subjects/:subject/versions/:version").handler(read).handler(body)
        .handler(ctx -> r.later(ctx, r::checkCompatibility));
    router.route(PREFIX + "/*").handler(ctx -> ConfluentReply.send(ctx, ConfluentError.http(404, "HTTP 404 Not Found: "
        + "this path is not part of the Confluent-compatible API")));
  }

  // ------------------------------------------------------------------------------------------------ subjects

  private ConfluentAnswer subjects(RoutingContext ctx) {
    String prefix = Optional.ofNullable(ctx.request().getParam("subjectPrefix")).orElse("");
    return new ConfluentAnswer.Ok(ConfluentResponses.subjects(
        SubjectMapping.subjects(parts.registry().state()).stream().filter(s -> s.startsWith(prefix)).toList()));
  }

  private ConfluentAnswer versions(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    return withType(state, ctx, (subject, type) -> new ConfluentAnswer.Ok(
        ConfluentResponses.versions(state.versions(type))));
  }

  private ConfluentAnswer version(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    return withType(state, ctx, (subject, type) -> withVersion(state, subject, type, ctx.pathParam("version"),
        v -> new ConfluentAnswer.Ok(ConfluentResponses.version(subject.name(), v, idOf(state, v)))));
  }

  /** Registers under a type subject; under a multi-type topic subject, only finds a schema one of its types has. */
  private Future<ConfluentAnswer> register(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    Subject subject = SubjectMapping.resolve(state, ctx.pathParam("subject"));
    if (subject instanceof Subject.Unmapped u) {
      return done(ConfluentError.subjectNotFound(u.name(), u.why()));
    }
    return withSchema(ctx, schema -> {
      if (subject instanceof Subject.OfStream s) {
        return vertx.executeBlocking(() -> find(state, s.types(), schema), false)
            .map(found -> found.<ConfluentAnswer>map(v -> new ConfluentAnswer.Ok(ConfluentResponses.id(
                    idOf(state, v))))
                .orElseGet(() -> ConfluentAnswer.failed(ConfluentError.invalidSchema("subject '" + s.name()
                    + "' is the topic of stream '" + s.stream() + "', which carries several types (" + String.join(
                    ", ", s.types()) + "): register a new schema under its type's own subject (RecordNameStrategy)"))));
      }
      String type = ((Subject.OfType) subject).type();
      ContractChecks contracts = parts.contracts();
      // As the registry's own API: the declared reads first (answered back on this context), then the registration
      // and who it affects on a worker; in protect mode, no registration while the reads cannot be read.
      return contracts.withReaders(vertx, type, ConfluentRoutes::readsUnavailable, readers -> vertx.executeBlocking(
          () -> {
            ContractChecks.Registered done = contracts.register(parts.admin(), parts.registry(), type, schema, readers);
            return ConfluentOutcomes.registered(done.registration(), done.after(),
                done.impact().orElse(ContractImpact.NONE));
          }, false));
    });
  }

  /** {@code POST /subjects/{subject}}: the version of the subject that has this schema (canonically equal). */
  private Future<ConfluentAnswer> lookup(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    Subject subject = SubjectMapping.resolve(state, ctx.pathParam("subject"));
    List<String> types = typesOf(state, subject);
    if (types.isEmpty()) {
      return done(notFound(subject));
    }
    return withSchema(ctx, schema -> vertx.executeBlocking(() -> find(state, types, schema), false)
        .map(found -> found.<ConfluentAnswer>map(v -> new ConfluentAnswer.Ok(
                ConfluentResponses.version(subject.name(), v, idOf(state, v))))
            .orElseGet(() -> ConfluentAnswer.failed(ConfluentError.schemaNotFound(
                "subject '" + subject.name() + "' has no version with this schema")))));
  }

  // ------------------------------------------------------------------------------------------------ schemas

  private ConfluentAnswer schemaById(RoutingContext ctx) {
    Read<Integer> id = ConfluentRequests.id(ctx.pathParam("id"));
    if (id instanceof Read.Failed<Integer> f) {
      return ConfluentAnswer.failed(f.error());
    }
    int wanted = ((Read.Ok<Integer>) id).value();
    return parts.registry().state().ids().schema(wanted)
        .<ConfluentAnswer>map(v -> new ConfluentAnswer.Ok(ConfluentResponses.schema(v)))
        .orElseGet(() -> ConfluentAnswer.failed(ConfluentError.schemaNotFound("no schema has id " + wanted)));
  }

  // ------------------------------------------------------------------------------------------------ config

  /** The global level is the registry's fixed default: setting it to that is accepted, to anything else refused. */
  private ConfluentAnswer putGlobalConfig(RoutingContext ctx) {
    Read<Compatibility> level = ConfluentRequests.compatibility(contentType(ctx), ctx.body().buffer());
    if (level instanceof Read.Failed<Compatibility> f) {
      return ConfluentAnswer.failed(f.error());
    }
    Compatibility wanted = ((Read.Ok<Compatibility>) level).value();
    return wanted == Compatibility.DEFAULT
        ? new ConfluentAnswer.Ok(ConfluentResponses.configSet(wanted))
        : ConfluentAnswer.failed(ConfluentError.invalidCompatibilityLevel("the global level of this registry is "
            + "fixed at " + Compatibility.DEFAULT + "; set " + wanted + " per subject (PUT /config/{subject})"));
  }

  private ConfluentAnswer config(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    return withType(state, ctx, (subject, type) -> new ConfluentAnswer.Ok(
        ConfluentResponses.config(state.compatibility(type))));
  }

  private Future<ConfluentAnswer> putConfig(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    Subject subject = SubjectMapping.resolve(state, ctx.pathParam("subject"));
    if (!(subject instanceof Subject.OfType t)) {
      return done(notFound(subject));
    }
    Read<Compatibility> level = ConfluentRequests.compatibility(contentType(ctx), ctx.body().buffer());
    if (level instanceof Read.Failed<Compatibility> f) {
      return done(f.error());
    }
    Compatibility wanted = ((Read.Ok<Compatibility>) level).value();
    return vertx.executeBlocking(() -> parts.admin().setCompatibility(t.type(), wanted), false)
        .map(c -> ConfluentOutcomes.compatibilitySet(subject.name(), c));
  }

  /**
   * Whether a schema could follow the given version under the subject's level: against {@code latest}, the versions
   * the level compares with (all of them when it is transitive); against a number, that version only. Appends nothing.
   * Registration may still refuse what passes here for reasons other than compatibility (422: a marked partition
   * key...). The groups whose declared reads the change touches (against the named version) are listed with
   * {@code verbose}; in protect mode, breaking a declared field makes the schema not compatible.
   */
  private Future<ConfluentAnswer> checkCompatibility(RoutingContext ctx) {
    RegistryState state = parts.registry().state();
    boolean verbose = "true".equalsIgnoreCase(ctx.request().getParam("verbose"));
    Subject subject = SubjectMapping.resolve(state, ctx.pathParam("subject"));
    if (!(subject instanceof Subject.OfType t) || state.latest(t.type()).isEmpty()) {
      return done(notFound(subject));
    }
    Read<VersionRef> ref = ConfluentRequests.version(ctx.pathParam("version"));
    if (ref instanceof Read.Failed<VersionRef> f) {
      return done(f.error());
    }
    VersionRef r = ((Read.Ok<VersionRef>) ref).value();
    Optional<SchemaVersion> named = r.latest() ? state.latest(t.type()) : state.version(t.type(), r.number());
    if (named.isEmpty()) {
      return done(ConfluentError.versionNotFound(subject.name(), r.toString()));
    }
    List<String> against = (r.latest() ? state.versions(t.type()) : List.of(named.get())).stream()
        .map(SchemaVersion::schemaJson).toList();
    Compatibility level = state.compatibility(t.type());
    ContractChecks contracts = parts.contracts();
    return withSchema(ctx, schema -> contracts.withReaders(vertx, t.type(), ConfluentRoutes::readsUnavailable,
        readers -> vertx.executeBlocking(() -> {
          if (SchemaCompiler.compile(schema) instanceof SchemaCompiler.Refused refused) {
            return ConfluentAnswer.failed(ConfluentOutcomes.refused(refused.problems()));
          }
          List<BreakingChange> changes = CompatibilityChecker.check(level, against, schema);
          ContractImpact impact = ContractImpact.of(Optional.of(named.get().schemaJson()), schema, changes,
              readers.known());
          return new ConfluentAnswer.Ok(ConfluentResponses.compatibility(changes, impact, readers.unknownBecause(),
              contracts.protects(), verbose));
        }, false)));
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  /** Continues with a subject that is one type having at least one version; anything else is 40401. */
  private static ConfluentAnswer withType(RegistryState state, RoutingContext ctx,
      BiFunction<Subject, String, ConfluentAnswer> then) {
    Subject subject = SubjectMapping.resolve(state, ctx.pathParam("subject"));
    return subject instanceof Subject.OfType t && state.latest(t.type()).isPresent()
        ? then.apply(subject, t.type())
        : ConfluentAnswer.failed(notFound(subject));
  }

  /** Continues with the version the segment names: 42202 if it names none, 40402 if the type lacks it. */
  private static ConfluentAnswer withVersion(RegistryState state, Subject subject, String type, String raw,
      Function<SchemaVersion, ConfluentAnswer> then) {
    Read<VersionRef> ref = ConfluentRequests.version(raw);
    if (ref instanceof Read.Failed<VersionRef> f) {
      return ConfluentAnswer.failed(f.error());
    }
    VersionRef r = ((Read.Ok<VersionRef>) ref).value();
    Optional<SchemaVersion> v = r.latest() ? state.latest(type) : state.version(type, r.number());
    return v.isPresent()
        ? then.apply(v.get())
        : ConfluentAnswer.failed(ConfluentError.versionNotFound(subject.name(), r.toString()));
  }

  private static ConfluentError notFound(Subject subject) {
    String why = "";
    if (subject instanceof Subject.Unmapped u) {
      why = u.why();
    } else if (subject instanceof Subject.OfStream s) {
      why = " It is the topic of stream '" + s.stream() + "', which carries several types ("
          + String.join(", ", s.types()) + "): use a type's own subject (RecordNameStrategy).";
    }
    return ConfluentError.subjectNotFound(subject.name(), why);
  }

  /** The types whose versions a subject stands for: none when it names nothing registered. */
  private static List<String> typesOf(RegistryState state, Subject subject) {
    if (subject instanceof Subject.OfType t && state.latest(t.type()).isPresent()) {
      return List.of(t.type());
    }
    return subject instanceof Subject.OfStream s ? s.types() : List.of();
  }

  /** The first of {@code types} (in order) with a version canonically equal to {@code schema}. CPU: on a worker. */
  private static Optional<SchemaVersion> find(RegistryState state, List<String> types, String schema) {
    String fingerprint = SchemaFingerprint.of(schema);
    return types.stream().flatMap(t -> state.byFingerprint(t, fingerprint).stream()).findFirst();
  }

  private static int idOf(RegistryState state, SchemaVersion v) {
    return state.ids().id(v.fingerprint()).orElseThrow();
  }

  private Future<ConfluentAnswer> withSchema(RoutingContext ctx, Function<String, Future<ConfluentAnswer>> then) {
    Read<String> schema = ConfluentRequests.schema(contentType(ctx), ctx.body().buffer(), parts.maxSchemaBytes());
    if (schema instanceof Read.Failed<String> f) {
      return done(f.error());
    }
    return then.apply(((Read.Ok<String>) schema).value());
  }

  private static String contentType(RoutingContext ctx) {
    return ctx.request().getHeader("Content-Type");
  }

  /** In protect mode, the declared reads could not be read: nothing is registered or judged without them. */
  private static ConfluentAnswer readsUnavailable(String why) {
    return ConfluentAnswer.failed(ConfluentError.readsUnavailable(why));
  }

  private static Future<ConfluentAnswer> done(ConfluentError error) {
    return Future.succeededFuture(ConfluentAnswer.failed(error));
  }

  private void now(RoutingContext ctx, Function<RoutingContext, ConfluentAnswer> handler) {
    ConfluentReply.send(ctx, handler.apply(ctx));
  }

  private void later(RoutingContext ctx, Function<RoutingContext, Future<ConfluentAnswer>> handler) {
    // A failed Future is a bug (the admin answers every expected failure as a value): failed() answers it as a 500.
    handler.apply(ctx).onSuccess(a -> ConfluentReply.send(ctx, a)).onFailure(ctx::fail);
  }

  /** Failures under the prefix (a body over the limit, a bug) in Confluent's format, never a stack trace. */
  private void failed(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status == 413) {
      ConfluentReply.send(ctx, ConfluentError.http(413, "the body is over " + (2 * parts.maxSchemaBytes() + 4096)
          + " bytes"));
    } else if (status >= 400 && status < 500) {
      ConfluentReply.send(ctx, ConfluentError.http(status, "HTTP " + status));
    } else {
      LOG.log(System.Logger.Level.ERROR, "unexpected failure on " + ctx.request().path(), ctx.failure());
      ConfluentReply.send(ctx, ConfluentError.http(500, "internal error"));
    }
  }
}

package dev.sluice.gateway.auth;

import dev.sluice.gateway.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A route handler in front of every protected route: checks the {@code Authorization} header for the route's scope,
 * then either records the key in the context ({@value #API_KEY}) and passes on, or answers 401, 403 or 429 as
 * problem+json ({@link AccessFailure}). Runs on the event loop: hashing a token and taking a bucket token are a few
 * microseconds of CPU.
 *
 * <p>Put it before the body handler, so a refused request is answered before its body is read into memory. Vert.x Web
 * only allows handlers of a few kinds before a {@code BodyHandler}; this one declares itself a
 * {@link SecurityPolicyHandler} (a marker interface) for that reason. It is synchronous, so no request data is missed
 * between it and the body handler.
 *
 * <p>The token is never logged, put in the context, or echoed in an answer; only the key's name is.
 *
 * <p>Counts refusals in {@code sluice_gateway_access_denied_total{reason}}, reason one of {@code missing_credentials},
 * {@code unknown_key}, {@code stream_forbidden}, {@code admin_required}, {@code rate_limited}.
 */
public final class AuthHandler implements SecurityPolicyHandler {
  /** The context key under which a granted request's {@link ApiKey} is stored. */
  public static final String API_KEY = "sluice.apiKey";
  public static final String DENIED = "sluice.gateway.access.denied";

  private final Authorizer authorizer;
  private final Function<RoutingContext, Scope> scope;
  private final MeterRegistry meters;

  private AuthHandler(Authorizer authorizer, Function<RoutingContext, Scope> scope, MeterRegistry meters) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.scope = scope;
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** For {@code /v1/streams/:stream/events}: the key must be allowed to post to the path's {@code stream}. */
  public static AuthHandler ingest(Authorizer authorizer, MeterRegistry meters) {
    return new AuthHandler(authorizer, ctx -> new Scope.Ingest(String.valueOf(ctx.pathParam("stream"))), meters);
  }

  /** For registry and stream reads (and validate): any known key. */
  public static AuthHandler registryRead(Authorizer authorizer, MeterRegistry meters) {
    return new AuthHandler(authorizer, ctx -> new Scope.RegistryRead(), meters);
  }

  /** For schema registration and compatibility changes: admin keys only. */
  public static AuthHandler registryWrite(Authorizer authorizer, MeterRegistry meters) {
    return new AuthHandler(authorizer, ctx -> new Scope.RegistryWrite(), meters);
  }

  /** For stream definition changes: admin keys only. */
  public static AuthHandler streamAdmin(Authorizer authorizer, MeterRegistry meters) {
    return new AuthHandler(authorizer, ctx -> new Scope.StreamAdmin(), meters);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Access access = authorizer.check(ctx.request().getHeader("Authorization"), scope.apply(ctx));
    if (access instanceof Access.Granted granted) {
      ctx.put(API_KEY, granted.key());
      ctx.next();
      return;
    }
    AccessFailure failure = ((Access.Denied) access).failure();
    countDenied(meters, failure);
    Problems.send(ctx, Problems.of(failure, ctx.request().path()));
  }

  /** Counts a refusal in {@value #DENIED} by its reason; for every handler that refuses access, whatever its format. */
  public static void countDenied(MeterRegistry meters, AccessFailure failure) {
    Counter.builder(DENIED)
        .description("Requests refused for missing or unknown credentials, missing rights, or over the key's rate")
        .tag("reason", failure.label())
        .register(meters)
        .increment();
  }

  /** The key a request was granted under, if an {@code AuthHandler} ran before. */
  public static Optional<ApiKey> apiKey(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(API_KEY));
  }
}

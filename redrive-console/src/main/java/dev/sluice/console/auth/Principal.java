package dev.sluice.console.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is making the request, as {@link ConsoleAuth} established it before any route ran. Handlers read it with
 * {@link #of(RoutingContext)}: for the audit trail ({@link #name()}) and for role checks ({@link #may}).
 *
 * @param name the user name, or the configured name of the bearer token; what the audit trail records
 * @param via how the request proved it: a login session cookie, or a bearer token
 */
public record Principal(String name, Role role, Via via) {
  /** The routing-context key {@link ConsoleAuth} stores the principal under. */
  public static final String CONTEXT_KEY = "sluice.console.principal";

  public enum Via {
    SESSION, BEARER
  }

  public Principal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(via, "via");
  }

  public boolean may(Role.Action action) {
    return role.may(action);
  }

  /**
   * The request's principal.
   *
   * @throws IllegalStateException when the route is not behind {@link ConsoleAuth} (a wiring bug, never a user error)
   */
  public static Principal of(RoutingContext ctx) {
    return find(ctx).orElseThrow(() -> new IllegalStateException(
        "no principal on " + ctx.request().path() + ": the route is not behind ConsoleAuth"));
  }

  /** The request's principal, if it was authenticated (public routes such as {@code /health/*} have none). */
  public static Optional<Principal> find(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CONTEXT_KEY));
  }
}

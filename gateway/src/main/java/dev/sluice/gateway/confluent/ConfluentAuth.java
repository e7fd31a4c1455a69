package dev.sluice.gateway.confluent;

import dev.sluice.gateway.auth.Access;
import dev.sluice.gateway.auth.AuthHandler;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.auth.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Authentication in front of the Confluent-compatible routes: the same keys, roles and rate limits as the registry's
 * own API ({@link Authorizer}: reads for any key, writes for admin keys), refusals told Confluent's way
 * (40101, 40301, 42901) and counted as {@link AuthHandler} counts them.
 *
 * <p>Confluent's clients send a key either as a Bearer token ({@code bearer.auth.credentials.source=STATIC_TOKEN}) or
 * with HTTP Basic ({@code basic.auth.user.info=<anything>:<api key>}): for Basic, the password is the API key and the
 * user name is ignored. The token is never logged nor echoed.
 *
 * <p>A {@link SecurityPolicyHandler} so it may stand before the body handler: a refused caller is answered before its
 * body is buffered. Runs on the event loop (a hash and a bucket: microseconds).
 */
public final class ConfluentAuth implements SecurityPolicyHandler {
  private final Authorizer authorizer;
  private final Scope scope;
  private final MeterRegistry meters;

  private ConfluentAuth(Authorizer authorizer, Scope scope, MeterRegistry meters) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.scope = scope;
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** Reads, lookups and compatibility checks: any known key. */
  public static ConfluentAuth read(Authorizer authorizer, MeterRegistry meters) {
    return new ConfluentAuth(authorizer, new Scope.RegistryRead(), meters);
  }

  /** Registrations and compatibility settings: admin keys only. */
  public static ConfluentAuth write(Authorizer authorizer, MeterRegistry meters) {
    return new ConfluentAuth(authorizer, new Scope.RegistryWrite(), meters);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Access access = authorizer.check(asBearer(ctx.request().getHeader("Authorization")), scope);
    if (access instanceof Access.Granted granted) {
      ctx.put(AuthHandler.API_KEY, granted.key());
      ctx.next();
      return;
    }
    Access.Denied denied = (Access.Denied) access;
    AuthHandler.countDenied(meters, denied.failure());
    ConfluentReply.send(ctx, ConfluentOutcomes.denied(denied.failure()));
  }

  /**
   * The header as the {@link Authorizer} reads it: {@code Basic base64(user:key)} becomes {@code Bearer key}; any
   * other header is left as it is (and refused there if it is not a Bearer token).
   */
  static String asBearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
      return header;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(space + 1).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : "Bearer " + decoded.substring(colon + 1);
  }
}

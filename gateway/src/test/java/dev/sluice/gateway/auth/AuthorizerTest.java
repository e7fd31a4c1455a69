package dev.sluice.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
  private static final ApiKey PRODUCER =
      new ApiKey("retail-producer", ApiKeys.sha256Hex("p-token"), Set.of("retail"), false, 100, 100);
  private static final ApiKey ADMIN =
      new ApiKey("ops", ApiKeys.sha256Hex("a-token"), Set.of(), true, 100, 100);
  private static final ApiKey SLOW =
      new ApiKey("slow", ApiKeys.sha256Hex("s-token"), Set.of("retail"), false, 1, 2);

  private final AtomicLong nanos = new AtomicLong();
  private final Authorizer authorizer =
      new Authorizer(ApiKeys.of(List.of(PRODUCER, ADMIN, SLOW)), new RateLimiter(nanos::get));

  private AccessFailure denied(String header, Scope scope) {
    return assertInstanceOf(Access.Denied.class, authorizer.check(header, scope)).failure();
  }

  private ApiKey granted(String header, Scope scope) {
    return assertInstanceOf(Access.Granted.class, authorizer.check(header, scope)).key();
  }

  @Test
  void missingEmptyOrNonBearerCredentials() {
    Scope s = new Scope.Ingest("retail");
    for (String header : new String[] {null, "", "   ", "Bearer", "Bearer   ", "Basic cC10b2tlbjo=", "p-token"}) {
      assertInstanceOf(AccessFailure.MissingCredentials.class, denied(header, s), String.valueOf(header));
    }
  }

  @Test
  void unknownKey() {
    assertInstanceOf(AccessFailure.UnknownKey.class, denied("Bearer nope", new Scope.Ingest("retail")));
    assertInstanceOf(AccessFailure.UnknownKey.class, denied("Bearer P-TOKEN", new Scope.RegistryRead()),
        "tokens are case-sensitive");
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertEquals(PRODUCER, granted("bearer p-token", new Scope.Ingest("retail")));
    assertEquals(PRODUCER, granted("  BEARER   p-token ", new Scope.Ingest("retail")));
  }

  @Test
  void streamsAreScoped() {
    assertEquals(PRODUCER, granted("Bearer p-token", new Scope.Ingest("retail")));
    var f = assertInstanceOf(AccessFailure.StreamForbidden.class, denied("Bearer p-token", new Scope.Ingest("orders")));
    assertEquals(PRODUCER, f.key());
    assertEquals("orders", f.stream());
    assertInstanceOf(AccessFailure.StreamForbidden.class, denied("Bearer a-token", new Scope.Ingest("retail")),
        "admin does not imply any stream");
  }

  @Test
  void registryReadsNeedAnyKeyAndWritesAnAdminKey() {
    assertEquals(PRODUCER, granted("Bearer p-token", new Scope.RegistryRead()));
    assertEquals(PRODUCER, assertInstanceOf(AccessFailure.AdminRequired.class,
        denied("Bearer p-token", new Scope.RegistryWrite())).key());
    assertInstanceOf(AccessFailure.AdminRequired.class, denied("Bearer p-token", new Scope.StreamAdmin()));
    assertEquals(ADMIN, granted("Bearer a-token", new Scope.RegistryWrite()));
    assertEquals(ADMIN, granted("Bearer a-token", new Scope.StreamAdmin()));
    assertEquals(ADMIN, granted("Bearer a-token", new Scope.RegistryRead()));
  }

  @Test
  void rateLimitingCountsEveryAuthenticatedRequestWhateverItsScope() {
    granted("Bearer s-token", new Scope.Ingest("retail"));
    denied("Bearer s-token", new Scope.RegistryWrite());   // refused, but it used the second token of the burst
    var limited = assertInstanceOf(AccessFailure.RateLimited.class,
        denied("Bearer s-token", new Scope.RegistryRead()));
    assertEquals(SLOW, limited.key());
    assertEquals(1, limited.retryAfterSeconds());
    assertInstanceOf(AccessFailure.RateLimited.class, denied("Bearer s-token", new Scope.Ingest("orders")));
    assertEquals(PRODUCER, granted("Bearer p-token", new Scope.RegistryRead()), "other keys are not affected");
    nanos.addAndGet(1_000_000_000L);
    granted("Bearer s-token", new Scope.Ingest("retail"));
  }

  @Test
  void unauthenticatedRequestsDoNotDrainAKeysQuota() {
    for (int i = 0; i < 10; i++) {
      denied("Bearer nope", new Scope.Ingest("retail"));
      denied(null, new Scope.Ingest("retail"));
    }
    granted("Bearer s-token", new Scope.Ingest("retail"));
    granted("Bearer s-token", new Scope.Ingest("retail"));
  }

  @Test
  void bearerTokenParsing() {
    assertEquals(Optional.of("abc"), Authorizer.bearerToken("Bearer abc"));
    assertEquals(Optional.of("a b"), Authorizer.bearerToken("Bearer a b"));
    assertEquals(Optional.empty(), Authorizer.bearerToken("Bearerabc"));
  }
}

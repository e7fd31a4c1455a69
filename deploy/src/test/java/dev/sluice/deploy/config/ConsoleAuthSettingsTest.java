package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.auth.Credentials;
import dev.sluice.console.auth.LoginLimits;
import dev.sluice.console.auth.PasswordHash;
import dev.sluice.console.auth.Role;
import dev.sluice.console.auth.SignInSettings;
import dev.sluice.console.auth.TrustedProxies;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleAuthSettingsTest {
  private static AuthSettings read(Map<String, String> raw) {
    return SluiceConfig.from(RawConfig.of(raw)).console().auth();
  }

  @Test
  void outsideDevNobodyCanSignInUntilConfigured() {
    AuthSettings s = read(Map.of());
    assertFalse(s.devCredentials());
    assertTrue(s.credentials().isEmpty());
    assertEquals(Duration.ofHours(8), s.sessionTtl());
    assertFalse(s.secureCookie());
    assertEquals("sluice-console-sessions", s.sessionTable());
    assertEquals(1_000, s.operatorBulkLimit());
  }

  @Test
  void devUsersAndConfiguredOnesTogether() {
    String hash = PasswordHash.create("a-long-password", 1_000, new SecureRandom()).encoded();
    AuthSettings s = read(Map.of(
        "sluice.console.dev.users", "true",
        "sluice.console.users.ops-lead.password", hash,
        "sluice.console.users.ops-lead.role", "admin",
        "sluice.console.tokens.ci.sha256", Credentials.sha256Hex("ci-token-0123456789"),
        "sluice.console.tokens.ci.role", "viewer",
        "sluice.console.session.ttl", "30m",
        "sluice.console.cookie.secure", "true",
        "sluice.console.session.table", "ops-console-sessions",
        "sluice.console.bulk.operator.limit", "5000"));
    assertTrue(s.devCredentials());
    assertEquals(Role.ADMIN, s.credentials().user("ops-lead").orElseThrow().role());
    assertEquals(Role.OPERATOR, s.credentials().user("operator").orElseThrow().role());
    assertEquals(Role.VIEWER, s.credentials().token("ci-token-0123456789").orElseThrow().role());
    assertEquals(Role.OPERATOR, s.credentials().token("dev-operator").orElseThrow().role());
    assertEquals(Duration.ofMinutes(30), s.sessionTtl());
    assertTrue(s.secureCookie());
    assertEquals("ops-console-sessions", s.sessionTable());
    assertEquals(5000, s.operatorBulkLimit());
  }

  @Test
  void everyProblemIsReportedAtOnceWithoutQuotingAPassword() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
        "sluice.console.users.ann.password", "plain-text-password",
        "sluice.console.users.ann.role", "operator",
        "sluice.console.session.ttl", "10s",
        "sluice.console.cookie.secure", "maybe")));
    String message = e.getMessage();
    assertTrue(message.contains("sluice.console.users.ann.password"), message);
    assertTrue(message.contains("sluice.console.session.ttl"), message);
    assertTrue(message.contains("sluice.console.cookie.secure"), message);
    assertFalse(message.contains("plain-text-password"), message);
  }

  @Test
  void signInLimitsThePublicOriginAndTrustedProxiesAreReadAndDefaultToTheSafeChoice() {
    SignInSettings defaults = read(Map.of()).signIn();
    assertEquals(LoginLimits.defaults(), defaults.limits());
    assertEquals(new LoginLimits(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15)), defaults.limits());
    assertEquals(Optional.empty(), defaults.publicOrigin(), "the console's own address stands in");
    assertTrue(defaults.trustedProxies().isEmpty(), "X-Forwarded-For is not believed");

    SignInSettings s = read(Map.of(
        "sluice.console.login.user.attempts", "3",
        "sluice.console.login.address.attempts", "50",
        "sluice.console.login.window", "10m",
        "sluice.console.login.lockout", "1h",
        "sluice.console.public.origin", "https://Console.Example.com/",
        "sluice.console.trusted.proxies", "10.0.0.0/8, 192.0.2.10")).signIn();
    assertEquals(new LoginLimits(3, 50, Duration.ofMinutes(10), Duration.ofHours(1)), s.limits());
    assertEquals("https://console.example.com", s.publicOrigin().orElseThrow().toString());
    assertEquals(TrustedProxies.parse("10.0.0.0/8, 192.0.2.10"), s.trustedProxies());
    assertEquals(java.util.Set.of(), SluiceConfig.unknownKeys(RawConfig.of(Map.of(
        "sluice.console.login.user.attempts", "3", "sluice.console.login.address.attempts", "50",
        "sluice.console.login.window", "10m", "sluice.console.login.lockout", "1h",
        "sluice.console.public.origin", "https://console.example.com",
        "sluice.console.trusted.proxies", "10.0.0.0/8"))));
  }

  @Test
  void signInSettingsThatCannotBeUsedAreEachReportedAtStartUp() {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
        "sluice.console.public.origin", "console.example.com",
        "sluice.console.trusted.proxies", "lb.internal",
        "sluice.console.login.user.attempts", "0",
        "sluice.console.login.lockout", "48h")));
    String message = e.getMessage();
    for (String key : new String[] {"sluice.console.public.origin", "sluice.console.trusted.proxies",
        "sluice.console.login.user.attempts", "sluice.console.login.lockout"}) {
      assertTrue(message.contains(key), key + " in " + message);
    }
    for (String origin : new String[] {"https://console.example.com/login", "ftp://console.example.com",
        "https://ann@console.example.com"}) {
      assertThrows(ConfigException.class, () -> read(Map.of("sluice.console.public.origin", origin)), origin);
    }
  }

  @Test
  void aSessionTableNameDynamoDbWouldRefuseIsAConfigError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> read(Map.of("sluice.console.session.table", "no spaces allowed")));
    assertTrue(e.getMessage().contains("sluice.console.session.table"), e.getMessage());
  }

  @Test
  void theInMemorySessionBoundIsGoneAndItsKeyIsReportedAsUnknown() {
    // Sessions live in DynamoDB now: the old bound is not read, so the launcher warns about it instead of using it.
    assertEquals(java.util.Set.of("sluice.console.session.max"),
        SluiceConfig.unknownKeys(RawConfig.of(Map.of("sluice.console.session.max", "50"))));
  }

  @Test
  void aDefaultGivenBySluiceDevIsOverriddenByTheFileOrEnvironment() {
    RawConfig none = RawConfig.of(Map.of()).withDefault("sluice.console.dev.users", "true", "./sluice dev");
    assertEquals("true", none.get("sluice.console.dev.users"));
    assertEquals("./sluice dev", none.origin("sluice.console.dev.users"));
    RawConfig set = RawConfig.of(Map.of("sluice.console.dev.users", "false"))
        .withDefault("sluice.console.dev.users", "true", "./sluice dev");
    assertEquals("false", set.get("sluice.console.dev.users"));
  }
}

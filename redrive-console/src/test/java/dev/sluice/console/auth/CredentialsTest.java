package dev.sluice.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void usersAndTokensAreReadFromTheirHashes() {
    String stored = PasswordHash.create("s3cret-pass", 1_000, new SecureRandom()).encoded();
    List<String> problems = new ArrayList<>();
    Credentials c = Credentials.parse(Map.of(
        "sluice.console.users.alice.password", stored,
        "sluice.console.users.alice.role", "operator",
        "sluice.console.tokens.ci-bot.sha256", Credentials.sha256Hex("ci-bot-token-0123456789"),
        "sluice.console.tokens.ci-bot.role", "ADMIN",
        "sluice.console.port", "8081"), problems);
    assertEquals(List.of(), problems);
    Credentials.User alice = c.user("alice").orElseThrow();
    assertEquals(Role.OPERATOR, alice.role());
    assertTrue(alice.password().matches("s3cret-pass"));
    Credentials.Token bot = c.token("ci-bot-token-0123456789").orElseThrow();
    assertEquals("ci-bot", bot.name());
    assertEquals(Role.ADMIN, bot.role());
    assertTrue(c.token("ci-bot-token-012345678").isEmpty());
    assertTrue(c.token(null).isEmpty());
    assertFalse(c.toString().contains(bot.sha256Hex()), "names only");
  }

  @Test
  void everyProblemIsReportedNamingThePropertyNeverItsValue() {
    List<String> problems = new ArrayList<>();
    Credentials c = Credentials.parse(Map.of(
        "sluice.console.users.bob.password", "hunter2",
        "sluice.console.users.bob.role", "boss",
        "sluice.console.users.Carol.role", "viewer",
        "sluice.console.users.dave.colour", "blue",
        "sluice.console.tokens.t1.sha256", "dev-operator",
        "sluice.console.tokens.t2.role", "viewer"), problems);
    assertTrue(c.isEmpty(), c.toString());
    String all = String.join("\n", problems);
    for (String expected : new String[] {"sluice.console.users.bob.password", "sluice.console.users.bob.role",
        "'Carol'", "sluice.console.users.dave.colour", "sluice.console.tokens.t1.sha256",
        "sluice.console.tokens.t2.sha256 is missing", "sluice.console.tokens.t1.role"}) {
      assertTrue(all.contains(expected), expected + " in\n" + all);
    }
    assertFalse(all.contains("hunter2"), all);
    assertFalse(all.contains("dev-operator"), all);
  }

  @Test
  void oneTokenMustNotStandForTwo() {
    String sha = Credentials.sha256Hex("same-token-0123456789");
    List<String> problems = new ArrayList<>();
    Credentials c = Credentials.parse(Map.of(
        "sluice.console.tokens.a.sha256", sha, "sluice.console.tokens.a.role", "viewer",
        "sluice.console.tokens.b.sha256", sha, "sluice.console.tokens.b.role", "admin"), problems);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(Role.VIEWER, c.token("same-token-0123456789").orElseThrow().role());
    assertThrows(IllegalArgumentException.class, () -> Credentials.dev().plus(Credentials.dev()));
  }

  @Test
  void theDevTokensAreTheDocumentedOnes() {
    Credentials dev = Credentials.dev();
    assertEquals(Role.VIEWER, dev.token("dev-viewer").orElseThrow().role());
    assertEquals(Role.OPERATOR, dev.token("dev-operator").orElseThrow().role());
    assertEquals(Role.ADMIN, dev.token("dev-admin").orElseThrow().role());
    assertEquals(List.of("viewer", "operator", "admin"), dev.users().stream().map(Credentials.User::name).toList());
    assertTrue(Credentials.none().isEmpty());
  }
}

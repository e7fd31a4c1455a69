package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.auth.ApiKey;
import dev.sluice.gateway.auth.ApiKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainHashKeyTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return Main.run(args, Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void printsConfigLinesThatGrantTheTokenWithoutTheTokenItself() throws Exception {
    String token = "team-orders-4f9c2a7e1b";
    assertEquals(0, run(token + "\n", "hash-key", "orders"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains(token), printed);

    Properties props = new Properties();
    props.load(new java.io.StringReader(printed));
    List<String> problems = new ArrayList<>();
    Map<String, String> map = new java.util.HashMap<>();
    props.forEach((k, v) -> map.put((String) k, (String) v));
    ApiKeys keys = ApiKeys.parse(map, problems);
    assertEquals(List.of(), problems);
    ApiKey key = keys.lookup(token).orElseThrow();
    assertEquals("orders", key.name());
    assertTrue(key.mayPostTo("retail"));
  }

  @Test
  void refusesAShortTokenAndABadName() {
    assertEquals(Main.EXIT_USAGE, run("short", "hash-key", "orders"));
    assertEquals(Main.EXIT_USAGE, run("long-enough-token-1234", "hash-key", "bad name"));
    assertEquals(Main.EXIT_USAGE, run("long-enough-token-1234", "hash-key"));
  }

  @Test
  void hashPasswordPrintsAConsoleUserWithoutThePassword() throws Exception {
    String password = "correct horse battery";
    assertEquals(0, run(password + "\n", "hash-password", "ops-lead", "admin"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains(password), printed);
    Properties props = new Properties();
    props.load(new java.io.StringReader(printed));
    Map<String, String> map = new java.util.HashMap<>();
    props.forEach((k, v) -> map.put((String) k, (String) v));
    List<String> problems = new ArrayList<>();
    dev.sluice.console.auth.Credentials c = dev.sluice.console.auth.Credentials.parse(map, problems);
    assertEquals(List.of(), problems);
    dev.sluice.console.auth.Credentials.User user = c.user("ops-lead").orElseThrow();
    assertEquals(dev.sluice.console.auth.Role.ADMIN, user.role());
    assertTrue(user.password().matches(password));
  }

  @Test
  void hashPasswordRefusesAShortPasswordABadNameAndAnUnknownRole() {
    assertEquals(Main.EXIT_USAGE, run("short", "hash-password", "ann"));
    assertEquals(Main.EXIT_USAGE, run("long-enough-password", "hash-password", "Ann"));
    assertEquals(Main.EXIT_USAGE, run("long-enough-password", "hash-password", "ann", "root"));
    assertEquals(Main.EXIT_USAGE, run("long-enough-password", "hash-password"));
  }
}

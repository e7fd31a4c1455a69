package dev.sluice.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private static final String TOKEN = "s3cret-token-of-team-a";

  @Test
  void devKeysAreFoundByTheirDocumentedTokensAndStoredOnlyAsHashes() {
    ApiKeys dev = ApiKeys.dev();
    ApiKey producer = dev.lookup("dev-producer").orElseThrow();
    assertEquals("dev-producer", producer.name());
    assertFalse(producer.admin());
    assertTrue(producer.mayPostTo("retail") && producer.mayPostTo("anything"));
    assertTrue(producer.ratePerSecond() >= 50_000, "load tests must not be throttled");
    ApiKey admin = dev.lookup("dev-admin").orElseThrow();
    assertTrue(admin.admin());
    assertTrue(admin.mayPostTo("retail"));

    assertEquals(ApiKeys.sha256Hex("dev-producer"), ApiKeys.DEV_PRODUCER_SHA256);
    assertEquals(ApiKeys.sha256Hex("dev-admin"), ApiKeys.DEV_ADMIN_SHA256);
    assertEquals(Optional.empty(), dev.lookup("dev-nobody"));
    assertEquals(Optional.empty(), dev.lookup(""));
    assertEquals(Optional.empty(), dev.lookup(null));
    // The hash itself is not a token.
    assertEquals(Optional.empty(), dev.lookup(ApiKeys.DEV_PRODUCER_SHA256));
  }

  @Test
  void sha256HexIsTheStandardDigestInLowerCaseHex() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ApiKeys.sha256Hex(""));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.sha256Hex("abc"));
  }

  @Test
  void parsesKeysWithDefaults() {
    Map<String, String> props = Map.of(
        "sluice.gateway.keys.team-a.sha256", ApiKeys.sha256Hex(TOKEN).toUpperCase(),
        "sluice.gateway.keys.team-a.streams", " retail , orders,,",
        "sluice.gateway.keys.ops.sha256", ApiKeys.sha256Hex("ops-token"),
        "sluice.gateway.keys.ops.admin", "TRUE",
        "sluice.gateway.keys.ops.streams", "*",
        "sluice.gateway.keys.ops.rate.per.second", "2.5",
        "sluice.gateway.keys.ops.burst", "7",
        "sluice.gateway.port", "8080");
    List<String> problems = new ArrayList<>();
    ApiKeys keys = ApiKeys.parse(props, problems);

    assertEquals(List.of(), problems);
    ApiKey a = keys.lookup(TOKEN).orElseThrow();
    assertEquals("team-a", a.name());
    assertEquals(Set.of("retail", "orders"), a.streams());
    assertFalse(a.admin());
    assertEquals(1000, a.ratePerSecond());
    assertEquals(2000, a.burst());
    assertTrue(a.mayPostTo("orders"));
    assertFalse(a.mayPostTo("payments"));

    ApiKey ops = keys.lookup("ops-token").orElseThrow();
    assertTrue(ops.admin());
    assertTrue(ops.mayPostTo("payments"));
    assertEquals(2.5, ops.ratePerSecond());
    assertEquals(7, ops.burst());
  }

  @Test
  void aKeyWithoutStreamsMayPostNowhere() {
    List<String> problems = new ArrayList<>();
    ApiKeys keys = ApiKeys.parse(Map.of("sluice.gateway.keys.reader.sha256", ApiKeys.sha256Hex("r")), problems);
    assertEquals(List.of(), problems);
    assertEquals(Set.of(), keys.lookup("r").orElseThrow().streams());
    assertFalse(keys.lookup("r").orElseThrow().mayPostTo("retail"));
  }

  @Test
  void collectsEveryProblemAndLeavesThoseKeysOut() {
    Map<String, String> props = new HashMap<>();
    props.put("sluice.gateway.keys.good.sha256", ApiKeys.sha256Hex("good"));
    props.put("sluice.gateway.keys.plain.sha256", TOKEN);                     // the token instead of its hash
    props.put("sluice.gateway.keys.nohash.streams", "retail");                // no sha256 at all
    props.put("sluice.gateway.keys.adm.sha256", ApiKeys.sha256Hex("adm"));
    props.put("sluice.gateway.keys.adm.admin", "yes");
    props.put("sluice.gateway.keys.rate.sha256", ApiKeys.sha256Hex("rate"));
    props.put("sluice.gateway.keys.rate.rate.per.second", "-1");
    props.put("sluice.gateway.keys.burst.sha256", ApiKeys.sha256Hex("burst"));
    props.put("sluice.gateway.keys.burst.burst", "lots");
    props.put("sluice.gateway.keys.str.sha256", ApiKeys.sha256Hex("str"));
    props.put("sluice.gateway.keys.str.streams", "retail,bad stream");
    props.put("sluice.gateway.keys.twin.sha256", ApiKeys.sha256Hex("good"));  // same token as "good"
    props.put("sluice.gateway.keys.good.colour", "blue");                     // not a setting
    props.put("sluice.gateway.keys.we!rd.sha256", ApiKeys.sha256Hex("w"));    // bad name
    List<String> problems = new ArrayList<>();
    ApiKeys keys = ApiKeys.parse(props, problems);

    assertEquals(9, problems.size(), problems::toString);
    assertHas(problems, "sluice.gateway.keys.plain.sha256 must be 64 hex digits");
    assertHas(problems, "sluice.gateway.keys.nohash.sha256 is missing");
    assertHas(problems, "sluice.gateway.keys.adm.admin must be true or false");
    assertHas(problems, "sluice.gateway.keys.rate.rate.per.second must be a positive number");
    assertHas(problems, "sluice.gateway.keys.burst.burst must be a whole number");
    assertHas(problems, "sluice.gateway.keys.str.streams: 'bad stream' is not a stream name");
    assertHas(problems, "sluice.gateway.keys.twin.sha256 is the same as sluice.gateway.keys.good.sha256");
    assertHas(problems, "sluice.gateway.keys.good.colour is not a key setting");
    assertHas(problems, "the key name 'we!rd'");
    assertTrue(problems.stream().noneMatch(p -> p.contains(TOKEN)), "a token pasted by mistake is never echoed");

    assertEquals(List.of("good"), keys.keys().stream().map(ApiKey::name).toList());
  }

  @Test
  void defaultBurstIsTwiceTheRateAndAtLeastOne() {
    assertEquals(2000, ApiKeys.defaultBurst(1000));
    assertEquals(1, ApiKeys.defaultBurst(0.2));
    assertEquals(3, ApiKeys.defaultBurst(1.5));
    assertEquals(Integer.MAX_VALUE, ApiKeys.defaultBurst(1e12));
  }

  @Test
  void toStringShowsNamesOnly() {
    ApiKey key = new ApiKey("team-a", ApiKeys.sha256Hex(TOKEN), Set.of("retail"), true, 10, 20);
    assertEquals("ApiKey[team-a]", key.toString());
    ApiKeys keys = ApiKeys.of(List.of(key));
    assertFalse(keys.toString().contains(key.sha256Hex()), keys.toString());
    assertTrue(keys.toString().contains("team-a"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ApiKey("x", TOKEN, Set.of(), false, 1, 1));
    assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
  }

  @Test
  void ofRefusesRepeatedNamesAndHashes() {
    ApiKey a = new ApiKey("a", ApiKeys.sha256Hex("1"), Set.of(), false, 1, 1);
    assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.of(List.of(a, new ApiKey("a", ApiKeys.sha256Hex("2"), Set.of(), false, 1, 1))));
    assertThrows(IllegalArgumentException.class,
        () -> ApiKeys.of(List.of(a, new ApiKey("b", ApiKeys.sha256Hex("1"), Set.of(), false, 1, 1))));
  }

  private static void assertHas(List<String> problems, String fragment) {
    assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), () -> fragment + " not in " + problems);
  }
}

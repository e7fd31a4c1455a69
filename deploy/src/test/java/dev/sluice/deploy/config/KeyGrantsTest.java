package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.consumer.KeyGrant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice.crypto.grants}: which consumer groups are wired to unseal, and of which streams; and
 * {@code sluice.demo.unseal}, the older switch for the demo group, while the list is unset.
 */
class KeyGrantsTest {
  private static KeyGrants read(Map<String, String> keys) {
    return SluiceConfig.from(RawConfig.of(keys)).grants();
  }

  /** The start-up error for {@code sluice.crypto.grants = value}: it must name the key and say {@code what}. */
  private static void refused(String value, String what) {
    ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(KeyGrants.KEY, value)));
    assertTrue(e.getMessage().contains("sluice.crypto.grants = '" + value + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
  }

  @Test
  void byDefaultTheDemoGroupIsGrantedEveryStream() {
    KeyGrants grants = read(Map.of());
    assertEquals(Map.of("catalog-builder", KeyGrant.allStreams()), grants.byGroup());
    assertEquals(Optional.of(KeyGrant.allStreams()), grants.of("catalog-builder"));
    assertEquals(Optional.empty(), grants.of("someone-else"));
  }

  @Test
  void theDefaultFollowsTheDemoGroupAndSluiceDemoUnseal() {
    assertEquals(Map.of("catalog-builder-v2", KeyGrant.allStreams()),
        read(Map.of("sluice.demo.group", "catalog-builder-v2")).byGroup());
    assertEquals(Map.of(), read(Map.of("sluice.demo.unseal", "false")).byGroup());
    assertEquals(Map.of("catalog-builder", KeyGrant.allStreams()),
        read(Map.of("sluice.demo.unseal", "true")).byGroup());
  }

  @Test
  void theListGrantsEachGroupEveryStreamOrSomeStreams() {
    KeyGrants grants = read(Map.of(KeyGrants.KEY,
        " catalog-builder = retail ; billing=payments|orders;catalog-builder-v2=*"));
    assertEquals(Map.of("catalog-builder", KeyGrant.only("retail"),
        "billing", KeyGrant.only("payments", "orders"),
        "catalog-builder-v2", KeyGrant.allStreams()), grants.byGroup());
    assertTrue(grants.of("billing").orElseThrow().covers("orders"));
    assertEquals(Optional.empty(), grants.of("audit"), "a group the list leaves out is ungranted");
  }

  @Test
  void theListReplacesTheDefaultGrantOfTheDemoGroup() {
    assertEquals(Optional.empty(), read(Map.of(KeyGrants.KEY, "billing=payments")).of("catalog-builder"));
    assertEquals(Map.of(), read(Map.of(KeyGrants.KEY, "none")).byGroup());
  }

  @Test
  void settingBothTheListAndSluiceDemoUnsealIsRefused() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> read(Map.of(KeyGrants.KEY, "catalog-builder=*", "sluice.demo.unseal", "true")));
    assertTrue(e.getMessage().contains("sluice.demo.unseal and sluice.crypto.grants are both set"), e.getMessage());
  }

  @Test
  void aMalformedListIsRefusedAtStartUpSayingWhichEntryAndWhy() {
    refused("catalog-builder", "entry 'catalog-builder' has no '='");
    refused("catalog-builder=*;", "an empty entry");
    refused("=retail", "entry '=retail': '' is not a consumer group name");
    refused("cat alog=retail", "'cat alog' is not a consumer group name");
    refused("g=", "entry 'g=': '' is not a stream name");
    refused("g=retail||orders", "'' is not a stream name");
    refused("g=retail,orders", "'retail,orders' is not a stream name");
    refused("g=retail|*", "'*' stands alone");
    refused("g=retail|retail", "stream 'retail' is listed twice");
    refused("g=retail;g=orders", "group 'g' is listed twice");
  }

  @Test
  void bothKeysAreKnownSettings() {
    assertEquals(Set.of(), SluiceConfig.unknownKeys(RawConfig.of(Map.of(KeyGrants.KEY, "g=*"))));
    assertEquals(Set.of(), SluiceConfig.unknownKeys(RawConfig.of(Map.of("sluice.demo.unseal", "false"))));
  }
}

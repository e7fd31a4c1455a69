package dev.sluice.deploy.config;

import dev.sluice.gateway.auth.ApiKey;
import dev.sluice.gateway.auth.ApiKeys;
import dev.sluice.gateway.config.DeclaredReadsMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the gateway needs besides its HTTP settings: who may call it, how it deduplicates, which rejects it keeps, and
 * where the registry lives. Read once at start-up from {@code sluice.gateway.*} and {@code sluice.registry.*}.
 *
 * @param keys the API keys (hashes only), the dev keys included when {@code sluice.gateway.dev.keys} is true
 * @param devKeysEnabled whether the documented dev keys {@code dev-producer} and {@code dev-admin} are accepted
 */
public record IngressSettings(
    ApiKeys keys, boolean devKeysEnabled, Dedup dedup, Capture capture, Registry registry) {

  /** Where accepted (source, id) pairs are remembered. */
  public enum DedupStore {
    MEMORY, DYNAMODB
  }

  /**
   * @param window how long an accepted (source, id) answers with its original result
   * @param maxEntries the in-process store's bound (oldest forgotten first)
   * @param table the DynamoDB table of the DYNAMODB store
   * @param storeTimeout how long the gateway waits for the store before appending anyway
   */
  public record Dedup(DedupStore store, Duration window, int maxEntries, String table, Duration storeTimeout) {}

  /**
   * @param streams the streams whose rejects are kept as quarantine items ({@code *} = all; empty, from
   *     {@code none}, = capture off)
   * @param ratePerSecond the cap on capture writes, so a flood of bad events is not amplified into a flood of writes
   */
  public record Capture(Set<String> streams, double ratePerSecond, int burst) {
    public boolean appliesTo(String stream) {
      return streams.contains("*") || streams.contains(stream);
    }
  }

  /**
   * @param topic the compacted topic holding the registry
   * @param maxSchemaBytes the largest schema or stream body the registry API accepts
   * @param declaredReads whether a proposed schema that breaks a field live consumer groups declared they read is
   *     refused ({@code protect}) or only answered with the groups it affects ({@code inform}, the default)
   */
  public record Registry(String topic, long maxSchemaBytes, Duration writeTimeout, Duration startTimeout,
      DeclaredReadsMode declaredReads) {}

  static IngressSettings read(ConfigReader r) {
    boolean devKeys = r.bool("sluice.gateway.dev.keys", true);
    List<String> problems = new ArrayList<>();
    r.markPrefixRead(ApiKeys.PREFIX);
    ApiKeys configured = ApiKeys.parse(r.raw(), problems);
    problems.forEach(r::problem);
    List<ApiKey> all = new ArrayList<>(configured.keys());
    if (devKeys) {
      all.addAll(ApiKeys.dev().keys());
    }
    ApiKeys keys = ApiKeys.of(all);

    DedupStore store = r.enumValue("sluice.gateway.dedup.store", DedupStore.class, DedupStore.MEMORY);
    Duration window = r.duration("sluice.gateway.dedup.window", Duration.ofMinutes(10));
    int maxEntries = r.integer("sluice.gateway.dedup.max.entries", 100_000, 1, 10_000_000);
    String table = r.string("sluice.gateway.dedup.table", "sluice-dedup");
    Duration storeTimeout = r.duration("sluice.gateway.dedup.store.timeout", Duration.ofSeconds(1));

    // "none" turns capture off (a blank value means "not set", which is the default "*").
    String captureList = r.string("sluice.gateway.rejects.capture.streams", "*").trim();
    Set<String> captureStreams = captureList.equalsIgnoreCase("none") ? Set.of()
        : Arrays.stream(captureList.split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    int captureRate = r.integer("sluice.gateway.rejects.capture.rate.per.second", 10, 1, 100_000);
    int captureBurst = r.integer("sluice.gateway.rejects.capture.burst", 50, 1, 1_000_000);

    String topic = r.string("sluice.registry.topic", "_sluice_registry");
    long maxSchema = r.longValue("sluice.registry.max.schema.bytes", 256 * 1024, 1024, 16L * 1024 * 1024);
    Duration writeTimeout = r.duration("sluice.registry.write.timeout", Duration.ofSeconds(10));
    Duration startTimeout = r.duration("sluice.registry.start.timeout", Duration.ofSeconds(60));
    DeclaredReadsMode declaredReads =
        r.enumValue("sluice.registry.declared.reads", DeclaredReadsMode.class, DeclaredReadsMode.INFORM);
    return r.build("sluice.gateway", () -> new IngressSettings(keys, devKeys,
        new Dedup(store, window, maxEntries, table, storeTimeout),
        new Capture(captureStreams, captureRate, captureBurst),
        new Registry(topic, maxSchema, writeTimeout, startTimeout, declaredReads)));
  }
}

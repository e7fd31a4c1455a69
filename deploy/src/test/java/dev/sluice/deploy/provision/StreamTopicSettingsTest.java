package dev.sluice.deploy.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.provision.TopicProvisioner.StreamTopicSettings;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.Retention;
import dev.sluice.schemas.catalog.StreamDefinition;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamTopicSettingsTest {
  private static final StreamDefinition UNSAID =
      new StreamDefinition("orders", "orders", 3, OrderingPolicy.KEY_ORDERED, Map.of());
  private final StreamTopicSettings plain =
      new StreamTopicSettings((short) 3, 2, Duration.ofDays(7), Optional.empty());
  private final StreamTopicSettings tiered =
      new StreamTopicSettings((short) 3, 2, Duration.ofDays(7), Optional.of(Duration.ofDays(1)));

  @Test
  void aStreamThatDoesNotSayGetsTheDeploymentsRetention() {
    assertEquals(Map.of("min.insync.replicas", "2", "retention.ms", "604800000"), plain.configs(UNSAID));
  }

  @Test
  void aStreamKeptForeverIsNeverDeletedForAge() {
    assertEquals(Map.of("retention.ms", "-1"), plain.retentionConfigs(UNSAID.withRetention(Retention.FOREVER)));
  }

  @Test
  void withTieredStorageADayStaysOnTheBrokersAndTheRestGoesRemote() {
    assertEquals(Map.of("retention.ms", "-1", "remote.storage.enable", "true", "local.retention.ms", "86400000"),
        tiered.retentionConfigs(UNSAID.withRetention(Retention.FOREVER)));
    // Never more on local disk than the topic keeps at all.
    assertEquals("7200000", tiered.retentionConfigs(UNSAID.withRetention(Retention.keep(Duration.ofHours(2))))
        .get("local.retention.ms"));
  }
}

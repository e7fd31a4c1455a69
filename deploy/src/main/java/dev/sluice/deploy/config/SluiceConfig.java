package dev.sluice.deploy.config;

import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.consumer.WrapperConfig;
import java.util.Optional;

/**
 * All of Sluice's configuration, read and validated once at start-up. To add a section: write a record with a
 * validating compact constructor, read it here, and every problem of every section is then reported together.
 *
 * @param engines the embedded dev engines ({@code sluice.dev.*})
 * @param kafka Kafka client properties ({@code sluice.kafka.*}), passed verbatim to every producer, consumer, admin
 * @param topicReplicationFactor for the topics Sluice creates ({@code sluice.topics.replication.factor})
 * @param aws DynamoDB and SQS ({@code sluice.aws.*}, {@code sluice.dynamodb.*}, {@code sluice.sqs.*})
 * @param ingress the gateway's keys, dedup, reject capture and registry ({@code sluice.gateway.*}, {@code sluice.registry.*})
 * @param groups the consumer-group registry ({@code sluice.groups.*})
 * @param replays replays of a stream's history to a group ({@code sluice.replays.*}): where they are kept, shared by the
 *     console (which starts and cancels them) and every replay-aware wrapped consumer
 * @param storms storms the consumers' breakers tripped ({@code sluice.storms.*}): where they are kept, shared by the
 *     console (which lists and lifts them) and every wrapped consumer with the breaker on
 * @param demoWrapper the demo consumer's wrapper, retry policy included ({@code sluice.demo.*})
 * @param quarantineLog the quarantine log of the wrapped consumers ({@code sluice.quarantine.log.*})
 * @param provision topic settings, queues and dead-letter policy for init and start-up ({@code sluice.topics.*},
 *     {@code sluice.init.*}, {@code sluice.sqs.*})
 * @param crypto the sealing of values schemas mark sensitive: key table, KEK, key caches ({@code sluice.crypto.*});
 *     empty against real AWS without a KEK (no key ring: events of types that mark values are refused)
 * @param grants which consumer groups the wrappers this deployment runs unseal for, and of which streams
 *     ({@code sluice.crypto.grants}, or {@code sluice.demo.unseal} for the demo group)
 * @param producers the producers table the gateway reports to and the console reads ({@code sluice.producers.*})
 */
public record SluiceConfig(
    RawConfig raw,
    EngineConfig engines,
    KafkaConfig kafka,
    short topicReplicationFactor,
    AwsConfig aws,
    GatewayConfig gateway,
    IngressSettings ingress,
    ConsoleConfig console,
    DemoConfig demo,
    WrapperConfig demoWrapper,
    QuarantineLogSettings quarantineLog,
    GroupsSettings groups,
    TableSettings replays,
    TableSettings storms,
    ProvisionSettings provision,
    Optional<CryptoSettings> crypto,
    KeyGrants grants,
    ProducersSettings producers) {

  /** @throws ConfigException listing every problem found */
  public static SluiceConfig from(RawConfig raw) {
    return from(new ConfigReader(raw));
  }

  /**
   * The keys of {@code raw} that no section reads: typos and settings that do not exist. The loader does not refuse
   * them (the environment may hold other {@code SLUICE_*} variables, e.g. {@code SLUICE_CONFIG}); the launcher warns.
   */
  public static java.util.SortedSet<String> unknownKeys(RawConfig raw) {
    ConfigReader r = new ConfigReader(raw);
    try {
      from(r);
    } catch (ConfigException invalid) {
      // Still every key was asked for: sections read all their keys before validating.
    }
    java.util.SortedSet<String> unknown = new java.util.TreeSet<>();
    for (String key : raw.keySet()) {
      if (!r.wasRead(key)) {
        unknown.add(key);
      }
    }
    return unknown;
  }

  private static SluiceConfig from(ConfigReader r) {
    RawConfig raw = r.raw();
    EngineConfig engines = EngineConfig.read(r);
    // Clients follow the dev broker's port unless told otherwise, so one setting moves both.
    int kafkaPort = engines != null ? engines.kafkaPort() : 9092;
    KafkaConfig kafka = KafkaConfig.read(r, "127.0.0.1:" + kafkaPort);
    short replication = (short) r.integer("sluice.topics.replication.factor", 1, 1, Short.MAX_VALUE);
    AwsConfig aws = Sections.aws(r, engines);
    GatewayConfig gateway = Sections.gateway(r);
    IngressSettings ingress = IngressSettings.read(r);
    ConsoleConfig console = Sections.console(r);
    DemoConfig demo = Sections.demo(r);
    WrapperConfig demoWrapper = Sections.demoWrapper(r, demo);
    QuarantineLogSettings quarantineLog = QuarantineLogSettings.read(r,
        aws == null ? "sluice-quarantine" : aws.quarantineTable());
    GroupsSettings groups = GroupsSettings.read(r);
    TableSettings replays = TableSettings.read(r, "sluice.replays", TableSettings.DEFAULT_REPLAYS_TABLE);
    TableSettings storms = TableSettings.read(r, "sluice.storms", TableSettings.DEFAULT_STORMS_TABLE);
    ProvisionSettings provision = ProvisionSettings.read(r, replication, demo == null ? null : demo.group());
    Optional<CryptoSettings> crypto = CryptoSection.read(r, engines);
    KeyGrants grants = KeyGrants.read(r, demo == null ? DemoConfig.defaults().group() : demo.group());
    ProducersSettings producers = ProducersSettings.read(r);
    r.validate();
    return new SluiceConfig(raw, engines, kafka, replication, aws, gateway, ingress, console, demo, demoWrapper,
        quarantineLog, groups, replays, storms, provision, crypto, grants, producers);
  }
}

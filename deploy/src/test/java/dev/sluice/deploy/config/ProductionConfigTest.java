package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production config examples (deploy/config) load with the real loader, with their secrets given as the
 * environment variables their comments name, validate, name no unknown key, and say what production needs: three
 * replicas with two in sync, real AWS through the default credential chain, no dev keys, a shared dedup store.
 */
class ProductionConfigTest {
  /** Placeholders for what the files leave to the environment (a Kubernetes Secret). */
  private static final Map<String, String> SECRETS = Map.of(
      "SLUICE_KAFKA_SASL_JAAS_CONFIG",
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
      "SLUICE_KAFKA_SSL_KEYSTORE_PASSWORD", "changeit",
      "SLUICE_KAFKA_SSL_KEY_PASSWORD", "changeit",
      "SLUICE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
      "SLUICE_GATEWAY_KEYS_ORDERS_SHA256", "0".repeat(64));

  @ParameterizedTest
  @ValueSource(strings = {"production-sasl-scram.properties", "production-mtls.properties"})
  void loadsAndValidates(String file) {
    RawConfig raw = ConfigLoader.load(Path.of("config", file), SECRETS);
    assertEquals(Set.of(), SluiceConfig.unknownKeys(raw), file + ": keys no Sluice setting reads");
    SluiceConfig config = SluiceConfig.from(raw);

    assertEquals(3, config.topicReplicationFactor());
    assertEquals(2, config.provision().minInsyncReplicas());
    assertTrue(config.aws().dynamoEndpoint().isEmpty() && config.aws().sqsEndpoint().isEmpty(), "real AWS endpoints");
    assertTrue(config.aws().staticKeys().isEmpty(), "credentials from the default chain, never keys in a file");
    assertFalse(config.aws().region().isBlank());
    assertFalse(config.ingress().devKeysEnabled());
    assertEquals(IngressSettings.DedupStore.DYNAMODB, config.ingress().dedup().store());
    assertEquals("0.0.0.0", config.gateway().host());

    Map<String, String> kafka = config.kafka().properties();
    assertTrue(kafka.get("security.protocol").equals("SASL_SSL") || kafka.get("security.protocol").equals("SSL"));
    if (kafka.get("security.protocol").equals("SASL_SSL")) {
      assertTrue(kafka.get("sasl.mechanism").startsWith("SCRAM-"), kafka.toString());
      assertTrue(kafka.containsKey("sasl.jaas.config"), "from SLUICE_KAFKA_SASL_JAAS_CONFIG");
    } else {
      assertTrue(kafka.containsKey("ssl.keystore.location") && kafka.containsKey("ssl.truststore.location"));
    }
    Set<String> known = new TreeSet<>(ProducerConfig.configNames());
    known.addAll(ConsumerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    for (String key : kafka.keySet()) {
      assertTrue(known.contains(key), "sluice.kafka." + key + " is not a Kafka client setting");
    }
    // Kafka's own validation of types and enumerations (it would refuse e.g. a misspelt security.protocol).
    Map<String, Object> producer = new java.util.HashMap<>(kafka);
    producer.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    producer.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    new ProducerConfig(producer);
  }

  @org.junit.jupiter.api.Test
  void aMisspeltKeyIsNamed() {
    RawConfig raw = RawConfig.of(Map.of("sluice.topics.replication.factr", "3", "sluice.kafka.acks", "all",
        "sluice.gateway.keys.x.sha256", "0".repeat(64)));
    assertEquals(Set.of("sluice.topics.replication.factr"), SluiceConfig.unknownKeys(raw));
  }

  @org.junit.jupiter.api.Test
  void minInsyncReplicasAboveTheReplicationFactorIsRefused() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> SluiceConfig.from(
        RawConfig.of(Map.of("sluice.topics.replication.factor", "2", "sluice.topics.min.insync.replicas", "3"))));
    assertTrue(e.getMessage().contains("sluice.topics.min.insync.replicas"), e.getMessage());
  }
}

package dev.sluice.deploy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("""
                sluice.dev.kafka.port = 19092
                sluice.dev.sqs.port=19324
                """);

        RawConfig raw = ConfigLoader.load(file, Map.of("SLUICE_DEV_KAFKA_PORT", "29092"));

        assertEquals("29092", raw.get("sluice.dev.kafka.port"));
        assertEquals("19324", raw.get("sluice.dev.sqs.port"));
        assertEquals("environment variable SLUICE_DEV_KAFKA_PORT", raw.origin("sluice.dev.kafka.port"));
        assertEquals("file " + file, raw.origin("sluice.dev.sqs.port"));
    }

    @Test
    void onlySluiceVariablesAreMappedToDottedLowerCaseKeys() {
        RawConfig raw = ConfigLoader.load(null, Map.of(
                "SLUICE_KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "PATH", "/usr/bin",
                "SLUICE_", "ignored",
                "KAFKA_SLUICE_X", "ignored"));

        assertEquals(Map.of("sluice.kafka.bootstrap.servers", "broker:9092"), raw);
    }

    @Test
    void envNamesAndKeysMapBothWays() {
        assertEquals("SLUICE_GATEWAY_PORT", ConfigLoader.envNameFor("sluice.gateway.port"));
        assertEquals("sluice.gateway.port", ConfigLoader.keyFor("SLUICE_GATEWAY_PORT"));
    }

    @Test
    void subsetStripsThePrefixForKafkaClients() {
        RawConfig raw = ConfigLoader.load(null, Map.of(
                "SLUICE_KAFKA_BOOTSTRAP_SERVERS", "a:1,b:2",
                "SLUICE_KAFKA_SECURITY_PROTOCOL", "SSL",
                "SLUICE_KAFKAX_OTHER", "not under the prefix",
                "SLUICE_GATEWAY_PORT", "8080"));

        Map<String, String> expected = Map.of("bootstrap.servers", "a:1,b:2", "security.protocol", "SSL");
        assertEquals(expected, raw.subset("sluice.kafka"));
        assertEquals(expected, raw.subset("sluice.kafka."));
    }

    @Test
    void rawConfigIsImmutable() {
        RawConfig raw = ConfigLoader.load(null, Map.of("SLUICE_A", "1"));
        assertThrows(UnsupportedOperationException.class, () -> raw.put("sluice.b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> raw.entrySet().clear());
    }

    @Test
    void theConfigFileComesFromTheCommandLineFirstThenTheEnvironment() {
        Map<String, String> env = Map.of("SLUICE_CONFIG", "/etc/sluice.properties");
        assertEquals(Optional.of(Path.of("cli.properties")), ConfigLoader.configFile("cli.properties", env));
        assertEquals(Optional.of(Path.of("/etc/sluice.properties")), ConfigLoader.configFile(null, env));
        assertFalse(ConfigLoader.configFile(null, Map.of()).isPresent());
    }

    @Test
    void aMissingFileIsAConfigError() {
        Path missing = dir.resolve("nope.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, Map.of()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void engineAndKafkaDefaults() {
        SluiceConfig config = SluiceConfig.from(ConfigLoader.load(null, Map.of()));

        assertEquals(new EngineConfig(Path.of(".sluice"), 9092, 9093, 8000, 9324), config.engines());
        assertEquals(Path.of(".sluice", "data", "kafka"), config.engines().kafkaDataDir());
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"), config.kafka().properties());
    }

    @Test
    void kafkaClientsFollowTheDevBrokerPortUnlessConfigured() {
        SluiceConfig moved = SluiceConfig.from(ConfigLoader.load(null, Map.of("SLUICE_DEV_KAFKA_PORT", "19092")));
        assertEquals("127.0.0.1:19092", moved.kafka().bootstrapServers());

        SluiceConfig explicit = SluiceConfig.from(ConfigLoader.load(null, Map.of(
                "SLUICE_DEV_KAFKA_PORT", "19092", "SLUICE_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")));
        assertEquals("kafka-1:9092,kafka-2:9092", explicit.kafka().bootstrapServers());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RawConfig raw = ConfigLoader.load(null, Map.of(
                "SLUICE_DEV_KAFKA_PORT", "abc",
                "SLUICE_DEV_DYNAMODB_PORT", "70000",
                "SLUICE_DEV_SQS_PORT", "9093",
                "SLUICE_KAFKA_BOOTSTRAP_SERVERS", "no-port-here"));

        ConfigException e = assertThrows(ConfigException.class, () -> SluiceConfig.from(raw));

        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("sluice.dev.kafka.port = 'abc' (environment variable "
                + "SLUICE_DEV_KAFKA_PORT): expected a port number"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("sluice.dev.dynamodb.port = '70000'"), e.problems().get(1));
        assertTrue(e.problems().get(2).contains("sluice.dev.sqs.port and sluice.dev.kafka.controller.port are both 9093"),
                e.problems().get(2));
        assertTrue(e.problems().get(3).contains("'no-port-here' is not host:port"), e.problems().get(3));
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, content);
        return file;
    }
}

package dev.sluice.deploy.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The embedded dev engines: where their data lives and the ports they listen on (all on 127.0.0.1).
 *
 * @param dir                 {@code sluice.dev.dir}, default {@code .sluice}; data goes under {@code dir/data}
 * @param kafkaPort           {@code sluice.dev.kafka.port}, default 9092
 * @param kafkaControllerPort {@code sluice.dev.kafka.controller.port}, default 9093
 * @param dynamoDbPort        {@code sluice.dev.dynamodb.port}, default 8000
 * @param sqsPort             {@code sluice.dev.sqs.port}, default 9324
 */
public record EngineConfig(Path dir, int kafkaPort, int kafkaControllerPort, int dynamoDbPort, int sqsPort) {
    public static final String PREFIX = "sluice.dev";

    public EngineConfig {
        Objects.requireNonNull(dir, "sluice.dev.dir must be set");
        Map<Integer, String> seen = new LinkedHashMap<>();
        requireDistinct(seen, kafkaPort, "sluice.dev.kafka.port");
        requireDistinct(seen, kafkaControllerPort, "sluice.dev.kafka.controller.port");
        requireDistinct(seen, dynamoDbPort, "sluice.dev.dynamodb.port");
        requireDistinct(seen, sqsPort, "sluice.dev.sqs.port");
    }

    public static EngineConfig defaults() {
        return read(new ConfigReader(RawConfig.empty()));
    }

    public static EngineConfig read(ConfigReader r) {
        return r.build(PREFIX, () -> new EngineConfig(
                r.path("sluice.dev.dir", Path.of(".sluice")),
                r.port("sluice.dev.kafka.port", 9092),
                r.port("sluice.dev.kafka.controller.port", 9093),
                r.port("sluice.dev.dynamodb.port", 8000),
                r.port("sluice.dev.sqs.port", 9324)));
    }

    /** Everything the engines persist; {@code --fresh} wipes it. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path kafkaDataDir() {
        return dataDir().resolve("kafka");
    }

    public Path dynamoDbDataDir() {
        return dataDir().resolve("dynamodb");
    }

    private static void requireDistinct(Map<Integer, String> seen, int port, String key) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " = " + port + " is not a port (1..65535)");
        }
        String other = seen.putIfAbsent(port, key);
        if (other != null) {
            throw new IllegalArgumentException(key + " and " + other + " are both " + port);
        }
    }
}

package dev.sluice.deploy.config;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client properties: every {@code sluice.kafka.*} key with the prefix stripped, passed verbatim to Kafka
 * clients (as the Strimzi bridge does), e.g. {@code sluice.kafka.bootstrap.servers},
 * {@code sluice.kafka.security.protocol}. Components add their own settings (serializers, acks, group id) on top.
 *
 * @param properties the client properties; {@code bootstrap.servers} is always present
 */
public record KafkaConfig(Map<String, String> properties) {
    public static final String PREFIX = "sluice.kafka";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    public KafkaConfig {
        properties = Map.copyOf(new TreeMap<>(properties));
        String bootstrap = properties.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("sluice.kafka.bootstrap.servers must not be empty");
        }
        for (String server : bootstrap.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || !isPort(s.substring(colon + 1))) {
                throw new IllegalArgumentException(
                        "sluice.kafka.bootstrap.servers: '" + s + "' is not host:port");
            }
        }
    }

    public static KafkaConfig read(ConfigReader r) {
        return read(r, DEFAULT_BOOTSTRAP_SERVERS);
    }

    /** @param defaultBootstrapServers used when {@code sluice.kafka.bootstrap.servers} is not configured */
    public static KafkaConfig read(ConfigReader r, String defaultBootstrapServers) {
        Map<String, String> props = new TreeMap<>(r.subset(PREFIX));
        props.putIfAbsent("bootstrap.servers", defaultBootstrapServers);
        return r.build(PREFIX, () -> new KafkaConfig(props));
    }

    public String bootstrapServers() {
        return properties.get("bootstrap.servers");
    }

    /** A fresh mutable copy, for {@code KafkaProducer}/{@code KafkaConsumer} or vertx-kafka-client configs. */
    public Map<String, String> clientConfig() {
        return new TreeMap<>(properties);
    }

    public Properties asProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }

    private static boolean isPort(String s) {
        try {
            int port = Integer.parseInt(s);
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

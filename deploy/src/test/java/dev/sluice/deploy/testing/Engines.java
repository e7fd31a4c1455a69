package dev.sluice.deploy.testing;

import java.nio.file.Path;

/**
 * Where the engines started by {@link EnginesExtension} listen. Ask for it as a test (or lifecycle) method
 * parameter.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code 127.0.0.1:port}
 * @param dynamoEndpoint   DynamoDB Local, {@code http://127.0.0.1:port}
 * @param sqsEndpoint      ElasticMQ, {@code http://127.0.0.1:port}
 * @param kafkaDataDir     the broker's log directory, for tests that look at the bytes it stores
 */
public record Engines(String bootstrapServers, String dynamoEndpoint, String sqsEndpoint, Path kafkaDataDir) {
}

package dev.sluice.deploy.testing;

/**
 * Where the engines started by {@link EnginesExtension} listen. Ask for it as a test (or lifecycle) method
 * parameter.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code 127.0.0.1:port}
 * @param dynamoEndpoint   DynamoDB Local, {@code http://127.0.0.1:port}
 * @param sqsEndpoint      ElasticMQ, {@code http://127.0.0.1:port}
 */
public record Engines(String bootstrapServers, String dynamoEndpoint, String sqsEndpoint) {
}

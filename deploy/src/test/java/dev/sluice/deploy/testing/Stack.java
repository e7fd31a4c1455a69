package dev.sluice.deploy.testing;

import dev.sluice.crypto.CryptoSettings;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole of Sluice running against the test engines, as {@code ./sluice dev} runs it, on free ports.
 *
 * @param kafkaProps client properties for plain Kafka clients in tests
 * @param dynamo a client on the test DynamoDB Local, to look at tables directly
 * @param stormsTable the storms table the console reads (a wrapped consumer of a test's own may trip storms there)
 * @param groupsTable the consumer-group registry the console reads (a test's own groups may heartbeat there)
 * @param crypto the stack's key table and KEK, for tests that open sealed values as a reader allowed to would
 */
public record Stack(
    Engines engines, String gatewayUrl, String consoleUrl, String demoUrl, Map<String, String> kafkaProps,
    DynamoDbClient dynamo, String quarantineTable, String demoGroup, String stormsTable, String groupsTable,
    CryptoSettings crypto) {}

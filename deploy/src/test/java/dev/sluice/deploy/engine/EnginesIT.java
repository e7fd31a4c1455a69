package dev.sluice.deploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The embedded engines answer real clients: kafka-clients and the AWS SDK v2. */
@ExtendWith(EnginesExtension.class)
class EnginesIT {
    private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy"));

    @Test
    void kafkaCreatesATopicAndRoundTripsARecord(Engines engines) throws Exception {
        String topic = "engines-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertEquals(3, description.partitions().size());
        }

        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, engines.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer())) {
            sent = producer.send(new ProducerRecord<>(topic, "key-1", "value-1")).get();
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, engines.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "engines-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertEquals(1, received.size(), "records read back");
        ConsumerRecord<String, String> record = received.get(0);
        assertEquals("key-1", record.key());
        assertEquals("value-1", record.value());
        assertEquals(sent.partition(), record.partition());
        assertEquals(sent.offset(), record.offset());
    }

    @Test
    void kafkaDoesNotCreateTopicsOnTheFly(Engines engines) throws Exception {
        String topic = "engines-it-absent-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, engines.bootstrapServers(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true),
                new StringDeserializer(), new StringDeserializer())) {
            // A metadata request that asks for auto-creation: the broker must refuse it.
            consumer.partitionsFor(topic, Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.errors.TimeoutException unknownTopic) {
            // the client gives up on a topic that does not exist: expected
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.bootstrapServers()))) {
            assertFalse(admin.listTopics().names().get().contains(topic), "topic must not be auto-created");
        }
    }

    @Test
    void dynamoDbConditionalPutSucceedsOnceThenFails(Engines engines) {
        String table = "engines-it-" + UUID.randomUUID();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(engines.dynamoEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            dynamo.createTable(b -> b.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            PutItemRequest putIfAbsent = PutItemRequest.builder()
                    .tableName(table)
                    .item(Map.of("id", AttributeValue.fromS("item-1"), "status", AttributeValue.fromS("QUARANTINED")))
                    .conditionExpression("attribute_not_exists(id)")
                    .build();

            dynamo.putItem(putIfAbsent);
            assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(putIfAbsent));

            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of("id", AttributeValue.fromS("item-1"))).consistentRead(true)).item();
            assertEquals("QUARANTINED", item.get("status").s());
        }
    }

    @Test
    void sqsSendsReceivesAndDeletes(Engines engines) {
        try (SqsClient sqs = SqsClient.builder()
                .endpointOverride(URI.create(engines.sqsEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            String queueUrl = sqs.createQueue(b -> b.queueName("engines-it-" + UUID.randomUUID())).queueUrl();
            assertTrue(queueUrl.startsWith(engines.sqsEndpoint()), "queue URL " + queueUrl + " names the real address");
            String body = "{\"id\":\"" + UUID.randomUUID() + "\"}";
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)
                    .messageAttributes(Map.of("group", MessageAttributeValue.builder().dataType("String").stringValue("catalog-builder").build())));

            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(5).messageAttributeNames("All")).messages();
            assertEquals(1, messages.size());
            Message message = messages.get(0);
            assertEquals(body, message.body());
            assertEquals("catalog-builder", message.messageAttributes().get("group").stringValue());

            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                    .attributesAsStrings();
            assertEquals("0", attributes.get("ApproximateNumberOfMessages"));
            assertEquals("0", attributes.get("ApproximateNumberOfMessagesNotVisible"), "deleted, not just hidden");
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            EngineStartException e = assertThrows(EngineStartException.class, () -> EmbeddedSqs.start(port));
            assertTrue(e.getMessage().contains(Integer.toString(port)), e.getMessage());
        }
    }
}

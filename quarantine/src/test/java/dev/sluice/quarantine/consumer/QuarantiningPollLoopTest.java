package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** What can be checked of the plain poll loop without engines; its behaviour is shown by QuarantiningPollLoopIT. */
class QuarantiningPollLoopTest {
  private static final WrapperConfig CONFIG = WrapperConfig.of("billing", Set.of("retail"), BackoffPolicy.dev());

  @Test
  void theBuilderNamesWhatIsMissing() {
    IllegalStateException noKafka = assertThrows(IllegalStateException.class,
        () -> QuarantiningPollLoop.builder(CONFIG).handler(e -> { }).build());
    assertTrue(noKafka.getMessage().contains("kafka(properties)"), noKafka.getMessage());

    IllegalStateException noStore = assertThrows(IllegalStateException.class,
        () -> QuarantiningPollLoop.builder(CONFIG).kafka(Map.of()).build());
    assertTrue(noStore.getMessage().contains("store(dynamo, table)"), noStore.getMessage());
  }

  @Test
  void aHeartbeatNeedsTheSchemaRegistryToReportVersionsFrom() {
    // Nothing is reached while building; the clients only point somewhere.
    AwsConfig aws = AwsConfig.local("http://127.0.0.1:9", "http://127.0.0.1:9");
    try (DynamoDbClient dynamo = AwsClients.dynamo(aws); SqsClient sqs = AwsClients.sqs(aws)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> QuarantiningPollLoop.builder(CONFIG)
          .kafka(Map.of()).store(dynamo, "q").queues(sqs, "p").handler(ev -> { })
          .triage(new Triage(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault())))
          .heartbeat("groups")
          .build());
      assertTrue(e.getMessage().contains("schemas(registry)"), e.getMessage());
    }
  }

  @Test
  void aStormBreakerNeedsTheStormsTableToKeepItsStormsIn() {
    AwsConfig aws = AwsConfig.local("http://127.0.0.1:9", "http://127.0.0.1:9");
    try (DynamoDbClient dynamo = AwsClients.dynamo(aws); SqsClient sqs = AwsClients.sqs(aws)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> QuarantiningPollLoop.builder(
              CONFIG.withStormBreaker(dev.sluice.quarantine.storm.StormBreaker.defaults()))
          .kafka(Map.of()).store(dynamo, "q").queues(sqs, "p").handler(ev -> { })
          .schemas(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()))
          .build());
      assertTrue(e.getMessage().contains("storms(table)"), e.getMessage());
    }
  }

  @Test
  void itRefusesToBlockAnEventLoop() throws Exception {
    AwsConfig aws = AwsConfig.local("http://127.0.0.1:9", "http://127.0.0.1:9");
    Vertx service = Vertx.vertx();
    try (DynamoDbClient dynamo = AwsClients.dynamo(aws); SqsClient sqs = AwsClients.sqs(aws);
        QuarantiningPollLoop loop = QuarantiningPollLoop.builder(CONFIG)
            .kafka(Map.of("bootstrap.servers", "127.0.0.1:9"))
            .store(dynamo, "q")
            .queues(sqs, "p")
            .schemas(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()))
            .handler(e -> { })
            .build()) {
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      service.runOnContext(v -> {
        try {
          loop.start();
          refused.complete(null);
        } catch (Throwable t) {
          refused.complete(t);
        }
      });
      Throwable t = refused.get(10, TimeUnit.SECONDS);
      assertTrue(t instanceof IllegalStateException && t.getMessage().contains("event loop"), String.valueOf(t));
    } finally {
      service.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theWrapperSetsTheClientPropertiesItRelies() {
    Map<String, String> props = PartitionWorkers.consumerProperties(CONFIG, Map.of(
        "bootstrap.servers", "kafka:9092", "group.id", "someone-else", "enable.auto.commit", "true",
        "max.poll.records", "500", "value.deserializer", "org.example.JsonDeserializer",
        "auto.offset.reset", "latest"));

    assertEquals("billing", props.get("group.id"));
    assertEquals("false", props.get("enable.auto.commit"), "only the wrapper commits, past handled records");
    assertEquals(Integer.toString(CONFIG.maxPollRecords()), props.get("max.poll.records"));
    assertEquals(Long.toString(CONFIG.maxPollInterval().toMillis()), props.get("max.poll.interval.ms"));
    assertFalse(props.containsKey("value.deserializer"), "every byte is judged by the triage, never in poll");
    assertEquals("latest", props.get("auto.offset.reset"), "the caller's choice where the wrapper has none");
    assertEquals("kafka:9092", props.get("bootstrap.servers"));
  }
}

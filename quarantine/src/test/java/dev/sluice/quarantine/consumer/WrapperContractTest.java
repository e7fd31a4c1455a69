package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Both wrappers refuse a read contract they cannot send (no heartbeat, too big) when built, and one the schema
 * registry refutes when started, before anything is reached: the clients here point at a closed port, so getting
 * past the check would fail otherwise, later and with another message.
 */
class WrapperContractTest {
  private static final WrapperConfig CONFIG = WrapperConfig.of("catalog-builder", Set.of("retail"),
      BackoffPolicy.dev());
  private static final ReadContract TYPOS = ReadContract.builder().owner("catalog")
      .reads("retail.product.created", "/data/price", "/data/prize")
      .reads("retail.prodcut.photographed", "/data/imageUrl").build();

  private final AwsConfig aws = AwsConfig.local("http://127.0.0.1:9", "http://127.0.0.1:9");
  private final DynamoDbClient dynamo = AwsClients.dynamo(aws);
  private final SqsClient sqs = AwsClients.sqs(aws);
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());

  @AfterEach
  void tearDown() {
    dynamo.close();
    sqs.close();
  }

  private QuarantiningPollLoop.Builder loop() {
    return QuarantiningPollLoop.builder(CONFIG).kafka(Map.of("bootstrap.servers", "127.0.0.1:9"))
        .store(dynamo, "q").queues(sqs, "p").schemas(registry).handler(e -> { });
  }

  private QuarantiningConsumer.Builder consumer() {
    return QuarantiningConsumer.builder(CONFIG).kafka(Map.of("bootstrap.servers", "127.0.0.1:9"))
        .store(dynamo, "q").queues(sqs, "p").schemas(registry).handler(e -> Future.succeededFuture());
  }

  private static void assertNamesEachFault(String message) {
    assertTrue(message.contains("consumer group catalog-builder declares reads the schema registry refutes"),
        message);
    assertTrue(message.contains("type `retail.prodcut.photographed` is not in the schema registry"), message);
    assertTrue(message.contains("type `retail.product.created`: no version of its schema (v1) reaches `/data/prize`"),
        message);
    assertFalse(message.contains("`/data/price`"), "a pointer the schema reaches is not at fault: " + message);
  }

  @Test
  void aContractWithoutAHeartbeatIsRefusedWhenBuilt() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop().contract(TYPOS).build());
    assertTrue(e.getMessage().contains("a poll loop declares what it reads (contract)"), e.getMessage());
    assertTrue(e.getMessage().contains("heartbeat(groupsTable)"), e.getMessage());

    Vertx vertx = Vertx.vertx();
    try {
      IllegalStateException c = assertThrows(IllegalStateException.class,
          () -> consumer().contract(TYPOS).build(vertx));
      assertTrue(c.getMessage().contains("a consumer declares what it reads (contract)"), c.getMessage());
    } finally {
      vertx.close();
    }
  }

  @Test
  void aContractTooBigToSendIsRefusedWhenGiven() {
    ReadContract.Builder big = ReadContract.builder();
    for (int i = 0; i < 200; i++) {
      big.reads("retail.product.created", "/data/" + String.format("%03d", i) + "x".repeat(190));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop().contract(big.build()));
    assertTrue(e.getMessage().contains(GroupHeartbeat.MAX_CONTRACT_BYTES + " bytes"), e.getMessage());
  }

  @Test
  void thePollLoopsStartThrowsNamingEachTypeAndPointer() {
    try (QuarantiningPollLoop l = loop().heartbeat("groups").contract(TYPOS).build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, l::start);
      assertNamesEachFault(e.getMessage());
    }
  }

  @Test
  void theVertxConsumersStartFailsNamingEachTypeAndPointer() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      QuarantiningConsumer c = consumer().heartbeat("groups").contract(TYPOS).build(vertx);
      // Started from a context, as a verticle's start does.
      CompletableFuture<Throwable> failed = new CompletableFuture<>();
      vertx.runOnContext(v -> c.start().onComplete(ar -> failed.complete(ar.cause())));
      Throwable cause = failed.get(10, TimeUnit.SECONDS);
      assertTrue(cause instanceof IllegalStateException, String.valueOf(cause));
      assertNamesEachFault(cause.getMessage());
      // A consumer that never started stops at once.
      c.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aContractTheRegistryBearsOutStartsPastTheCheck() {
    ReadContract good = ReadContract.builder().reads("retail.product.created", "/data/price").build();
    try (QuarantiningPollLoop l = loop().heartbeat("groups").contract(good).build()) {
      // Past the check, the next step reaches for the queues at the closed port.
      IllegalStateException e = assertThrows(IllegalStateException.class, l::start);
      assertTrue(e.getMessage().startsWith("creating the queues of group catalog-builder"), e.getMessage());
    }
  }
}

package dev.sluice.deploy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * What a test of a window-mark store (the gateway's idempotency store, the consumers' processed events) needs against
 * DynamoDB Local: a fresh table made by the store's own {@code ensure}, a client, a Vert.x for the store's workers,
 * and a clock the test moves by hand. Close it after each test.
 */
public final class MarkTableFixture implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final DynamoDbClient dynamo;
  public final String table;
  public final HandClock clock = new HandClock();
  private final BiConsumer<DynamoDbClient, String> ensure;

  /** A table named {@code <prefix>-<random>}, created by {@code ensure(dynamo, table)}. */
  public MarkTableFixture(Engines engines, String prefix, BiConsumer<DynamoDbClient, String> ensure) {
    this.dynamo = AwsClients.dynamo(AwsConfig.local(engines.dynamoEndpoint(), engines.sqsEndpoint()));
    this.table = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.ensure = ensure;
    ensure.accept(dynamo, table);
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Every item in the table, expired ones DynamoDB has not deleted yet included. */
  public List<Map<String, AttributeValue>> items() {
    return dynamo.scan(b -> b.tableName(table)).items();
  }

  /** Runs the store's {@code ensure} again (nothing to do, no error) and checks that TTL is on {@code attribute}. */
  public void assertEnsuredAgainWithTtlOn(String attribute) {
    ensure.accept(dynamo, table);
    TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertEquals(attribute, ttl.attributeName());
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
    dynamo.close();
  }
}

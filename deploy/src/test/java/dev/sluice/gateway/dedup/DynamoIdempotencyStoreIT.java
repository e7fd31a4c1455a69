package dev.sluice.gateway.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The shared idempotency store against DynamoDB Local: conditional put, TTL attribute, expiry honoured on read. */
@ExtendWith(EnginesExtension.class)
class DynamoIdempotencyStoreIT {
  private static final Appended FIRST = new Appended("retail", 1, 10);
  private static final Appended SECOND = new Appended("retail", 2, 20);
  private static final Duration WINDOW = Duration.ofMinutes(10);

  private Vertx vertx;
  private DynamoDbClient dynamo;
  private String table;
  private HandClock clock;
  private DynamoIdempotencyStore store;

  /** A clock the test moves by hand. */
  private static final class HandClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void setUp(Engines engines) {
    vertx = Vertx.vertx();
    dynamo = AwsClients.dynamo(AwsConfig.local(engines.dynamoEndpoint(), engines.sqsEndpoint()));
    table = "dedup-it-" + UUID.randomUUID().toString().substring(0, 8);
    DynamoIdempotencyStore.ensureTable(dynamo, table);
    clock = new HandClock();
    store = new DynamoIdempotencyStore(vertx, dynamo, table, WINDOW, clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    dynamo.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void remembersBySourceAndId() throws Exception {
    assertEquals(Optional.empty(), await(store.find("/shop", "e-1")));
    await(store.remember("/shop", "e-1", FIRST));
    assertEquals(Optional.of(FIRST), await(store.find("/shop", "e-1")));
    assertEquals(Optional.empty(), await(store.find("/shop", "e-2")));
    assertEquals(Optional.empty(), await(store.find("/other", "e-1")));
  }

  @Test
  void theConditionalPutKeepsTheFirstResult() throws Exception {
    await(store.remember("/shop", "e-1", FIRST));
    // Another replica appended the same event concurrently and tries to remember its own offset: refused, quietly.
    DynamoIdempotencyStore otherReplica = new DynamoIdempotencyStore(vertx, dynamo, table, WINDOW, clock);
    await(otherReplica.remember("/shop", "e-1", SECOND));
    assertEquals(Optional.of(FIRST), await(store.find("/shop", "e-1")));
    assertEquals(Optional.of(FIRST), await(otherReplica.find("/shop", "e-1")));
  }

  @Test
  void concurrentRemembersLeaveExactlyOneWinnerThatEveryoneReads() throws Exception {
    Future<Void> a = store.remember("/shop", "race", FIRST);
    Future<Void> b = store.remember("/shop", "race", SECOND);
    await(Future.all(a, b));
    Appended winner = await(store.find("/shop", "race")).orElseThrow();
    assertEquals(winner, await(store.find("/shop", "race")).orElseThrow());
    assertEquals(true, winner.equals(FIRST) || winner.equals(SECOND));
  }

  @Test
  void expiredEntriesAreIgnoredAndReplaced() throws Exception {
    await(store.remember("/shop", "e-1", FIRST));
    clock.advance(WINDOW.minusSeconds(1));
    assertEquals(Optional.of(FIRST), await(store.find("/shop", "e-1")), "still inside the window");

    clock.advance(Duration.ofSeconds(1));
    // DynamoDB deletes expired items only eventually (DynamoDB Local never): the store must not trust their presence.
    assertEquals(Optional.empty(), await(store.find("/shop", "e-1")));
    await(store.remember("/shop", "e-1", SECOND));
    assertEquals(Optional.of(SECOND), await(store.find("/shop", "e-1")));
  }

  @Test
  void itemsCarryTheTtlAttributeAndTheTableHasTtlOn() throws Exception {
    await(store.remember("/shop", "e-1", FIRST));
    Map<String, AttributeValue> item = dynamo.scan(b -> b.tableName(table)).items().get(0);
    assertEquals(clock.instant().plus(WINDOW).getEpochSecond(), Long.parseLong(item.get("expiresAt").n()));
    assertEquals(64, item.get("pk").s().length(), "the key is a hash, whatever the size of source and id");

    DynamoIdempotencyStore.ensureTable(dynamo, table); // again: nothing to do, no error
    var ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertEquals("expiresAt", ttl.attributeName());
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
  }
}

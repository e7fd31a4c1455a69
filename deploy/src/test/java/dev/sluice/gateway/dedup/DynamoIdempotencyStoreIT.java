package dev.sluice.gateway.dedup;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.storekit.marks.MarkWindow;
import dev.sluice.storekit.marks.StoreKey;
import dev.sluice.storekit.marks.WindowMarks;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The shared idempotency store against DynamoDB Local: conditional put, TTL attribute, expiry honoured on read. */
@ExtendWith(EnginesExtension.class)
class DynamoIdempotencyStoreIT {
  private static final Appended FIRST = new Appended("retail", 1, 10);
  private static final Appended SECOND = new Appended("retail", 2, 20);
  private static final Duration WINDOW = Duration.ofMinutes(10);
  /** sha256("5:/shope-1"): the key of ("/shop", "e-1"), a hash whatever the size of source and id. */
  private static final String SHOP_E1 = "348ac3babffd148f620b893824dd5e08f11236c5c218956e616c23a45f2ac172";

  private MarkTableFixture t;
  private WindowMarks<Appended> store;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "dedup-it", IdempotencyTable.MARKS::ensure);
    store = replica();
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  /** Another gateway replica's store object on the same table. */
  private WindowMarks<Appended> replica() {
    return IdempotencyTable.MARKS.inDynamo(t.vertx, t.dynamo, t.table, MarkWindow.of(WINDOW, t.clock));
  }

  private static StoreKey key(String source, String id) {
    return StoreKey.of(source, id);
  }

  @Test
  void remembersBySourceAndId() throws Exception {
    assertEquals(Optional.empty(), await(store.find(key("/shop", "e-1"))));
    assertTrue(await(store.markFirst(key("/shop", "e-1"), FIRST)));
    assertEquals(Optional.of(FIRST), await(store.find(key("/shop", "e-1"))));
    assertEquals(Optional.empty(), await(store.find(key("/shop", "e-2"))));
    assertEquals(Optional.empty(), await(store.find(key("/other", "e-1"))));
  }

  @Test
  void theConditionalPutKeepsTheFirstResult() throws Exception {
    await(store.markFirst(key("/shop", "e-1"), FIRST));
    // Another replica appended the same event concurrently and tries to remember its own offset: refused, quietly.
    WindowMarks<Appended> otherReplica = replica();
    assertFalse(await(otherReplica.markFirst(key("/shop", "e-1"), SECOND)));
    assertEquals(Optional.of(FIRST), await(store.find(key("/shop", "e-1"))));
    assertEquals(Optional.of(FIRST), await(otherReplica.find(key("/shop", "e-1"))));
  }

  @Test
  void concurrentRemembersLeaveExactlyOneWinnerThatEveryoneReads() throws Exception {
    Future<Boolean> a = store.markFirst(key("/shop", "race"), FIRST);
    Future<Boolean> b = store.markFirst(key("/shop", "race"), SECOND);
    await(Future.all(a, b));
    assertTrue(a.result() ^ b.result(), "exactly one winner");
    Appended winner = await(store.find(key("/shop", "race"))).orElseThrow();
    assertEquals(a.result() ? FIRST : SECOND, winner);
  }

  @Test
  void expiredEntriesAreIgnoredAndReplaced() throws Exception {
    await(store.markFirst(key("/shop", "e-1"), FIRST));
    t.clock.advance(WINDOW.minusSeconds(1));
    assertEquals(Optional.of(FIRST), await(store.find(key("/shop", "e-1"))), "still inside the window");

    t.clock.advance(Duration.ofSeconds(1));
    // DynamoDB deletes expired items only eventually (DynamoDB Local never): the store must not trust their presence.
    assertEquals(Optional.empty(), await(store.find(key("/shop", "e-1"))));
    assertTrue(await(store.markFirst(key("/shop", "e-1"), SECOND)));
    assertEquals(Optional.of(SECOND), await(store.find(key("/shop", "e-1"))));
  }

  @Test
  void itemsKeepTheirStoredFormatAndTheTableHasTtlOn() throws Exception {
    await(store.markFirst(key("/shop", "e-1"), FIRST));
    assertEquals(Map.of(
        "pk", AttributeValue.fromS(SHOP_E1),
        "topic", AttributeValue.fromS("retail"),
        "kafkaPartition", AttributeValue.fromN("1"),
        "kafkaOffset", AttributeValue.fromN("10"),
        "expiresAt", AttributeValue.fromN(Long.toString(t.clock.instant().plus(WINDOW).getEpochSecond()))),
        t.items().get(0));

    t.assertEnsuredAgainWithTtlOn("expiresAt");
  }

  @Test
  void anItemWrittenBeforeTheStoreKitIsStillFound() throws Exception {
    // As DynamoIdempotencyStore wrote it, by hand: existing tables must read the same after the refactor.
    t.dynamo.putItem(b -> b.tableName(t.table).item(Map.of(
        "pk", AttributeValue.fromS(SHOP_E1),
        "topic", AttributeValue.fromS("retail"),
        "kafkaPartition", AttributeValue.fromN("2"),
        "kafkaOffset", AttributeValue.fromN("20"),
        "expiresAt", AttributeValue.fromN(Long.toString(t.clock.instant().getEpochSecond() + 60)))));
    assertEquals(Optional.of(SECOND), await(store.find(key("/shop", "e-1"))));
    assertFalse(await(store.markFirst(key("/shop", "e-1"), FIRST)), "the first result stands");
  }
}

package dev.sluice.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The key table against DynamoDB Local: its layout, and that each write happens only while its condition holds (a
 * first key only where there is no row, a re-created key only over the tombstone of the generation before, a forget
 * only of the key active at the generation read).
 */
@ExtendWith(EnginesExtension.class)
class KeyTableIT {
  private static final SubjectRef PH1 = new SubjectRef("retail", "ph-1");
  private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private MarkTableFixture t;
  private KeyTable keys;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "keys-it", KeyTable::ensure);
    keys = new KeyTable(new WorkerTable(t.vertx, t.dynamo, t.table, t.clock), Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  private static DekRow active(long generation, String bytes) {
    return DekRow.active(PH1, generation, WrappedKey.of(bytes.getBytes()), AT);
  }

  private static Forgetting forgetting(String auditId) {
    return new Forgetting(AT.plusSeconds(60), "admin", auditId);
  }

  private Map<String, AttributeValue> item() {
    return t.dynamo.getItem(b -> b.tableName(t.table).key(Map.of("pk", AttributeValue.fromS("dek#retail#ph-1")))
        .consistentRead(true)).item();
  }

  @Test
  void isKeyedByPkWithoutTtlAndEnsureFindsItThere() {
    assertFalse(KeyTable.ensure(t.dynamo, t.table), "there already");
    TableDescription table = t.dynamo.describeTable(b -> b.tableName(t.table)).table();
    assertEquals(List.of(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()),
        table.keySchema());
    assertEquals(TimeToLiveStatus.DISABLED,
        t.dynamo.describeTimeToLive(b -> b.tableName(t.table)).timeToLiveDescription().timeToLiveStatus(),
        "a key must never expire on its own");
  }

  @Test
  void aFirstKeyIsWrittenOnlyWhereTheSubjectHasNoRow() {
    assertTrue(keys.createDek(active(1, "first")));
    assertFalse(keys.createDek(active(1, "second")), "lost to the first");
    assertEquals(Optional.of(active(1, "first")), keys.dek(PH1));
    assertEquals(Set.of("pk", "stream", "subject", "generation", "wrapped", "createdAt"), item().keySet());
    assertEquals(AttributeValue.fromS("ph-1"), item().get("subject"));
  }

  @Test
  void aForgetRemovesTheKeyOnlyWhileItIsActiveAtTheGenerationRead() {
    keys.createDek(active(1, "first"));
    assertFalse(keys.forgetDek(PH1, 2, forgetting("audit-1")), "not at generation 2");
    assertTrue(keys.forgetDek(PH1, 1, forgetting("audit-1")));
    assertFalse(keys.forgetDek(PH1, 1, forgetting("audit-2")), "forgotten already");
    DekRow tombstone = keys.dek(PH1).orElseThrow();
    assertEquals(active(1, "first").forgottenBy(forgetting("audit-1")), tombstone);
    assertFalse(item().containsKey("wrapped"), "the key is gone from the item");
    assertEquals(AttributeValue.fromS("audit-1"), item().get("auditId"));
  }

  @Test
  void aKeyIsReCreatedOnlyOverTheTombstoneOfTheGenerationBefore() {
    keys.createDek(active(1, "first"));
    assertFalse(keys.recreateDek(active(2, "second")), "generation 1 is active");
    keys.forgetDek(PH1, 1, forgetting("audit-1"));
    assertFalse(keys.recreateDek(active(3, "third")), "not the generation after the tombstone's");
    assertTrue(keys.recreateDek(active(2, "second")));
    assertFalse(keys.recreateDek(active(2, "again")), "generation 2 is active now");
    assertEquals(Optional.of(active(2, "second")), keys.dek(PH1));
    assertEquals(Set.of("pk", "stream", "subject", "generation", "wrapped", "createdAt"), item().keySet(),
        "the forget's who and when went with it");
  }

  @Test
  void aSubjectNeverSeenGetsATombstoneAtGenerationZeroThatAFirstKeyFollows() {
    DekRow tombstone = DekRow.tombstone(PH1, 0, AT, forgetting("audit-1"));
    assertTrue(keys.createDek(tombstone));
    assertEquals(Optional.of(tombstone), keys.dek(PH1));
    assertFalse(keys.createDek(active(1, "first")), "there is a row");
    assertTrue(keys.recreateDek(active(1, "first")));
  }

  @Test
  void aStreamWrappingKeyIsWrittenOnlyIfTheStreamHasNone() {
    SwkRow first = new SwkRow("retail", WrappedKey.of("swk-1".getBytes()), "local:/kek.json", AT);
    assertEquals(Optional.empty(), keys.swk("retail"));
    assertTrue(keys.createSwk(first));
    assertFalse(keys.createSwk(new SwkRow("retail", WrappedKey.of("swk-2".getBytes()), "local:/kek.json", AT)));
    assertEquals(Optional.of(first), keys.swk("retail"));
  }

  @Test
  void onAMissingTableEveryCallThrows() {
    KeyTable missing = new KeyTable(new WorkerTable(t.vertx, t.dynamo, t.table + "-missing", t.clock),
        Duration.ofSeconds(5));
    assertThrows(ResourceNotFoundException.class, () -> missing.dek(PH1));
    assertThrows(ResourceNotFoundException.class, () -> missing.createDek(active(1, "first")));
  }
}

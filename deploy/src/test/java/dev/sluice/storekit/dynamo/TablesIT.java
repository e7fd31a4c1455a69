package dev.sluice.storekit.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.SdkCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creating a table and turning TTL on, against DynamoDB Local, races included: several callers on one new table, each
 * with its own client as separate processes would have; and the two narrow interleavings (the table, or TTL, made by
 * another process just after this one looked) placed exactly, by letting the other process act from an interceptor at
 * that moment. Every answer is DynamoDB Local's.
 */
@ExtendWith(EnginesExtension.class)
class TablesIT {
  private static final TtlTable MARKS = TtlTable.keyedBy("pk").expiringOn("expiresAt");
  private static final int CALLERS = 6;

  private Engines engines;
  private final SdkCalls calls = new SdkCalls();
  private DynamoDbClient dynamo;
  /** The other process: its own client. */
  private DynamoDbClient other;
  private final List<DynamoDbClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp(Engines engines) {
    this.engines = engines;
    dynamo = calls.dynamo(engines.dynamoEndpoint());
    other = client();
  }

  @AfterEach
  void tearDown() {
    dynamo.close();
    clients.forEach(DynamoDbClient::close);
  }

  private DynamoDbClient client(ExecutionInterceptor... interceptors) {
    DynamoDbClient c = new SdkCalls().dynamo(engines.dynamoEndpoint(), interceptors);
    clients.add(c);
    return c;
  }

  private static String newTable() {
    return "tables-it-" + UUID.randomUUID();
  }

  private TableDescription describe(String table) {
    return other.describeTable(b -> b.tableName(table)).table();
  }

  private TimeToLiveDescription ttl(String table) {
    return other.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
  }

  private void assertActiveWithTtlOn(String table, String attribute) {
    assertEquals(TableStatus.ACTIVE, describe(table).tableStatus());
    TimeToLiveDescription ttl = ttl(table);
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus(), "TTL of " + table);
    assertEquals(attribute, ttl.attributeName());
  }

  @Test
  void anAbsentTableIsCreatedWithItsKeysOnDemandAndAwaited() {
    String table = newTable();
    assertEquals(Tables.Creation.CREATED, TableKeys.hashAndRange("id", "at").createIfAbsent(dynamo, table));

    TableDescription created = describe(table);
    assertEquals(TableStatus.ACTIVE, created.tableStatus());
    assertEquals(List.of(
        KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build(),
        KeySchemaElement.builder().attributeName("at").keyType(KeyType.RANGE).build()), created.keySchema());
    assertEquals(BillingMode.PAY_PER_REQUEST, created.billingModeSummary().billingMode());
    assertEquals(List.of("DescribeTable: ResourceNotFoundException", "CreateTable", "DescribeTable"),
        calls.operations(), "looked, created, then waited until active");
  }

  @Test
  void anExistingTableIsLeftAloneAndNothingMoreIsAsked() {
    String table = newTable();
    TableKeys.hash("id").createIfAbsent(other, table);

    assertEquals(Tables.Creation.EXISTED, TableKeys.hashAndRange("pk", "sk").createIfAbsent(dynamo, table));
    assertEquals(List.of("DescribeTable"), calls.operations(), "looked once: not created, not waited for");
    assertEquals(List.of(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()),
        describe(table).keySchema(), "the table stays as it was made");
  }

  /**
   * Another process creates the table between this one's DescribeTable (absent) and its CreateTable: the create is
   * refused by DynamoDB Local as a preexisting table, and the call still waits for the table and reports the race.
   */
  @Test
  void aTableCreatedElsewhereBetweenLookingAndCreatingIsAwaited() {
    String table = newTable();
    DynamoDbClient racing = calls.dynamo(engines.dynamoEndpoint(),
        onceAfterAbsent(() -> TableKeys.hash("id").createIfAbsent(other, table)));
    clients.add(racing);

    assertEquals(Tables.Creation.CREATED_ELSEWHERE, TableKeys.hash("id").createIfAbsent(racing, table));
    assertEquals(List.of("DescribeTable: ResourceNotFoundException", "CreateTable: ResourceInUseException",
        "DescribeTable"), calls.operations());
    assertEquals(TableStatus.ACTIVE, describe(table).tableStatus());
  }

  @Test
  void ofCallersRacingToCreateOneTableExactlyOneCreatesIt() throws Exception {
    for (int round = 0; round < 3; round++) {
      String table = newTable();
      List<Tables.Creation> outcomes = race(dynamo -> TableKeys.hash("id").createIfAbsent(dynamo, table));

      assertEquals(1, outcomes.stream().filter(o -> o == Tables.Creation.CREATED).count(), "created here: " + outcomes);
      assertTrue(Set.of(Tables.Creation.EXISTED, Tables.Creation.CREATED_ELSEWHERE).containsAll(
          outcomes.stream().filter(o -> o != Tables.Creation.CREATED).collect(Collectors.toSet())), outcomes.toString());
      assertEquals(TableStatus.ACTIVE, describe(table).tableStatus());
    }
  }

  @Test
  void ensureCreatesTurnsTtlOnAndSaysWhetherItCreated() {
    String table = newTable();
    assertTrue(MARKS.ensure(dynamo, table));
    assertActiveWithTtlOn(table, "expiresAt");

    calls.clear();
    assertFalse(MARKS.ensure(dynamo, table), "again: nothing to do");
    assertEquals(List.of("DescribeTable", "DescribeTable", "DescribeTimeToLive"), calls.operations(),
        "an existing table is waited for (it may still be being created), and TTL is not asked for again");
    assertActiveWithTtlOn(table, "expiresAt");
  }

  @Test
  void ofCallersRacingToEnsureOneTableExactlyOneCreatesItAndAllLeaveTtlOn() throws Exception {
    for (int round = 0; round < 3; round++) {
      String table = newTable();
      List<Boolean> created = race(dynamo -> MARKS.ensure(dynamo, table));

      assertEquals(1, created.stream().filter(c -> c).count(), "created here: " + created);
      assertActiveWithTtlOn(table, "expiresAt");
    }
  }

  @Test
  void anExistingTableWithTtlOnIsLeftAsItIs() {
    String table = newTable();
    TableKeys.hash("pk").createIfAbsent(other, table);
    other.updateTimeToLive(b -> b.tableName(table)
        .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));

    assertFalse(MARKS.ensure(dynamo, table));
    assertFalse(calls.operations().stream().anyMatch(c -> c.startsWith("UpdateTimeToLive")), calls.operations()
        .toString());
    assertActiveWithTtlOn(table, "expiresAt");
  }

  @Test
  void anExistingTableWithTtlOffGetsItTurnedOn() {
    String table = newTable();
    TableKeys.hash("pk").createIfAbsent(other, table);
    assertEquals(TimeToLiveStatus.DISABLED, ttl(table).timeToLiveStatus());

    assertFalse(MARKS.ensure(dynamo, table), "not created here");
    assertActiveWithTtlOn(table, "expiresAt");
  }

  /**
   * Another process turns TTL on between this one's DescribeTimeToLive (off) and its UpdateTimeToLive: DynamoDB Local
   * refuses the update ("TimeToLive is already enabled"), and ensure, seeing TTL on, is content.
   */
  @Test
  void ttlTurnedOnElsewhereMeanwhileIsFine() {
    String table = newTable();
    DynamoDbClient racing = calls.dynamo(engines.dynamoEndpoint(), onceAfterTtlOff(() -> other.updateTimeToLive(
        b -> b.tableName(table).timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)))));
    clients.add(racing);

    assertTrue(MARKS.ensure(racing, table));
    assertEquals(List.of("DescribeTimeToLive", "UpdateTimeToLive: DynamoDbException", "DescribeTimeToLive"),
        calls.operations().subList(calls.operations().size() - 3, calls.operations().size()));
    assertActiveWithTtlOn(table, "expiresAt");
  }

  /** Refused while TTL is still not on our attribute (here: on another one, which DynamoDB allows only once). */
  @Test
  void aTtlRefusalWithTtlStillNotOnIsAnError() {
    String table = newTable();
    TableKeys.hash("pk").createIfAbsent(other, table);
    other.updateTimeToLive(b -> b.tableName(table)
        .timeToLiveSpecification(t -> t.attributeName("deleteAfter").enabled(true)));

    DynamoDbException refused = assertThrows(DynamoDbException.class, () -> MARKS.ensure(dynamo, table));
    assertTrue(refused.getMessage().contains("TimeToLive"), refused.getMessage());
    assertActiveWithTtlOn(table, "deleteAfter");
  }

  /** {@link #CALLERS} callers, each with its own client, released together on {@code call}. */
  private <T> List<T> race(Function<DynamoDbClient, T> call) throws Exception {
    CyclicBarrier start = new CyclicBarrier(CALLERS);
    List<Callable<T>> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      DynamoDbClient own = client();
      callers.add(() -> {
        start.await(30, TimeUnit.SECONDS);
        return call.apply(own);
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    try {
      List<T> outcomes = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(callers)) {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@code otherProcess} once, right after a DescribeTable of this client found no table. */
  private static ExecutionInterceptor onceAfterAbsent(Runnable otherProcess) {
    AtomicBoolean done = new AtomicBoolean();
    return new ExecutionInterceptor() {
      @Override
      public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof DescribeTableRequest && context.exception() instanceof ResourceNotFoundException
            && done.compareAndSet(false, true)) {
          otherProcess.run();
        }
      }
    };
  }

  /** Runs {@code otherProcess} once, right after a DescribeTimeToLive of this client found TTL off. */
  private static ExecutionInterceptor onceAfterTtlOff(Runnable otherProcess) {
    AtomicBoolean done = new AtomicBoolean();
    return new ExecutionInterceptor() {
      @Override
      public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof DescribeTimeToLiveResponse ttl
            && ttl.timeToLiveDescription().timeToLiveStatus() == TimeToLiveStatus.DISABLED
            && done.compareAndSet(false, true)) {
          otherProcess.run();
        }
      }
    };
  }
}

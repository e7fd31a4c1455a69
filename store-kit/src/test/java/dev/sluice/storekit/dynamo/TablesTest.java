package dev.sluice.storekit.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/** The races of creating a table and turning TTL on, against a scripted client (the happy paths run in the ITs). */
class TablesTest {
  /** One table: absent until created (by us, or "by another process" when {@link #raceCreate}). */
  private static final class Scripted implements DynamoDbClient {
    final List<String> calls = new ArrayList<>();
    boolean exists;
    boolean raceCreate;
    TimeToLiveStatus ttl = TimeToLiveStatus.DISABLED;
    boolean raceTtl;
    boolean refuseTtl;

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
      calls.add("describe");
      if (!exists) {
        throw ResourceNotFoundException.builder().message("absent").build();
      }
      return DescribeTableResponse.builder().table(t -> t.tableName(request.tableName())
          .tableStatus(TableStatus.ACTIVE)).build();
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
      calls.add("create");
      exists = true;
      if (raceCreate) {
        throw ResourceInUseException.builder().message("being created").build();
      }
      return CreateTableResponse.builder().build();
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
      return DescribeTimeToLiveResponse.builder()
          .timeToLiveDescription(d -> d.attributeName("expiresAt").timeToLiveStatus(ttl)).build();
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest request) {
      calls.add("ttl " + request.timeToLiveSpecification().attributeName());
      if (raceTtl) {
        ttl = TimeToLiveStatus.ENABLING;
      }
      if (raceTtl || refuseTtl) {
        throw DynamoDbException.builder().message("TimeToLive is already being enabled").build();
      }
      ttl = TimeToLiveStatus.ENABLED;
      return UpdateTimeToLiveResponse.builder().build();
    }

    @Override
    public DynamoDbWaiter waiter() {
      return DynamoDbWaiter.builder().client(this).build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  private static final TtlTable MARKS = TtlTable.keyedBy("pk").expiringOn("expiresAt");

  @Test
  void anAbsentTableIsCreatedAndAwaited() {
    Scripted dynamo = new Scripted();
    assertEquals(Tables.Creation.CREATED, TableKeys.hash("id").createIfAbsent(dynamo, "t"));
    assertEquals(List.of("describe", "create", "describe"), dynamo.calls, "created, then awaited");
  }

  @Test
  void anExistingTableIsLeftAloneAndNotAwaited() {
    Scripted dynamo = new Scripted();
    dynamo.exists = true;
    assertEquals(Tables.Creation.EXISTED, TableKeys.hash("id").createIfAbsent(dynamo, "t"));
    assertEquals(List.of("describe"), dynamo.calls);
  }

  @Test
  void aTableAnotherProcessCreatesMeanwhileIsAwaited() {
    Scripted dynamo = new Scripted();
    dynamo.raceCreate = true;
    assertEquals(Tables.Creation.CREATED_ELSEWHERE, TableKeys.hash("id").createIfAbsent(dynamo, "t"));
    assertEquals(List.of("describe", "create", "describe"), dynamo.calls);
  }

  @Test
  void ensureCreatesTurnsTtlOnAndSaysWhetherItCreated() {
    Scripted dynamo = new Scripted();
    assertEquals(true, MARKS.ensure(dynamo, "t"));
    assertEquals(List.of("describe", "create", "describe", "ttl expiresAt"), dynamo.calls);
    dynamo.calls.clear();
    assertEquals(false, MARKS.ensure(dynamo, "t"), "again: nothing to do");
    assertEquals(List.of("describe", "describe"), dynamo.calls, "an existing table is awaited: it may be CREATING");

    Scripted raced = new Scripted();
    raced.raceCreate = true;
    assertEquals(false, MARKS.ensure(raced, "t"), "created by another process");
  }

  @Test
  void ttlTurnedOnByAnotherProcessMeanwhileIsFine() {
    Scripted dynamo = new Scripted();
    dynamo.raceTtl = true;
    MARKS.ensure(dynamo, "t");
    assertEquals(TimeToLiveStatus.ENABLING, dynamo.ttl);
  }

  @Test
  void aTtlRefusalWithTtlStillOffIsAnError() {
    Scripted dynamo = new Scripted();
    dynamo.refuseTtl = true;
    assertThrows(DynamoDbException.class, () -> MARKS.ensure(dynamo, "t"));
  }
}

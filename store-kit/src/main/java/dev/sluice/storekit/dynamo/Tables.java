package dev.sluice.storekit.dynamo;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Creates a DynamoDB table unless it is there. Every Sluice process provisions the tables it needs at start-up, and
 * several may start at once, so this must be idempotent also when they race. Blocking: call it at start-up or from a
 * worker, never on an event loop.
 */
public final class Tables {
  private Tables() {}

  /** What {@link #createIfAbsent} found or did. */
  public enum Creation {
    /** The table was there already (possibly still being created); nothing was asked. */
    EXISTED,
    /** This call created the table, and it is active now. */
    CREATED,
    /** Absent when looked at, then created by another process before this call could: active now. */
    CREATED_ELSEWHERE
  }

  /**
   * Creates the table described by {@code request} if {@code DescribeTable} does not find it, and then waits until it
   * is active. A table that exists is not waited for: callers that need it active wait themselves.
   */
  public static Creation createIfAbsent(DynamoDbClient dynamo, CreateTableRequest request) {
    String table = request.tableName();
    try {
      dynamo.describeTable(b -> b.tableName(table));
      return Creation.EXISTED;
    } catch (ResourceNotFoundException absent) {
      // create it below
    }
    Creation creation;
    try {
      dynamo.createTable(request);
      creation = Creation.CREATED;
    } catch (ResourceInUseException raced) {
      // Created by another process between describe and create: the outcome we want.
      creation = Creation.CREATED_ELSEWHERE;
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    return creation;
  }
}

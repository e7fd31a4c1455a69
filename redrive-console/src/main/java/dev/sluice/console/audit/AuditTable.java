package dev.sluice.console.audit;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * The audit table's layout. Hash key {@code day} (UTC date, {@code 2026-11-22}), range key {@code sk} (13-digit epoch
 * millis, {@code #}, the entry's UUID), so "the newest entries" reads one day's partition after another, newest
 * first, and a time range is a key condition. Index {@code by-item} (hash {@code itemId}, range {@code sk}) answers
 * "what happened to this item" and {@code by-actor} (hash {@code actor}, range {@code sk}) "what did this operator
 * do", each with one Query. The action is a FilterExpression on whichever of these answers.
 */
public final class AuditTable {
  public static final String DAY = "day";
  public static final String SORT_KEY = "sk";
  public static final String ITEM_ID = "itemId";
  public static final String ACTOR = "actor";
  public static final String BY_ITEM_INDEX = "by-item";
  public static final String BY_ACTOR_INDEX = "by-actor";

  private AuditTable() {}

  /** Creates the table if it does not exist and waits until it is active. Blocking. True if it created it. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    return Tables.createIfAbsent(dynamo, definition(table)) != Tables.Creation.EXISTED;
  }

  /** The table, and its indexes projecting every attribute (the listings show whole entries). */
  static CreateTableRequest definition(String table) {
    return TableKeys.hashAndRange(DAY, SORT_KEY).createRequest(table,
        TableKeys.hashAndRange(ITEM_ID, SORT_KEY).index(BY_ITEM_INDEX),
        TableKeys.hashAndRange(ACTOR, SORT_KEY).index(BY_ACTOR_INDEX));
  }
}

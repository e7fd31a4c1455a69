package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPTS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPT_LOG;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.GENERATION;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.NEXT_ATTEMPT_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.OPEN_LANE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ERROR_CLASS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ERROR_MESSAGE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.HISTORY;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.REASON;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STATUS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.UPDATED_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.VIOLATIONS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.n;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.quarantine.store.Settlement.Quarantined;
import dev.sluice.quarantine.store.Settlement.Resolved;
import dev.sluice.quarantine.store.Settlement.Retrying;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The writes of whoever diverts events into the quarantine: the consumers (new items, written behind in batches, and
 * each settlement of an open item by a retry, a redrive or a release) and the gateway's reject capture (new items).
 * Every state change is a conditional write: creating an item only if its id is new, and every status transition
 * only from the status it expects, so an operator and a consumer can never both win the same transition.
 */
public final class ConsumerWrites {
  private final WorkerTable table;

  ConsumerWrites(WorkerTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** The outcome of diverting an event. */
  public enum Write {
    /** The item is new. */
    CREATED,
    /** An item for this record and group exists already (a re-delivery after a crash): nothing was written. */
    ALREADY_PRESENT
  }

  /** The most a DynamoDB item may weigh, as {@link DynamoQuarantineCodec#itemBytes} counts. */
  public static final long ITEM_LIMIT_BYTES = 400 * 1024;
  /**
   * The most a new item of a Kafka record may weigh as measured before writing: a margin of 32 KB under the limit, for
   * what the measure may count short and for the history and attempt log a settlement appends later.
   */
  public static final long FIT_BYTES = ITEM_LIMIT_BYTES - 32 * 1024;

  /**
   * Whether {@code item} is small enough to be written as it is ({@link #FIT_BYTES}); otherwise it is written
   * {@link QuarantineItem#withPayloadInKafka without its payload}, never sent to be refused. Measured on the
   * attributes it would be written with.
   */
  public static boolean fits(QuarantineItem item) {
    // Most items are small: a rough bound, half the budget, tells they fit without encoding them twice.
    if (approximateBytes(item) < FIT_BYTES / 2) {
      return true;
    }
    return DynamoQuarantineCodec.itemBytes(DynamoQuarantineCodec.toAttributes(item)) <= FIT_BYTES;
  }

  /** A rough upper bound of an item's size in a write request: what it carries that grows with the record. */
  public static long approximateBytes(QuarantineItem item) {
    long bytes = 1_024L + item.payload().length + item.errorMessage().length() + item.errorClass().length();
    for (KafkaHeader h : item.headers()) {
      bytes += h.key().length() + (h.value() == null ? 0 : h.value().length) + 16;
    }
    for (Violation v : item.violations()) {
      bytes += 64 + v.pointer().length() + v.message().length();
    }
    for (HandlerAttempt a : item.attemptLog()) {
      // A stack trace (up to 8 KB) can outweigh the rest of the item: counted so a batch stays within its bytes.
      bytes += 128 + a.errorClass().length() + a.message().length() + a.stackTrace().map(String::length).orElse(0);
    }
    // Binary attributes travel base64-encoded in the JSON request.
    return bytes * 4 / 3;
  }

  /** Writes a new item, only if no item has its id: idempotent under re-delivery. */
  public Future<Write> quarantine(QuarantineItem item) {
    return table.blocking(() -> table.putIf(DynamoQuarantineCodec.toAttributes(item), b -> b
            .conditionExpression("attribute_not_exists(#id)")
            .expressionAttributeNames(Map.of("#id", ID)))
        ? Write.CREATED
        : Write.ALREADY_PRESENT);
  }

  /**
   * Writes a new item only if no item has its id (idempotent under re-delivery). Empty when written; otherwise the
   * item already stored, read in the same conditional write, so that a replay after a crash learns where the event
   * stands (still open, or already settled) without a second read.
   */
  public Future<Optional<QuarantineItem>> createIfAbsent(QuarantineItem item) {
    return table.blocking(() -> createIfAbsentNow(item));
  }

  private Optional<QuarantineItem> createIfAbsentNow(QuarantineItem item) {
    try {
      table.dynamo().putItem(b -> b.tableName(table.name())
          .item(DynamoQuarantineCodec.toAttributes(item))
          .conditionExpression("attribute_not_exists(#id)")
          .expressionAttributeNames(Map.of("#id", ID))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return Optional.empty();
    } catch (ConditionalCheckFailedException exists) {
      return table.current(exists, StoredItems.key(item.id())).map(DynamoQuarantineCodec::fromAttributes);
    }
  }

  /** The most items one {@link #createAllIfAbsent} transaction takes: DynamoDB's TransactWriteItems limit. */
  public static final int MAX_BATCH_ITEMS = 100;

  /**
   * {@link #createIfAbsent} for many items at once, each written only if no item has its id: one TransactWriteItems
   * call (up to {@value #MAX_BATCH_ITEMS} items) with an {@code attribute_not_exists} condition per item, so a batch is
   * as conditional as single writes and costs one round trip. The answer is parallel to {@code items}: empty where the
   * item was written, else the item already stored.
   *
   * <p>A transaction is all or nothing: when it is cancelled because an item exists already (a replay after a crash)
   * or another writer touched one of the ids at the same moment, each item is written again on its own with
   * {@link #createIfAbsent}'s conditional put, which learns the stored item of each id that exists. Any other failure
   * (the table unreachable, throttling) fails the Future, with nothing or everything written, and the caller may
   * try the same batch again.
   */
  public Future<List<Optional<QuarantineItem>>> createAllIfAbsent(List<QuarantineItem> items) {
    if (items.size() > MAX_BATCH_ITEMS) {
      throw new IllegalArgumentException("at most " + MAX_BATCH_ITEMS + " items per batch, not " + items.size());
    }
    List<QuarantineItem> batch = List.copyOf(items);
    return table.blocking(() -> {
      if (batch.isEmpty()) {
        return List.<Optional<QuarantineItem>>of();
      }
      if (batch.size() == 1) {
        return List.of(createIfAbsentNow(batch.get(0)));
      }
      List<TransactWriteItem> writes = new ArrayList<>(batch.size());
      for (QuarantineItem item : batch) {
        writes.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(DynamoQuarantineCodec.toAttributes(item))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", ID))
                .build())
            .build());
      }
      try {
        table.dynamo().transactWriteItems(b -> b.transactItems(writes));
        List<Optional<QuarantineItem>> created = new ArrayList<>(batch.size());
        batch.forEach(i -> created.add(Optional.empty()));
        return created;
      } catch (TransactionCanceledException cancelled) {
        if (!cancelledByExistingOrRacingItem(cancelled)) {
          throw cancelled;
        }
        // Nothing of the batch was written: each item on its own, which tells which ids exist and what they hold.
        List<Optional<QuarantineItem>> out = new ArrayList<>(batch.size());
        for (QuarantineItem item : batch) {
          out.add(createIfAbsentNow(item));
        }
        return out;
      }
    });
  }

  /** Whether a cancelled transaction failed on an item's condition or a concurrent write, not on the engine. */
  private static boolean cancelledByExistingOrRacingItem(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return false;
    }
    for (CancellationReason r : e.cancellationReasons()) {
      String code = r.code();
      if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A rewind's pass settled the event of the first pass's open item {@code id} (the same record, read again): the
   * item is settled for good, so that it holds its key back neither during the rewind nor after it. RESOLVED when the
   * pass's handler took the event; when the pass made an item of its own of it ({@code passItem}), DISCARDED as
   * SUPERSEDED by that item, which carries the event from now on. One conditional write from QUARANTINED, RETRYING or
   * PARKED; a REDRIVEN item is left to its redrive ({@link StoreException.StatusConflict}, as for a settled one). The
   * item stays readable, its history saying which rewind settled it.
   */
  public Future<QuarantineItem> settleFirstPass(String id, String rewindId, Optional<String> passItem, String actor) {
    Instant now = table.clock().instant();
    AuditEntry audit = passItem
        .map(pass -> new AuditEntry(now, "SUPERSEDED", actor, "rewind " + rewindId
            + " read the event again; its item is now " + pass))
        .orElseGet(() -> new AuditEntry(now, "RESOLVED", actor, "rewind " + rewindId
            + " read the event again and the handler accepted it"));
    return StoredItems.settleOpen(table, id,
        passItem.isPresent() ? QuarantineStatus.DISCARDED : QuarantineStatus.RESOLVED, audit);
  }

  /**
   * Moves an open item on, as one conditional write: only from {@code from}, and, when {@code expectedAttempts} is
   * given, only if no other delivery recorded attempts in between (a duplicate retry message, or two consumers racing,
   * find a {@link StoreException.StatusConflict} instead of settling twice). A move to a final status takes the item
   * out of the open-lane index.
   */
  public Future<QuarantineItem> settle(
      String id, QuarantineStatus from, OptionalInt expectedAttempts, Settlement to, String actor) {
    Instant now = table.clock().instant();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> set = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    names.put("#status", STATUS);
    names.put("#updatedAt", UPDATED_AT);
    names.put("#history", HISTORY);
    names.put("#attemptLog", ATTEMPT_LOG);
    names.put("#attempts", ATTEMPTS);
    names.put("#generation", GENERATION);
    values.put(":from", s(from.name()));
    values.put(":now", n(now.toEpochMilli()));
    values.put(":empty", AttributeValue.fromL(List.of()));
    values.put(":newAttempts", DynamoQuarantineCodec.attempts(to.attempts()));
    values.put(":attemptCount", n(to.attempts().size()));
    values.put(":zero", n(0));
    values.put(":generation", n(to.generation()));
    set.add("#updatedAt = :now");
    set.add("#attemptLog = list_append(if_not_exists(#attemptLog, :empty), :newAttempts)");
    set.add("#attempts = if_not_exists(#attempts, :zero) + :attemptCount");
    set.add("#generation = :generation");
    QuarantineStatus target;
    AuditEntry audit;
    if (to instanceof Resolved r) {
      target = QuarantineStatus.RESOLVED;
      audit = new AuditEntry(now, "RESOLVED", actor, r.detail());
    } else if (to instanceof Quarantined q) {
      target = QuarantineStatus.QUARANTINED;
      names.putAll(Map.of("#reason", REASON, "#errorClass", ERROR_CLASS, "#errorMessage", ERROR_MESSAGE,
          "#violations", VIOLATIONS));
      values.putAll(Map.of(":reason", s(q.reason().name()), ":errorClass", s(q.errorClass()),
          ":errorMessage", s(q.message()),
          ":violations", AttributeValue.fromL(q.violations().stream().map(DynamoQuarantineCodec::violation).toList())));
      set.add("#reason = :reason");
      set.add("#errorClass = :errorClass");
      set.add("#errorMessage = :errorMessage");
      set.add("#violations = :violations");
      audit = new AuditEntry(now, from == QuarantineStatus.REDRIVEN ? "REDRIVE_FAILED" : "QUARANTINED", actor,
          q.reason() + ": " + q.message());
    } else {
      Retrying r = (Retrying) to;
      target = QuarantineStatus.RETRYING;
      names.putAll(Map.of("#reason", REASON, "#errorClass", ERROR_CLASS, "#errorMessage", ERROR_MESSAGE,
          "#nextAttemptAt", NEXT_ATTEMPT_AT));
      values.putAll(Map.of(":reason", s(QuarantineReason.HANDLER_FAILED.name()), ":errorClass", s(r.errorClass()),
          ":errorMessage", s(r.message()), ":next", n(r.nextAttemptAt().toEpochMilli())));
      set.add("#reason = :reason");
      set.add("#errorClass = :errorClass");
      set.add("#errorMessage = :errorMessage");
      set.add("#nextAttemptAt = :next");
      audit = new AuditEntry(now, "RETRY_SCHEDULED", actor, "next attempt at " + r.nextAttemptAt() + " after "
          + r.errorClass() + ": " + r.message());
    }
    values.put(":to", s(target.name()));
    set.add("#status = :to");
    values.put(":audit", AttributeValue.fromL(List.of(DynamoQuarantineCodec.audit(audit))));
    set.add("#history = list_append(if_not_exists(#history, :empty), :audit)");
    if (!target.isOpen()) {
      names.put("#openLane", OPEN_LANE);
      names.putIfAbsent("#nextAttemptAt", NEXT_ATTEMPT_AT);
      remove.add("#openLane");
      remove.add("#nextAttemptAt");
    } else if (target != QuarantineStatus.RETRYING) {
      names.putIfAbsent("#nextAttemptAt", NEXT_ATTEMPT_AT);
      remove.add("#nextAttemptAt");
    }
    String condition = "#status = :from";
    if (expectedAttempts.isPresent()) {
      values.put(":expectedAttempts", n(expectedAttempts.getAsInt()));
      condition += " AND #attempts = :expectedAttempts";
    }
    return StoredItems.update(table, id, from, "SET " + String.join(", ", set)
        + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)), condition, names, values);
  }
}

package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ID;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.REDRIVE_COUNT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STATUS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.n;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What became of redriven items, for a bulk redrive that counts its outcomes (the console's jobs).
 *
 * <p>A redrive is named by the item's {@code redriveCount} right after it moved to REDRIVEN: the n-th redrive of an
 * item has exactly one outcome. Counting it is made exactly-once by a marker on the item, {@code outcomeCounted = n},
 * written conditionally (only if no marker of this or a later redrive is there) in the same DynamoDB transaction that
 * adds the count to whoever counts it. A counter that dies after the transaction and counts again is refused by the
 * marker; one that dies before it has counted nothing. The marker is bookkeeping of the counting, not a state change:
 * it touches neither the status nor anything the consumer or the console reads.
 */
public final class RedriveOutcomes {
  static final String OUTCOME_COUNTED = "outcomeCounted";

  private final WorkerTable table;

  RedriveOutcomes(WorkerTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** An item's status and how often it has been redriven. */
  public record RedriveState(String id, QuarantineStatus status, int redriveCount) {
    public RedriveState {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(status, "status");
    }
  }

  /** What the {@code redriveCount}-th redrive of an item came to. */
  public enum Outcome {
    /** Still REDRIVEN by that redrive: the consumer has not taken it yet. */
    PENDING,
    /** The consumer took the redriven event (or the ingress reject was appended): RESOLVED. */
    SUCCEEDED,
    /** The consumer failed on the redriven event: open again, or redriven again since (which needs it open first). */
    FAILED_AGAIN,
    /** Settled by an operator (DISCARDED) before the consumer answered: no outcome of the redrive. */
    SETTLED_OTHERWISE,
    /** The item is gone (expired): nothing to learn. */
    GONE;

    /** Whether this outcome is counted (and its marker written). */
    public boolean counted() {
      return this == SUCCEEDED || this == FAILED_AGAIN;
    }
  }

  /** The outcome of the {@code redriveCount}-th redrive of an item whose current state is {@code now}. */
  public static Outcome outcomeOf(Optional<RedriveState> now, int redriveCount) {
    if (now.isEmpty()) {
      return Outcome.GONE;
    }
    RedriveState s = now.get();
    if (s.redriveCount() > redriveCount) {
      // Redriven again since: it had to be QUARANTINED in between, so this redrive failed.
      return Outcome.FAILED_AGAIN;
    }
    return switch (s.status()) {
      case REDRIVEN -> Outcome.PENDING;
      case RESOLVED -> Outcome.SUCCEEDED;
      case DISCARDED -> Outcome.SETTLED_OTHERWISE;
      case QUARANTINED, RETRYING, PARKED -> Outcome.FAILED_AGAIN;
    };
  }

  /** The current states of these items (consistent reads); absent ids are gone. */
  public Future<Map<String, RedriveState>> states(Collection<String> ids) {
    return table.blocking(() -> {
      Map<String, RedriveState> out = new LinkedHashMap<>();
      for (Map<String, AttributeValue> i : BatchReads.read(table, ids, "#id, #status, #rc",
          Map.of("#id", ID, "#status", STATUS, "#rc", REDRIVE_COUNT))) {
        AttributeValue rc = i.get(REDRIVE_COUNT);
        out.put(i.get(ID).s(), new RedriveState(i.get(ID).s(), QuarantineStatus.valueOf(i.get(STATUS).s()),
            rc == null || rc.n() == null ? 0 : Integer.parseInt(rc.n())));
      }
      return out;
    });
  }


  /**
   * The transaction part that marks the {@code redriveCount}-th redrive of an item as counted; it fails its condition
   * (and so cancels the transaction) if that redrive, or a later one, was counted already or the item is gone.
   */
  public TransactWriteItem countOnce(String id, int redriveCount) {
    return TransactWriteItem.builder().update(u -> u.tableName(table.name())
        .key(StoredItems.key(id))
        .updateExpression("SET #oc = :rc")
        .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#oc) OR #oc < :rc)")
        .expressionAttributeNames(Map.of("#id", ID, "#oc", OUTCOME_COUNTED))
        .expressionAttributeValues(Map.of(":rc", n(redriveCount))))
        .build();
  }
}

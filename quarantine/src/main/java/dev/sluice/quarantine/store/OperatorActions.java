package dev.sluice.quarantine.store;

import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ATTEMPTS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.NEXT_ATTEMPT_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.OPEN_LANE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.EDITED_DATA;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.EDITED_SEAL;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ERROR_CLASS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.ERROR_MESSAGE;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.HISTORY;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.REASON;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.REDRIVE_COUNT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.STATUS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.UPDATED_AT;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.VIOLATIONS;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.n;
import static dev.sluice.quarantine.store.DynamoQuarantineCodec.s;

import dev.sluice.schemas.Violation;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an operator does to items (through the console): discard, redrive, and the end of a redrive the console
 * carried out itself (an ingress reject appended, or a redrive that could not be sent). Each is one conditional
 * write from the status it expects: two operators, or an operator and a consumer, never both win a transition.
 */
public final class OperatorActions {
  private final WorkerTable table;

  OperatorActions(WorkerTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /**
   * An operator gives up on an event: QUARANTINED, RETRYING or PARKED -> DISCARDED, a conditional write. A discarded
   * head no longer holds its key back; a retry or release that comes later finds it settled and does nothing.
   */
  public Future<QuarantineItem> discard(String id, String reason, String actor) {
    return StoredItems.settleOpen(table, id, QuarantineStatus.DISCARDED,
        new AuditEntry(table.clock().instant(), "DISCARDED", actor, reason == null ? "" : reason));
  }

  /**
   * QUARANTINED -> REDRIVEN. The operator's fixed data, if any, is stored with the item so that the consumer that
   * picks up the redrive reads exactly what was validated. Data given this way seals nothing: for an event whose
   * schema marks values sensitive, the console stores a {@link RedriveEdit} with those values sealed instead.
   */
  public Future<QuarantineItem> requestRedrive(String id, Optional<String> editedData, String actor) {
    return redrive(id, editedData.map(d -> new RedriveEdit(d, Optional.empty())), actor);
  }

  /**
   * QUARANTINED -> REDRIVEN with an edit, or as it is (empty). An edit replaces any earlier one whole, its seal
   * header included: an edit that seals nothing removes the earlier edit's header, so that data and header always
   * belong together.
   */
  public Future<QuarantineItem> requestRedrive(String id, RedriveEdit edit, String actor) {
    return redrive(id, Optional.of(edit), actor);
  }

  private Future<QuarantineItem> redrive(String id, Optional<RedriveEdit> edit, String actor) {
    Map<String, AttributeValue> values = new HashMap<>();
    StringBuilder set = new StringBuilder("#redriveCount = if_not_exists(#redriveCount, :zero) + :one");
    values.put(":zero", n(0));
    values.put(":one", n(1));
    Map<String, String> names = new HashMap<>(Map.of("#redriveCount", REDRIVE_COUNT));
    List<String> remove = new ArrayList<>();
    edit.ifPresent(e -> {
      set.append(", #edited = :edited");
      names.put("#edited", EDITED_DATA);
      values.put(":edited", s(e.data()));
      names.put("#editedSeal", EDITED_SEAL);
      if (e.seal().isPresent()) {
        set.append(", #editedSeal = :editedSeal");
        values.put(":editedSeal", s(e.seal().get()));
      } else {
        remove.add("#editedSeal");
      }
    });
    String detail = edit.isPresent() ? "redrive with edited data" : "redrive as is";
    return transition(id, QuarantineStatus.QUARANTINED, QuarantineStatus.REDRIVEN, set.toString(), remove, names,
        values,
        new AuditEntry(table.clock().instant(), edit.isPresent() ? "REDRIVE_EDITED" : "REDRIVE", actor, detail));
  }

  /** REDRIVEN -> QUARANTINED when the redrive could not be handed to the queue: the operator may try again. */
  public Future<QuarantineItem> cancelRedrive(String id, String detail) {
    return transition(id, QuarantineStatus.REDRIVEN, QuarantineStatus.QUARANTINED, null, List.of(), Map.of(),
        Map.of(), new AuditEntry(table.clock().instant(), "REDRIVE_NOT_SENT", "sluice", detail));
  }

  /** REDRIVEN -> RESOLVED: the handler took the redriven event. */
  public Future<QuarantineItem> resolve(String id, String actor) {
    return resolve(id, actor, "the handler accepted the redriven event");
  }

  /**
   * REDRIVEN -> RESOLVED with the audit detail saying how, e.g. where a redriven ingress reject was appended
   * ({@code appended to retail-1@42}).
   */
  public Future<QuarantineItem> resolve(String id, String actor, String detail) {
    return transition(id, QuarantineStatus.REDRIVEN, QuarantineStatus.RESOLVED, null, List.of(), Map.of(), Map.of(),
        new AuditEntry(table.clock().instant(), "RESOLVED", actor, detail));
  }

  /** REDRIVEN -> QUARANTINED: the redriven event failed again; the new failure replaces the old one. */
  public Future<QuarantineItem> requarantine(
      String id, QuarantineReason reason, String errorClass, String errorMessage, List<Violation> violations,
      int attemptsUsed, String actor) {
    Map<String, String> names = Map.of(
        "#reason", REASON, "#errorClass", ERROR_CLASS, "#errorMessage", ERROR_MESSAGE,
        "#violations", VIOLATIONS, "#attempts", ATTEMPTS);
    Map<String, AttributeValue> values = Map.of(
        ":reason", s(reason.name()),
        ":errorClass", s(errorClass == null ? "" : errorClass),
        ":errorMessage", s(errorMessage == null ? "" : errorMessage),
        ":violations", AttributeValue.fromL(violations.stream().map(DynamoQuarantineCodec::violation).toList()),
        ":attemptsUsed", n(attemptsUsed));
    return transition(id, QuarantineStatus.REDRIVEN, QuarantineStatus.QUARANTINED,
        "#reason = :reason, #errorClass = :errorClass, #errorMessage = :errorMessage, #violations = :violations, "
            + "#attempts = #attempts + :attemptsUsed",
        List.of(), names, values,
        new AuditEntry(table.clock().instant(), "REDRIVE_FAILED", actor, reason + ": " + errorMessage));
  }

  private Future<QuarantineItem> transition(
      String id, QuarantineStatus from, QuarantineStatus to, String extraSet, List<String> extraRemove,
      Map<String, String> extraNames, Map<String, AttributeValue> extraValues, AuditEntry audit) {
    Instant now = table.clock().instant();
    Map<String, String> names = new HashMap<>(extraNames);
    names.put("#status", STATUS);
    names.put("#updatedAt", UPDATED_AT);
    names.put("#history", HISTORY);
    Map<String, AttributeValue> values = new HashMap<>(extraValues);
    values.put(":from", s(from.name()));
    values.put(":to", s(to.name()));
    values.put(":now", n(now.toEpochMilli()));
    values.put(":audit", AttributeValue.fromL(List.of(DynamoQuarantineCodec.audit(audit))));
    values.put(":empty", AttributeValue.fromL(List.of()));
    String update = "SET #status = :to, #updatedAt = :now, "
        + "#history = list_append(if_not_exists(#history, :empty), :audit)"
        + (extraSet == null ? "" : ", " + extraSet);
    List<String> remove = new ArrayList<>(extraRemove);
    if (!to.isOpen()) {
      // A settled item leaves the sparse index of open items: no consumer guards a key behind it any more.
      names.put("#openLane", OPEN_LANE);
      names.put("#nextAttemptAt", NEXT_ATTEMPT_AT);
      remove.add("#openLane");
      remove.add("#nextAttemptAt");
    }
    if (!remove.isEmpty()) {
      update += " REMOVE " + String.join(", ", remove);
    }
    return StoredItems.update(table, id, from, update, "#status = :from", names, values);
  }
}

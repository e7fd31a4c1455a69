package dev.sluice.gateway.http;

import dev.sluice.gateway.problem.Problems;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * What became of one event of a batch. {@code id} is the event's id when it could be read, else null.
 */
public sealed interface BatchItemResult {
  int index();

  String id();

  /** This event's entry in the batch answer: index, id, status, and offsets, violations or a reason as fits. */
  default JsonObject toJson() {
    return new JsonObject().put("index", index()).put("id", id());
  }

  /** Appended and acknowledged by the broker (acks=all). */
  record Accepted(int index, String id, Appended appended) implements BatchItemResult {
    public Accepted {
      Objects.requireNonNull(appended, "appended");
    }

    public JsonObject toJson() {
      return BatchItemResult.super.toJson().put("status", "accepted").put("partition", appended.partition())
          .put("offset", appended.offset());
    }
  }

  /** Refused for what it is; {@code rejection} says why. */
  record Rejected(int index, String id, Rejection rejection) implements BatchItemResult {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
    }

    /** Every rejected event names at least one violation; without a finer pointer it is the whole event. */
    public JsonObject toJson() {
      List<Violation> violations = rejection.violations().isEmpty()
          ? List.of(new Violation("", rejection.problem().slug(), rejection.detail()))
          : rejection.violations();
      JsonArray shown = Problems.violations(violations);
      return BatchItemResult.super.toJson().put("status", "rejected").put("problem", rejection.problem().uri())
          .put("detail", rejection.detail()).put("violations", shown);
    }
  }

  /** Valid, but not appended because another event of its all-or-nothing batch was rejected. */
  record Aborted(int index, String id) implements BatchItemResult {
    public JsonObject toJson() {
      return BatchItemResult.super.toJson().put("status", "aborted")
          .put("detail", "valid, but not appended: other events of this all-or-nothing batch were rejected");
    }
  }

  /**
   * Valid, but not stored for a reason a retry may overcome: the broker did not acknowledge it in time (it may or may
   * not be stored), or the key for its sensitive values was unavailable (it was not appended).
   *
   * @param keyUnavailable whether it failed for its key rather than for Kafka
   */
  record Failed(int index, String id, boolean keyUnavailable) implements BatchItemResult {
    public Failed(int index, String id) {
      this(index, id, false);
    }

    public JsonObject toJson() {
      return BatchItemResult.super.toJson().put("status", "failed").put("detail", keyUnavailable
          ? "the key that protects this event's sensitive values was unavailable; it was not appended, resend it"
          : "Kafka did not acknowledge this event in time; it may not be stored, resend it");
    }
  }
}

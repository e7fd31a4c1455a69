package dev.sluice.console.problem;

import static dev.sluice.console.problem.ConsoleProblem.BAD_FIELD;
import static dev.sluice.console.problem.ConsoleProblem.BEFORE_RETENTION;
import static dev.sluice.console.problem.ConsoleProblem.BAD_PARAMETER;
import static dev.sluice.console.problem.ConsoleProblem.BODY_TOO_LARGE;
import static dev.sluice.console.problem.ConsoleProblem.CSRF_TOKEN_INVALID;
import static dev.sluice.console.problem.ConsoleProblem.DISCARD_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.ENGINE_UNAVAILABLE;
import static dev.sluice.console.problem.ConsoleProblem.FORBIDDEN;
import static dev.sluice.console.problem.ConsoleProblem.GROUP_NOT_NEW;
import static dev.sluice.console.problem.ConsoleProblem.GROUP_NOT_RUNNING;
import static dev.sluice.console.problem.ConsoleProblem.OFFSET_OUT_OF_RANGE;
import static dev.sluice.console.problem.ConsoleProblem.PAYLOAD_GONE;
import static dev.sluice.console.problem.ConsoleProblem.PAYLOAD_MISMATCH;
import static dev.sluice.console.problem.ConsoleProblem.PAYLOAD_NOT_STORED;
import static dev.sluice.console.problem.ConsoleProblem.UNKNOWN_PARTITION;
import static dev.sluice.console.problem.ConsoleProblem.INVALID_DATA;
import static dev.sluice.console.problem.ConsoleProblem.ITEM_NOT_FOUND;
import static dev.sluice.console.problem.ConsoleProblem.JOB_NOT_FOUND;
import static dev.sluice.console.problem.ConsoleProblem.JOB_STATE_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.MALFORMED_BODY;
import static dev.sluice.console.problem.ConsoleProblem.METHOD_NOT_ALLOWED;
import static dev.sluice.console.problem.ConsoleProblem.NO_EVENT_TYPE;
import static dev.sluice.console.problem.ConsoleProblem.NOT_FOUND;
import static dev.sluice.console.problem.ConsoleProblem.REDRIVE_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.REPLAY_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.REPLAY_NOT_FOUND;
import static dev.sluice.console.problem.ConsoleProblem.REPLAY_STATE_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.REQUEUE_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.SIGN_IN_THROTTLED;
import static dev.sluice.console.problem.ConsoleProblem.STORM_NOT_FOUND;
import static dev.sluice.console.problem.ConsoleProblem.STORM_STATE_CONFLICT;
import static dev.sluice.console.problem.ConsoleProblem.STREAM_NOT_FOUND;
import static dev.sluice.console.problem.ConsoleProblem.UNAUTHENTICATED;
import static dev.sluice.console.problem.ConsoleProblem.UNKNOWN_TYPE;

import dev.sluice.ingest.IngestProblem;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.store.PayloadInKafka;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why the console refuses a request, kept as a value. Each error knows the problem it is answered with: its
 * {@link dev.sluice.ingest.problem.ProblemType}, a detail for the operator and any extra members; {@link Problems} alone renders problems as
 * problem+json. Handlers and the redrive flow produce these, in a failed Future as a {@link ConsoleFailure}.
 */
public interface ConsoleError {

  /** The problem this error is answered with. */
  Problem problem();

  /** A query parameter or header has a value the console cannot use. */
  record BadParameter(String name, String reason) implements ConsoleError {
    @Override
    public Problem problem() {
      return BAD_PARAMETER.problem("parameter '" + name + "': " + reason, new JsonObject().put("parameter", name));
    }
  }

  /**
   * A member of a JSON body has a value the console cannot use; {@code pointer} is its JSON pointer in the body (e.g.
   * {@code /filter/status}).
   */
  record BadField(String pointer, String reason) implements ConsoleError {
    @Override
    public Problem problem() {
      return BAD_FIELD.problem("'" + pointer + "': " + reason, new JsonObject().put("pointer", pointer));
    }
  }

  /** The request body is not what the endpoint takes (not JSON, wrong shape). */
  record BadBody(String reason) implements ConsoleError {
    @Override
    public Problem problem() {
      return MALFORMED_BODY.problem(reason);
    }
  }

  /** The request carries no valid credentials (no session cookie, an unknown bearer token). Answered 401. */
  record Unauthenticated(String detail) implements ConsoleError {
    public Unauthenticated {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Problem problem() {
      return UNAUTHENTICATED.problem(detail);
    }
  }

  /** The principal's role may not do this (a viewer's redrive). Answered 403. */
  record Forbidden(String principal, String role, String action) implements ConsoleError {
    @Override
    public Problem problem() {
      return FORBIDDEN.problem(principal + " is a " + role + ", who may not " + action,
          new JsonObject().put("role", role));
    }
  }

  /** A state-changing request on a cookie session without the session's CSRF token (or a cross-site login). */
  record CsrfRejected(String detail) implements ConsoleError {
    public CsrfRejected {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Problem problem() {
      return CSRF_TOKEN_INVALID.problem(detail);
    }
  }

  /** No quarantine item has this id. */
  record ItemNotFound(String id) implements ConsoleError {
    @Override
    public Problem problem() {
      return ITEM_NOT_FOUND.problem("no quarantine item has id " + id);
    }
  }

  /** No bulk redrive job has this id. */
  record JobNotFound(String id) implements ConsoleError {
    @Override
    public Problem problem() {
      return JOB_NOT_FOUND.problem("no redrive job has id " + id);
    }
  }

  /**
   * A replay request refused, decided before anything changed. One kind of error with the problem types of
   * {@link ConsoleProblem} that replays answer with, each made by the factory that names the case.
   */
  record ReplayRefused(ConsoleProblem type, String detail, JsonObject members) implements ConsoleError {
    public ReplayRefused {
      List.of(type, detail, members);
    }

    /** No stream has this name, or its topic is not in Kafka ({@code why} says which): 404. */
    public static ReplayRefused streamNotFound(String stream, String why) {
      return new ReplayRefused(STREAM_NOT_FOUND, "stream " + stream + ": " + why,
          new JsonObject().put("stream", stream));
    }

    /** No replay has this id: 404. */
    public static ReplayRefused notFound(String id) {
      return new ReplayRefused(REPLAY_NOT_FOUND, "no replay has id " + id, new JsonObject());
    }

    /**
     * A cold start is for a new group, and this one is in use ({@code why}: live members, committed offsets): 409.
     * A group with live members is rewound instead.
     */
    public static ReplayRefused groupNotNew(String group, String why) {
      return new ReplayRefused(GROUP_NOT_NEW, "group " + group + " " + why + "; a cold start replays history to a "
          + "new group (a running group is rewound: \"rewind\": true)", new JsonObject().put("group", group));
    }

    /**
     * A rewind is for a running group (its live instances move their partitions back), and this one has no live
     * member: 409. A group that is not running is started from history by a cold start.
     */
    public static ReplayRefused groupNotRunning(String group) {
      return new ReplayRefused(GROUP_NOT_RUNNING, "group " + group + " has no live members: a rewind moves a running "
          + "group back through its live instances; a group that is not running (no members, no committed offsets) "
          + "is started from history by a cold start (leave out \"rewind\")", new JsonObject().put("group", group));
    }

    /** A rewind's start offset names a partition the stream's topic does not have: 422 at its pointer. */
    public static ReplayRefused unknownPartition(String pointer, String topic, int partition) {
      return new ReplayRefused(UNKNOWN_PARTITION, "topic " + topic + " has no partition " + partition,
          new JsonObject().put("pointer", pointer).put("partition", partition));
    }

    /**
     * A rewind's start offset is below the first event the partition still holds or past its end (the offset its
     * next event will get): 422 at its pointer, with the range the partition holds.
     */
    public static ReplayRefused offsetOutOfRange(String pointer, int partition, long offset, long logStart,
        long logEnd) {
      return new ReplayRefused(OFFSET_OUT_OF_RANGE, "partition " + partition + " holds offsets " + logStart + " to "
          + logEnd + " (its end); " + offset + " is outside them", new JsonObject().put("pointer", pointer)
          .put("partition", partition).put("logStart", logStart).put("logEnd", logEnd));
    }

    /** The group has an active replay already, and a group has at most one at a time: 409. */
    public static ReplayRefused groupBusy(String group, String activeReplayId) {
      return new ReplayRefused(REPLAY_CONFLICT, "group " + group + " has an active replay already: "
          + activeReplayId + "; cancel it first", new JsonObject().put("group", group)
          .put("activeReplay", activeReplayId));
    }

    /** The replay's state does not allow this control (e.g. cancelling a DONE replay): 409. */
    public static ReplayRefused stateConflict(String id, String state, String action) {
      return new ReplayRefused(REPLAY_STATE_CONFLICT, "replay " + id + " is " + state + " and cannot " + action,
          new JsonObject().put("currentState", state));
    }

    /**
     * Asked to start before the earliest event the stream still holds, where events may have been deleted and would
     * be missed without a word: 422.
     */
    public static ReplayRefused beforeRetention(String stream, Instant from, Instant earliestAvailable) {
      return new ReplayRefused(BEFORE_RETENTION, "the earliest event stream " + stream + " still holds is from "
          + earliestAvailable + "; a replay from " + from + " would start before it, where events may have been "
          + "deleted: start from " + earliestAvailable + " or later, or from earliest",
          new JsonObject().put("earliestAvailable", earliestAvailable.toString()));
    }

    @Override
    public Problem problem() {
      return type.problem(detail, members);
    }
  }

  /** No storm of this group has this id: 404. */
  record StormNotFound(String group, String id) implements ConsoleError {
    @Override
    public Problem problem() {
      return STORM_NOT_FOUND.problem("group " + group + " has no storm " + id,
          new JsonObject().put("group", group).put("id", id));
    }
  }

  /**
   * The storm's state does not allow this action (say, quarantining everything of a storm already resumed), or it
   * changed since it was read: 409, with the state it is in.
   */
  record StormStateConflict(String id, String state, String action) implements ConsoleError {
    @Override
    public Problem problem() {
      return STORM_STATE_CONFLICT.problem("storm " + id + " is " + state + " and cannot " + action,
          new JsonObject().put("currentState", state));
    }
  }

  /** No stream of the catalog has this name: 404. */
  record UnknownStream(String stream) implements ConsoleError {
    @Override
    public Problem problem() {
      return STREAM_NOT_FOUND.problem("there is no stream named " + stream, new JsonObject().put("stream", stream));
    }
  }

  /** No route serves this path. */
  record RouteNotFound(String path) implements ConsoleError {
    @Override
    public Problem problem() {
      return NOT_FOUND.problem("nothing is served at " + path);
    }
  }

  /** The path exists, but not for this method. */
  record MethodNotAllowed(String method, String path) implements ConsoleError {
    @Override
    public Problem problem() {
      return METHOD_NOT_ALLOWED.problem(method + " is not allowed on " + path);
    }
  }

  /** The item is not QUARANTINED (someone redrove or resolved it first). */
  record NotRedrivable(String id, QuarantineStatus actual) implements ConsoleError {
    @Override
    public Problem problem() {
      return conflict("item " + id, actual);
    }

    /** The conflict of {@code subject} ("item 42", or "the item" when the store found it) being {@code actual}. */
    static Problem conflict(String subject, QuarantineStatus actual) {
      return REDRIVE_CONFLICT.problem(
          subject + " is " + actual + "; only a " + QuarantineStatus.QUARANTINED + " item can be redriven",
          new JsonObject().put("currentStatus", actual.name()));
    }
  }

  /**
   * The item's payload was too big for the store and is kept by its Kafka record: a requeue behind, which appends
   * the head's payload from the store, cannot be made of it. Answered 409: the item's state, not the request, is
   * what is wrong; the members say where the record is.
   */
  record PayloadNotStored(QuarantineItem item) implements ConsoleError {
    public PayloadNotStored {
      if (item.payloadInKafka().isEmpty()) {
        throw new IllegalArgumentException("item " + item.id() + " has its payload in the store");
      }
    }

    @Override
    public Problem problem() {
      PayloadInKafka ref = item.payloadInKafka().get();
      return PAYLOAD_NOT_STORED.problem("item " + item.id() + ": its payload (" + ref.size() + " bytes) was too big "
          + "for the store and is kept in Kafka at " + item.topic() + "-" + item.partition() + "@" + item.offset()
          + "; a requeue behind cannot append it from the store: redrive it instead",
          new JsonObject().put("payloadInKafka", PayloadInKafkaJson.of(item).orElseThrow()));
    }
  }

  /**
   * The item's payload, kept by its Kafka record, cannot be read back: the record is gone (its topic's retention
   * deleted it; 410) or another stands at its position (409). The members say where it was looked for and what was
   * found.
   */
  record PayloadNotInKafka(QuarantineItem item, RecordPayloads.Read read) implements ConsoleError {
    public PayloadNotInKafka {
      if (item.payloadInKafka().isEmpty() || read instanceof RecordPayloads.Found) {
        throw new IllegalArgumentException("item " + item.id() + " has a payload to redrive");
      }
    }

    @Override
    public Problem problem() {
      String at = item.topic() + "-" + item.partition() + "@" + item.offset();
      JsonObject members = new JsonObject().put("payloadInKafka", PayloadInKafkaJson.of(item).orElseThrow());
      if (read instanceof RecordPayloads.Gone gone) {
        return PAYLOAD_GONE.problem("item " + item.id() + ": its payload was kept in Kafka at " + at + ", and the "
            + "topic no longer holds that record (its first offset is " + gone.earliest() + "): it cannot be "
            + "redriven, only discarded", members.put("earliestOffset", gone.earliest()));
      }
      RecordPayloads.Mismatch other = (RecordPayloads.Mismatch) read;
      return PAYLOAD_MISMATCH.problem("item " + item.id() + ": the record at " + at + " is not the one quarantined "
          + "(its size or SHA-256 differ): it cannot be redriven", members.put("found", new JsonObject()
              .put("size", other.size()).put("sha256", other.sha256())));
    }
  }

  /** The item is settled or being redriven: only QUARANTINED, RETRYING or PARKED items can be discarded. */
  record NotDiscardable(String id, QuarantineStatus actual) implements ConsoleError {
    @Override
    public Problem problem() {
      return DISCARD_CONFLICT.problem(
          "item " + id + " is " + actual + "; only a QUARANTINED, RETRYING or PARKED item can be discarded",
          new JsonObject().put("currentStatus", actual.name()));
    }
  }

  /**
   * A requeue-behind that cannot happen: the item is not a head with events parked behind it (no key, an ingress
   * reject, or nothing parked). Answered 409: the state of the lane, not the request, is what is wrong.
   */
  record NotRequeueable(String id, String why) implements ConsoleError {
    @Override
    public Problem problem() {
      return REQUEUE_CONFLICT.problem("item " + id + ": " + why);
    }
  }

  /** The job's state does not allow this control (e.g. resuming a DONE job). Answered 409. */
  record JobConflict(String id, String state, String action) implements ConsoleError {
    @Override
    public Problem problem() {
      return JOB_STATE_CONFLICT.problem("job " + id + " is " + state + " and cannot " + action,
          new JsonObject().put("currentState", state));
    }
  }

  /** The body is over the console's limit. */
  record BodyTooLarge(long limitBytes) implements ConsoleError {
    @Override
    public Problem problem() {
      return BODY_TOO_LARGE.problem("the body exceeds " + limitBytes + " bytes");
    }
  }

  /** The redriven event is larger than Kafka accepts; the item is QUARANTINED again. */
  record RecordTooLarge(String detail) implements ConsoleError {
    public RecordTooLarge {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Problem problem() {
      return Problem.of(IngestProblem.RECORD_TOO_LARGE, detail, new JsonObject());
    }
  }

  /** The replacement data breaks the type's schema. Pointers are rooted at the event ({@code /data/...}). */
  record InvalidData(List<Violation> violations) implements ConsoleError {
    public InvalidData {
      violations = List.copyOf(violations);
    }

    @Override
    public Problem problem() {
      return INVALID_DATA.problem(violations.size() + " schema violation(s) in the replacement data",
          new JsonObject().put("violations", ViolationJson.of(violations)));
    }
  }

  /** The item is not a CloudEvent (no type), so there is no schema to check replacement data against. */
  record NoEventType(String id) implements ConsoleError {
    @Override
    public Problem problem() {
      return NO_EVENT_TYPE.problem(
          "item " + id + " has no event type, so replacement data cannot be validated; redrive it without data");
    }
  }

  /** The item's type has no schema in this console's registry. */
  record UnknownEventType(String type) implements ConsoleError {
    @Override
    public Problem problem() {
      return UNKNOWN_TYPE.problem(
          "no schema is registered for type " + type + ", so replacement data cannot be validated");
    }
  }

  /**
   * Too many sign-in attempts for the user name or the client's address: refused without checking the password,
   * until {@code retryAfterSeconds} have passed. Answered 429 with {@code Retry-After}.
   */
  record SignInThrottled(long retryAfterSeconds) implements ConsoleError {
    @Override
    public Problem problem() {
      return SIGN_IN_THROTTLED.problem("too many sign-in attempts for this user name or from this address; try "
          + "again in " + retryAfterSeconds + " s",
          new JsonObject().put(Problems.RETRY_AFTER_MEMBER, retryAfterSeconds));
    }
  }

  /** A backing engine did not answer; the request may be retried. */
  record Unavailable(String detail) implements ConsoleError {
    public Unavailable {
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Problem problem() {
      return ENGINE_UNAVAILABLE.problem(detail);
    }
  }
}

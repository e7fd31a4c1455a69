package dev.sluice.console.jobs;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Bulk redrive jobs on DynamoDB: one item per job, hash key {@code id}. Every state change is a write conditional on
 * the job's {@code version} (and its current state), so two operators (or an operator and the job halting itself)
 * never both win. Progress counters are added atomically ({@code ADD}) without touching the version: the runner's
 * progress never makes an operator's pause fail.
 *
 * <p>Jobs are few (created by hand), so listing reads the table with a bounded scan rather than keeping an index.
 * Every SDK call runs on a worker and completes on the caller's context.
 */
public final class JobStore {
  static final String ID = "id";
  static final String OWNER = "leaseOwner";
  static final String SELECTION = "selection";
  static final String LEASE_UNTIL = "leaseUntil";
  /** Scan pages one listing may read. */
  static final int LIST_PAGE_BUDGET = 10;

  private final WorkerTable table;

  public JobStore(Vertx vertx, DynamoDbClient dynamo, String table, Clock clock) {
    this.table = new WorkerTable(vertx, dynamo, table, clock);
  }

  /** The state change lost to another writer: the job as it is now. */
  public static final class StateConflict extends RuntimeException {
    private final transient RedriveJob current;

    public StateConflict(RedriveJob current) {
      super("job " + current.id() + " is " + current.state() + " (version " + current.version() + ")", null, false,
          false);
      this.current = current;
    }

    public RedriveJob current() {
      return current;
    }
  }

  /** No job has this id. */
  public static final class NoSuchJob extends RuntimeException {
    public NoSuchJob(String id) {
      super("no job " + id, null, false, false);
    }
  }

  /** Creates the table if it does not exist and waits until it is active. Blocking. True if it created it. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    return TableKeys.hash(ID).createIfAbsent(dynamo, table) != Tables.Creation.EXISTED;
  }

  /** Writes a new job, only if its id is new. */
  public Future<RedriveJob> create(RedriveJob job) {
    return table.blocking(() -> {
      table.dynamo().putItem(b -> b.tableName(table.name()).item(toAttributes(job))
          .conditionExpression("attribute_not_exists(#id)")
          .expressionAttributeNames(Map.of("#id", ID)));
      return job;
    });
  }

  public Future<Optional<RedriveJob>> get(String id) {
    return table.blocking(() -> table.getNow(key(id)).map(JobStore::fromAttributes));
  }

  /** Up to {@code limit} jobs, newest first. */
  public Future<List<RedriveJob>> list(int limit) {
    return table.blocking(() -> {
      List<RedriveJob> all = new ArrayList<>(table.scan(LIST_PAGE_BUDGET).stream().map(JobStore::fromAttributes)
          .toList());
      all.sort(Comparator.comparing(RedriveJob::createdAt).reversed().thenComparing(RedriveJob::id));
      return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    });
  }

  /**
   * {@code from} -> {@code to}, only if the job is still at {@code from} and {@code expectedVersion}; fails with
   * {@link StateConflict} (carrying the job as it is) otherwise, or {@link NoSuchJob}.
   */
  public Future<RedriveJob> changeState(String id, JobState from, JobState to, long expectedVersion,
      Optional<String> detail) {
    if (!from.canBecome(to)) {
      throw new IllegalArgumentException(from + " cannot become " + to);
    }
    Map<String, String> names = new HashMap<>(Map.of("#state", "state", "#version", "version",
        "#updatedAt", "updatedAt"));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", s(from.name()), ":to", s(to.name()),
        ":v", n(expectedVersion), ":one", n(1), ":now", n(table.clock().millis())));
    String update = "SET #state = :to, #version = #version + :one, #updatedAt = :now";
    if (detail.isPresent()) {
      names.put("#detail", "detail");
      values.put(":detail", s(detail.get()));
      update += ", #detail = :detail";
    }
    String expression = update;
    return table.blocking(() -> fromAttributes(table.updateOrThrow(key(id), b -> b
            .updateExpression(expression)
            .conditionExpression("#state = :from AND #version = :v")
            .expressionAttributeNames(names)
            .expressionAttributeValues(values),
        current -> current.map(JobStore::fromAttributes).<RuntimeException>map(StateConflict::new)
            .orElseGet(() -> new NoSuchJob(id)))));
  }

  /**
   * Adds to the job's counters (and records how far splitting got), atomically; returns the job as it is after. Not a
   * state change: the version stays.
   */
  public Future<RedriveJob> progress(String id, JobCounts delta, Optional<String> splitCursor, boolean splitDone) {
    CountsUpdate u = countsUpdate(delta);
    splitCursor.ifPresent(c -> {
      u.names.put("#cursor", "splitCursor");
      u.values.put(":cursor", s(c));
      u.set.append(", #cursor = :cursor");
    });
    if (splitDone) {
      u.names.put("#splitDone", "splitDone");
      u.values.put(":true", AttributeValue.fromBool(true));
      u.set.append(", #splitDone = :true");
    }
    Map<String, String> names = u.names;
    Map<String, AttributeValue> values = u.values;
    String update = u.expression();
    return table.blocking(() -> table.updateIf(key(id), b -> b
            .updateExpression(update)
            .conditionExpression("attribute_exists(#id)")
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .returnValues(ReturnValue.ALL_NEW))
        .map(JobStore::fromAttributes)
        .orElseThrow(() -> new NoSuchJob(id)));
  }

  /**
   * Takes the job's lease for {@code owner} until {@code until}, or renews it: only if nobody holds it, its holder
   * let it lapse, or {@code owner} holds it already. Answers the job as it is after (so the holder learns state
   * changes made elsewhere), or empty when another instance holds it or the job is gone. Not a state change: neither
   * the version nor {@code updatedAt} moves, so a renewal never makes an operator's action fail.
   */
  public Future<Optional<RedriveJob>> lease(String id, String owner, Instant until) {
    long now = table.clock().millis();
    // Empty when the condition fails: another instance holds the lease, or the job is gone.
    return table.blocking(() -> table.updateIf(key(id), b -> b
            .updateExpression("SET #owner = :owner, #until = :until")
            .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#owner) OR #owner = :owner "
                + "OR #until < :now)")
            .expressionAttributeNames(Map.of("#id", ID, "#owner", OWNER, "#until", LEASE_UNTIL))
            .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()),
                ":now", n(now)))
            .returnValues(ReturnValue.ALL_NEW))
        .map(JobStore::fromAttributes));
  }

  /** Gives the lease up (a console stopping), only if {@code owner} still holds it: another may take it at once. */
  public Future<Void> release(String id, String owner) {
    return table.blocking(() -> {
      // Nothing is written when taken over already: nothing of ours to give up.
      table.updateIf(key(id), b -> b
          .updateExpression("REMOVE #owner, #until")
          .conditionExpression("#owner = :owner")
          .expressionAttributeNames(Map.of("#owner", OWNER, "#until", LEASE_UNTIL))
          .expressionAttributeValues(Map.of(":owner", s(owner))));
      return null;
    });
  }

  /** An outcome to count once: whether it succeeded (else it failed again), and the item's count-once marker. */
  public record CountedOutcome(String itemId, boolean succeeded, TransactWriteItem once) {}

  /** Job update plus markers: DynamoDB's limit is 100 actions per transaction. */
  static final int OUTCOMES_PER_TRANSACTION = 99;
  private static final int OUTCOME_ROUNDS = 5;

  /**
   * Adds outcomes to the job's counts exactly once: each transaction writes the job's counters together with the
   * items' count-once markers, so counting and marking happen together or not at all. Outcomes whose marker refuses
   * (counted before, e.g. by a console that died before it could forget them) are dropped and the rest tried again;
   * a transaction lost to a concurrent write is tried again after a short pause. Answers the counts added.
   */
  public Future<JobCounts> countOutcomes(String id, List<CountedOutcome> outcomes) {
    List<CountedOutcome> all = List.copyOf(outcomes);
    return table.blocking(() -> {
      long succeeded = 0;
      long failedAgain = 0;
      for (int from = 0; from < all.size(); from += OUTCOMES_PER_TRANSACTION) {
        List<CountedOutcome> left = new ArrayList<>(all.subList(from,
            Math.min(all.size(), from + OUTCOMES_PER_TRANSACTION)));
        for (int round = 0; !left.isEmpty(); round++) {
          if (round == OUTCOME_ROUNDS) {
            throw new IllegalStateException("could not count " + left.size() + " outcome(s) of job " + id);
          }
          if (round > 0) {
            // Runs on a worker: a short pause before trying a contended transaction again.
            Thread.sleep(20L << round);
          }
          long s = left.stream().filter(CountedOutcome::succeeded).count();
          long f = left.size() - s;
          List<TransactWriteItem> actions = new ArrayList<>(left.size() + 1);
          actions.add(addCounts(id, new JobCounts(0, 0, s, f, 0)));
          left.forEach(o -> actions.add(o.once()));
          try {
            table.dynamo().transactWriteItems(b -> b.transactItems(actions));
            succeeded += s;
            failedAgain += f;
            left.clear();
          } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.hasCancellationReasons()
                ? cancelled.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && CONDITION_FAILED.equals(reasons.get(0).code())) {
              throw new NoSuchJob(id);
            }
            List<CountedOutcome> next = new ArrayList<>();
            for (int i = 0; i < left.size(); i++) {
              String code = i + 1 < reasons.size() ? reasons.get(i + 1).code() : null;
              if (!CONDITION_FAILED.equals(code)) {
                next.add(left.get(i));
              }
            }
            left = next;
          }
        }
      }
      return new JobCounts(0, 0, succeeded, failedAgain, 0);
    });
  }

  private static final String CONDITION_FAILED = "ConditionalCheckFailed";

  /** The transaction part that adds {@code delta} to a job's counters; its condition fails if the job is gone. */
  TransactWriteItem addCounts(String id, JobCounts delta) {
    CountsUpdate u = countsUpdate(delta);
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name()).key(key(id))
            .updateExpression(u.expression())
            .conditionExpression("attribute_exists(#id)")
            .expressionAttributeNames(u.names)
            .expressionAttributeValues(u.values)
            .build())
        .build();
  }

  /** The update expression that stamps {@code updatedAt} and adds {@code delta} to the counters; callers may SET more. */
  private static final class CountsUpdate {
    final Map<String, String> names = new HashMap<>(Map.of("#id", ID, "#updatedAt", "updatedAt"));
    final Map<String, AttributeValue> values = new HashMap<>();
    final StringBuilder set = new StringBuilder("SET #updatedAt = :now");
    final List<String> adds = new ArrayList<>();

    String expression() {
      return set + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds));
    }
  }

  private CountsUpdate countsUpdate(JobCounts delta) {
    CountsUpdate u = new CountsUpdate();
    u.values.put(":now", n(table.clock().millis()));
    addCounter(u.adds, u.names, u.values, "total", delta.total());
    addCounter(u.adds, u.names, u.values, "sent", delta.sent());
    addCounter(u.adds, u.names, u.values, "succeeded", delta.succeeded());
    addCounter(u.adds, u.names, u.values, "failedAgain", delta.failedAgain());
    addCounter(u.adds, u.names, u.values, "skipped", delta.skipped());
    return u;
  }


  private static void addCounter(List<String> adds, Map<String, String> names, Map<String, AttributeValue> values,
      String name, long delta) {
    if (delta != 0) {
      names.put("#" + name, name);
      values.put(":" + name, n(delta));
      adds.add("#" + name + " :" + name);
    }
  }

  static Map<String, AttributeValue> toAttributes(RedriveJob j) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put(ID, s(j.id()));
    m.put("state", s(j.state().name()));
    m.put("filter", s(j.filter().encode()));
    m.put("ratePerSecond", n(j.ratePerSecond()));
    m.put("dryRun", AttributeValue.fromBool(j.dryRun()));
    m.put("createdBy", s(j.createdBy()));
    m.put("createdAt", n(j.createdAt().toEpochMilli()));
    m.put("updatedAt", n(j.updatedAt().toEpochMilli()));
    m.put("total", n(j.counts().total()));
    m.put("sent", n(j.counts().sent()));
    m.put("succeeded", n(j.counts().succeeded()));
    m.put("failedAgain", n(j.counts().failedAgain()));
    m.put("skipped", n(j.counts().skipped()));
    m.put("maxItems", n(j.maxItems()));
    j.splitCursor().ifPresent(c -> m.put("splitCursor", s(c)));
    m.put("splitDone", AttributeValue.fromBool(j.splitDone()));
    m.put("version", n(j.version()));
    j.detail().ifPresent(d -> m.put("detail", s(d)));
    if (!j.selection().isEmpty()) {
      m.put(SELECTION, AttributeValue.fromL(j.selection().stream().map(JobStore::s).toList()));
    }
    j.lease().ifPresent(l -> {
      m.put(OWNER, s(l.owner()));
      m.put(LEASE_UNTIL, n(l.until().toEpochMilli()));
    });
    return m;
  }

  static RedriveJob fromAttributes(Map<String, AttributeValue> m) {
    return new RedriveJob(m.get(ID).s(), JobState.valueOf(m.get("state").s()),
        new JsonObject(m.get("filter").s()), (int) num(m, "ratePerSecond"), bool(m, "dryRun"), m.get("createdBy").s(),
        Instant.ofEpochMilli(num(m, "createdAt")), Instant.ofEpochMilli(num(m, "updatedAt")),
        new JobCounts(num(m, "total"), num(m, "sent"), num(m, "succeeded"), num(m, "failedAgain"),
            num(m, "skipped")),
        num(m, "maxItems"), Optional.ofNullable(m.get("splitCursor")).map(AttributeValue::s), bool(m, "splitDone"),
        num(m, "version"), Optional.ofNullable(m.get("detail")).map(AttributeValue::s),
        Optional.ofNullable(m.get(OWNER)).map(o -> new RedriveJob.Lease(o.s(),
            Instant.ofEpochMilli(num(m, LEASE_UNTIL)))),
        Optional.ofNullable(m.get(SELECTION)).map(v -> v.l().stream().map(AttributeValue::s).toList())
            .orElse(List.of()));
  }

  private static long num(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  private static boolean bool(Map<String, AttributeValue> m, String name) {
    AttributeValue v = m.get(name);
    return v != null && Boolean.TRUE.equals(v.bool());
  }

  private static Map<String, AttributeValue> key(String id) {
    return Map.of(ID, s(id));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }
}

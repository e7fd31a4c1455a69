package dev.sluice.quarantine.replay;

import static dev.sluice.quarantine.replay.ReplayCodec.ID;
import static dev.sluice.quarantine.replay.ReplayCodec.PROGRESS;
import static dev.sluice.quarantine.replay.ReplayCodec.REPLAY_ID;
import static dev.sluice.quarantine.replay.ReplayCodec.REWIND;
import static dev.sluice.quarantine.replay.ReplayCodec.REWOUND_AT;
import static dev.sluice.quarantine.replay.ReplayCodec.STATE;
import static dev.sluice.quarantine.replay.ReplayCodec.UNFINISHED_AT;
import static dev.sluice.quarantine.replay.ReplayCodec.UPDATED_AT;
import static dev.sluice.quarantine.replay.ReplayCodec.VERSION;
import static dev.sluice.quarantine.replay.ReplayCodec.n;
import static dev.sluice.quarantine.replay.ReplayCodec.s;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Replays on DynamoDB ({@code sluice.replays.table}, hash key {@code id}), shared by the console, which starts and
 * cancels them, and by the wrapped consumers of each group, which flag replayed events, record how far they got and
 * finish the replay.
 *
 * <p>At most one active replay per group: a replay is written in one transaction with its group's lock item
 * ({@code active#<group>}, naming the replay), which must not exist yet; the replay's end (DONE or CANCELLED) deletes
 * the lock in the same transaction. Every state change is conditional on the replay's state and version, so two
 * writers (an operator's cancel, an instance that saw the group pass the end) never both win. Progress is not a state
 * change: it moves one partition's offset forward only, and only while the replay runs.
 *
 * <p>Every SDK call runs on a worker ({@link WorkerTable}) and completes on the caller's context.
 */
public final class ReplayStore {
  /** Scan pages one listing may read: replays are few (started by hand). */
  static final int LIST_PAGE_BUDGET = 10;
  /** Tries of a state change that raced another transaction on the same items. */
  private static final int RACED_TRIES = 3;
  private static final String CONDITION_FAILED = "ConditionalCheckFailed";

  private final WorkerTable table;

  public ReplayStore(WorkerTable table) {
    this.table = table;
  }

  /** Creates the table if it does not exist and waits until it is active. Blocking. True if it created it. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    return TableKeys.hash(ID).createIfAbsent(dynamo, table) != Tables.Creation.EXISTED;
  }

  public InstantSource clock() {
    return table.clock();
  }

  /** What {@link #create} did. */
  public sealed interface Created {}

  /** The replay is stored, RUNNING, and holds its group's lock. */
  public record Stored(Replay replay) implements Created {}

  /** Nothing was written: the group has an active replay already, {@code activeReplayId}. */
  public record GroupBusy(String activeReplayId) implements Created {}

  /** What {@link #end} did. */
  public sealed interface Ended {}

  /** The replay is in its final state now, and its group's lock is gone. */
  public record Changed(Replay replay) implements Ended {}

  /** Someone changed the replay first (or it is gone): nothing was written. {@code current} is how it is now. */
  public record Lost(Optional<Replay> current) implements Ended {}

  /** Writes a new replay with its group's lock, unless the group has an active replay already. */
  public Future<Created> create(Replay replay) {
    List<TransactWriteItem> writes = List.of(
        put(ReplayCodec.toItem(replay)),
        put(ReplayCodec.lockItem(replay)));
    return table.blocking(() -> {
      Optional<List<String>> refused = table.transactIf(writes);
      if (refused.isEmpty()) {
        return new Stored(replay);
      }
      Optional<String> holder = table.getNow(ReplayCodec.lockKey(replay.group())).flatMap(ReplayCodec::lockHolder);
      if (holder.isPresent()) {
        return new GroupBusy(holder.get());
      }
      // Refused, yet nobody holds the group: the new id was taken (16 random hex digits), or a racing end freed it.
      throw new IllegalStateException("replay " + replay.id() + " was refused for " + refused.get());
    });
  }

  public Future<Optional<Replay>> get(String id) {
    return table.blocking(() -> read(id));
  }

  /** The group's active replay: the one that holds its lock, as it is now. Empty when the group has none. */
  public Future<Optional<Replay>> active(String group) {
    return table.blocking(() -> table.getNow(ReplayCodec.lockKey(group))
        .flatMap(ReplayCodec::lockHolder)
        .flatMap(this::read)
        .filter(r -> !r.state().isFinal()));
  }

  /** Up to {@code limit} replays, newest first. */
  public Future<List<Replay>> list(int limit) {
    return table.blocking(() -> table.scan(LIST_PAGE_BUDGET).stream()
        .filter(ReplayCodec::isReplay)
        .map(ReplayCodec::fromItem)
        .sorted(Comparator.comparing((Replay r) -> r.stamps().createdAt()).reversed().thenComparing(Replay::id))
        .limit(limit)
        .toList());
  }

  /**
   * Records that the group has committed {@code offset} on {@code partition}: only while the replay is active (a
   * paused one too: what was handled before the pause is committed after it), and only
   * forward (an instance that lost the partition may report an older offset after its new owner). The replay as it is
   * after, or empty when nothing was written. Not a state change: the version stays.
   */
  public Future<Optional<Replay>> progress(Replay replay, int partition, long offset) {
    return table.blocking(() -> table.updateIf(ReplayCodec.key(replay.id()), b -> b
            .updateExpression("SET #progress.#p = :offset, #updatedAt = :now")
            .conditionExpression("NOT #state IN (:done, :cancelled) AND #progress.#p < :offset")
            .expressionAttributeNames(Map.of("#progress", PROGRESS, "#p", Integer.toString(partition),
                "#updatedAt", UPDATED_AT, "#state", STATE))
            .expressionAttributeValues(Map.of(":offset", n(offset), ":now", n(table.clock().millis()),
                ":done", s(ReplayState.DONE.name()), ":cancelled", s(ReplayState.CANCELLED.name())))
            .returnValues(ReturnValue.ALL_NEW))
        .map(ReplayCodec::fromItem));
  }

  /**
   * Ends an active replay (RUNNING, PAUSED or HALTED) as {@code to} (DONE or CANCELLED) and frees its group, in one
   * transaction conditional on the replay being in {@code replay}'s state at its version. A write that raced another
   * transaction is tried again.
   */
  public Future<Ended> end(Replay replay, ReplayState to) {
    if (!to.isFinal() || replay.state().isFinal()) {
      throw new IllegalArgumentException("an active replay ends as DONE or CANCELLED, not " + replay.state() + " as "
          + to);
    }
    return table.blocking(() -> {
      List<TransactWriteItem> writes = List.of(endUpdate(replay, to), unlock(replay));
      for (int tries = 1; ; tries++) {
        Optional<List<String>> refused = table.transactIf(writes);
        if (refused.isEmpty()) {
          return new Changed(read(replay.id()).orElseThrow());
        }
        if (refused.get().contains(CONDITION_FAILED) || tries == RACED_TRIES) {
          return new Lost(read(replay.id()));
        }
        // Runs on a worker: a short pause before trying a raced transaction again.
        Thread.sleep(20L << tries);
      }
    });
  }

  /**
   * Deletes a replay that never started (its group's offsets could not be committed) with its group's lock, so that
   * nothing is left of it: only while it is RUNNING at its first version. True if it was deleted.
   */
  public Future<Boolean> discard(Replay replay) {
    TransactWriteItem deleteReplay = TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
            .key(ReplayCodec.key(replay.id()))
            .conditionExpression("#state = :running AND #version = :version")
            .expressionAttributeNames(Map.of("#state", STATE, "#version", VERSION))
            .expressionAttributeValues(Map.of(":running", s(ReplayState.RUNNING.name()), ":version",
                n(replay.version())))
            .build())
        .build();
    return table.blocking(() -> table.transactIf(List.of(deleteReplay, unlock(replay))).isEmpty());
  }

  private Optional<Replay> read(String id) {
    return table.getNow(ReplayCodec.key(id)).filter(ReplayCodec::isReplay).map(ReplayCodec::fromItem);
  }

  private TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
            .conditionExpression("attribute_not_exists(#id)")
            .expressionAttributeNames(Map.of("#id", ID))
            .build())
        .build();
  }

  private TransactWriteItem endUpdate(Replay replay, ReplayState to) {
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
            .key(ReplayCodec.key(replay.id()))
            .updateExpression("SET #state = :to, #version = #version + :one, #updatedAt = :now")
            .conditionExpression("#state = :from AND #version = :version")
            .expressionAttributeNames(Map.of("#state", STATE, "#version", VERSION, "#updatedAt", UPDATED_AT))
            .expressionAttributeValues(Map.of(":to", s(to.name()), ":from", s(replay.state().name()),
                ":version", n(replay.version()), ":one", n(1), ":now", n(table.clock().millis())))
            .build())
        .build();
  }

  /** Deletes the group's lock if this replay holds it (a lock already gone does not stop the replay's end). */
  private TransactWriteItem unlock(Replay replay) {
    return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
            .key(ReplayCodec.lockKey(replay.group()))
            .conditionExpression("attribute_not_exists(#id) OR #replayId = :id")
            .expressionAttributeNames(Map.of("#id", ID, "#replayId", REPLAY_ID))
            .expressionAttributeValues(Map.of(":id", s(replay.id())))
            .build())
        .build();
  }

  // ------------------------------------------------------------------------------------------- steering and watching

  /** Pauses a RUNNING replay: PAUSED, its group holding the history still to replay. */
  public Future<Ended> pause(Replay replay) {
    return steer(replay, ReplayState.RUNNING, ReplayState.PAUSED, "", Map.of(), Map.of());
  }

  /** The replay halts itself: HALTED, with {@code reason}, its group holding the history still to replay. */
  public Future<Ended> halt(Replay replay, String reason) {
    return steer(replay, ReplayState.RUNNING, ReplayState.HALTED, ", #reason = :reason",
        Map.of("#reason", ReplayCodec.HALT_REASON), Map.of(":reason", s(reason)));
  }

  /**
   * Runs a PAUSED or HALTED replay on: RUNNING. The group's total so far becomes the halt rule's baseline, so that the
   * rule judges what is read from now on, not what made it halt before.
   */
  public Future<Ended> resume(Replay replay) {
    if (!replay.state().holds()) {
      throw new IllegalArgumentException("only a PAUSED or HALTED replay is resumed, not " + replay.state());
    }
    return steer(replay, replay.state(), ReplayState.RUNNING, ", #baseline = :baseline REMOVE #reason",
        Map.of("#baseline", ReplayCodec.BASELINE, "#reason", ReplayCodec.HALT_REASON),
        Map.of(":baseline", ReplayCodec.tally(replay.watch().total())));
  }

  /**
   * Records what instance {@code instance} of the group read of history and diverted since it started, and the
   * record time of the last replayed event it handled on each of its partitions: only while the replay is active.
   * The replay as it is after, or empty when nothing was written. Not a state change: the version stays.
   */
  public Future<Optional<Replay>> report(Replay replay, String instance, Replay.Tally tally,
      Map<Integer, Instant> timeReached) {
    Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#tally",
        ReplayCodec.TALLY_PREFIX + instance));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":tally", ReplayCodec.tally(tally),
        ":done", s(ReplayState.DONE.name()), ":cancelled", s(ReplayState.CANCELLED.name())));
    StringBuilder set = new StringBuilder("SET #tally = :tally");
    timeReached.forEach((p, at) -> {
      set.append(", #t").append(p).append(" = :t").append(p);
      names.put("#t" + p, ReplayCodec.TIME_REACHED_PREFIX + p);
      values.put(":t" + p, n(at.toEpochMilli()));
    });
    return table.blocking(() -> table.updateIf(ReplayCodec.key(replay.id()), b -> b
            .updateExpression(set.toString())
            .conditionExpression("attribute_exists(#state) AND NOT #state IN (:done, :cancelled)")
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .returnValues(ReturnValue.ALL_NEW))
        .map(ReplayCodec::fromItem));
  }

  /**
   * A state change that keeps the group's lock: from {@code from} at {@code replay}'s version to {@code to}, and
   * {@code extra} (more of the update expression) with it. {@link Lost} if the replay changed meanwhile.
   */
  private Future<Ended> steer(Replay replay, ReplayState from, ReplayState to, String extra,
      Map<String, String> extraNames, Map<String, AttributeValue> extraValues) {
    if (replay.state() != from) {
      return Future.succeededFuture(new Lost(Optional.of(replay)));
    }
    Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#version", VERSION,
        "#updatedAt", UPDATED_AT));
    names.putAll(extraNames);
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name()), ":from", s(from.name()),
        ":version", n(replay.version()), ":one", n(1), ":now", n(table.clock().millis())));
    values.putAll(extraValues);
    return table.blocking(() -> {
      Optional<Replay> written = table.updateIf(ReplayCodec.key(replay.id()), b -> b
              .updateExpression("SET #state = :to, #version = #version + :one, #updatedAt = :now" + extra)
              .conditionExpression("#state = :from AND #version = :version")
              .expressionAttributeNames(names)
              .expressionAttributeValues(values)
              .returnValues(ReturnValue.ALL_NEW))
          .map(ReplayCodec::fromItem);
      return written.<Ended>map(Changed::new).orElseGet(() -> new Lost(read(replay.id())));
    });
  }

  /**
   * Records that an instance rewound {@code partition} of a running rewind to {@code offset} (it seeked the partition
   * there and committed it), and where the group's unfinished work began then, {@code unfinishedAt}: the partition's
   * progress starts again from {@code offset}. Conditional on the replay running and
   * the partition not being rewound yet, so that an instance that takes the partition over after a rebalance, or a
   * second instance that raced for it, does not rewind it twice. Not a state change: the version stays. The replay as
   * it is after, or empty when nothing was written (someone rewound it first, or the replay ended).
   */
  public Future<Optional<Replay>> rewound(Replay replay, int partition, long offset, long unfinishedAt) {
    return table.blocking(() -> {
      Map<String, String> names = new HashMap<>(Map.of("#rewind", REWIND, "#at", REWOUND_AT,
          "#p", Integer.toString(partition), "#unfinished", UNFINISHED_AT, "#progress", PROGRESS,
          "#updatedAt", UPDATED_AT, "#state", STATE));
      Map<String, AttributeValue> values = Map.of(":offset", n(offset),
          ":unfinished", n(Math.max(offset, unfinishedAt)), ":now", n(table.clock().millis()),
          ":running", s(ReplayState.RUNNING.name()));
      String condition = "#state = :running AND attribute_exists(#rewind) AND attribute_not_exists(#rewind.#at.#p)";
      Optional<Map<String, AttributeValue>> written = table.updateIf(ReplayCodec.key(replay.id()), b -> b
          .updateExpression("SET #rewind.#at.#p = :offset, #rewind.#unfinished.#p = :unfinished, "
              + "#progress.#p = :offset, #updatedAt = :now")
          .conditionExpression(condition + " AND attribute_exists(#rewind.#unfinished)")
          .expressionAttributeNames(names)
          .expressionAttributeValues(values)
          .returnValues(ReturnValue.ALL_NEW));
      if (written.isEmpty()) {
        // A rewind stored before unfinished work was recorded has no map to record it in: marked rewound without it,
        // so its slice passes nothing over there (the safe side). Refused as well when the partition is rewound.
        Map<String, AttributeValue> without = new HashMap<>(values);
        without.remove(":unfinished");
        written = table.updateIf(ReplayCodec.key(replay.id()), b -> b
            .updateExpression("SET #rewind.#at.#p = :offset, #progress.#p = :offset, #updatedAt = :now")
            .conditionExpression(condition + " AND attribute_not_exists(#rewind.#unfinished)")
            .expressionAttributeNames(names)
            .expressionAttributeValues(without)
            .returnValues(ReturnValue.ALL_NEW));
      }
      return written.map(ReplayCodec::fromItem);
    });
  }

}

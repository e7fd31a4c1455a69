package dev.sluice.console.replay;

import static dev.sluice.console.problem.ConsoleFailure.failed;
import static dev.sluice.console.problem.ConsoleFailure.orFail;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.audit.Audited;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleError.ReplayRefused;
import dev.sluice.quarantine.replay.GroupUse;
import dev.sluice.quarantine.replay.LogSnapshot;
import dev.sluice.quarantine.replay.OffsetPlan;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayKafka;
import dev.sluice.quarantine.replay.ReplayState;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.quarantine.replay.Slice;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Replays as the console runs them: start a cold start of a new group from history, read, list, cancel, pause and
 * resume. Every refusal is a {@link ConsoleError} and is decided before anything changes; every change is audited.
 *
 * <p>A start checks, in order: the stream exists; {@code from} is not in the future; the group has no active replay;
 * the group is new in Kafka (no member, no committed offset); the topic is there; {@code from} is not before the
 * earliest event the stream still holds. It then captures the log's end offsets with the start offsets, stores the
 * replay RUNNING (taking the group's lock, so a racing second start gets 409), and commits the start offsets as the
 * group's, which Kafka allows because the group is empty: the group, when it starts, begins exactly there. Should
 * that commit fail (a member joined meanwhile), the stored replay is deleted again, so nothing is left of it.
 *
 * <p>A rewind ({@code "rewind": true}) is for a running group instead: the group must have live members, and the start
 * is planned from {@code from} as above or from the start offsets given (each within what its partition holds).
 * Nothing is committed here: the group's instances read the replay from the replays table and move each of their
 * partitions back themselves. A rewind may be sliced as a cold start is; its instances pass over only events outside
 * the slice that the group had handled before the rewind.
 */
public final class Replays {
  private static final System.Logger LOG = System.getLogger(Replays.class.getName());

  private final ReplayStore store;
  private final ReplayKafka kafka;
  private final SchemaRegistry registry;
  private final AuditLog audit;
  // Thread-safe, and non-blocking once seeded.
  private final SecureRandom ids = new SecureRandom();

  /** @param registry the streams a replay may be of, as read now (it follows the registry log) */
  public Replays(ReplayStore store, ReplayKafka kafka, SchemaRegistry registry, AuditLog audit) {
    this.store = Objects.requireNonNull(store, "store");
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  Future<Replay> start(StartRequest request, String actor) {
    Optional<StreamDefinition> stream = registry.catalog().stream(request.stream());
    if (stream.isEmpty()) {
      return failed(ReplayRefused.streamNotFound(request.stream(), "no stream of that name is registered"));
    }
    Instant now = store.clock().instant();
    if (request.from().instant().filter(now::isBefore).isPresent()) {
      return failed(new ConsoleError.BadField("/from", "is in the future; history ends now (" + now + ")"));
    }
    String group = request.group();
    String topic = stream.get().topic();
    return store.active(group)
        .compose(active -> active.isPresent() ? failed(ReplayRefused.groupBusy(group, active.get().id()))
            : kafka.use(group))
        .compose(use -> admitted(request, use) ? kafka.log(topic, request.from())
            : failed(refusedUse(request, use)))
        .compose(log -> orFail(log, ReplayRefused.streamNotFound(request.stream(),
            "its topic " + topic + " is not in Kafka")))
        .compose(log -> plan(request, log))
        .compose(plan -> store.create(newReplay(request, plan, actor)))
        .compose(created -> created instanceof ReplayStore.Stored stored ? placeGroup(stored.replay())
            : failed(ReplayRefused.groupBusy(group, busyWith(created))))
        .compose(started -> Audited.result(started, audit.record(actor, AuditRecord.Actions.REPLAY_START, List.of(),
            "replay " + started.id() + ": stream " + started.target().stream() + " to group " + group + " from "
                + ReplayJson.from(started) + sliceText(started.target().slice())
                + (started.rewind().on() ? ", rewinding the running group" : ""),
            Optional.empty(), Optional.empty(), Optional.empty()),
            "replay " + started.id() + " started"));
  }

  public Future<Replay> get(String id) {
    return store.get(id).compose(found -> orFail(found, ReplayRefused.notFound(id)));
  }

  /** The replay as it is now, or empty if there is none of that id. */
  public Future<Optional<Replay>> find(String id) {
    return store.get(id);
  }

  /** Up to {@code limit} replays, newest first. */
  public Future<List<Replay>> list(int limit) {
    return store.list(limit);
  }

  /**
   * Cancels an active replay (RUNNING, PAUSED or HALTED): CANCELLED, and its group freed. The group goes on as an
   * ordinary consumer from where it is; its instances stop flagging events at their next lane refresh.
   */
  public Future<Replay> cancel(String id, String actor) {
    return steer(id, actor, Steer.CANCEL);
  }

  /** Closes the Kafka client; the console is stopping. */
  public Future<Void> close() {
    return kafka.close();
  }

  private Future<OffsetPlan> plan(StartRequest request, LogSnapshot log) {
    LogSnapshot.Planned planned = request.offsets().isEmpty() ? log.plan(request.from())
        : log.plan(request.offsets());
    if (planned instanceof LogSnapshot.BeforeRetention before) {
      return failed(ReplayRefused.beforeRetention(request.stream(), request.from().instant().orElseThrow(),
          before.earliestAvailable()));
    }
    if (planned instanceof LogSnapshot.UnknownPartition unknown) {
      return failed(ReplayRefused.unknownPartition(StartRequest.pointer(Integer.toString(unknown.partition())),
          log.topic(), unknown.partition()));
    }
    if (planned instanceof LogSnapshot.OutOfRange out) {
      return failed(ReplayRefused.offsetOutOfRange(StartRequest.pointer(Integer.toString(out.partition())),
          out.partition(), out.offset(), out.logStart(), out.logEnd()));
    }
    return Future.succeededFuture(planned.ready().orElseThrow());
  }

  /**
   * Whether the group's use in Kafka admits the request: a cold start needs a new group; a rewind a running one
   * (live members), whose instances move it back.
   */
  private static boolean admitted(StartRequest request, GroupUse use) {
    return request.rewind() ? use.members() > 0 : use.isNew();
  }

  private static ConsoleError refusedUse(StartRequest request, GroupUse use) {
    return request.rewind() ? ReplayRefused.groupNotRunning(request.group())
        : ReplayRefused.groupNotNew(request.group(), inUse(use));
  }

  private Replay newReplay(StartRequest request, OffsetPlan plan, String actor) {
    Replay.Target target = new Replay.Target(request.stream(), request.group(), request.from(), request.slice());
    Replay replay = request.rewind()
        ? Replay.rewindStarted(newId(), target, plan, !request.offsets().isEmpty(), actor, store.clock().instant())
        : Replay.started(newId(), target, plan, actor, store.clock().instant());
    return replay.steered(request.steering());
  }

  /**
   * Commits a cold start's start offsets as its group's (a rewind's instances move their partitions themselves). If
   * that cannot be done, the replay is deleted again (with the group's lock): a start either happens whole or leaves
   * nothing.
   */
  private Future<Replay> placeGroup(Replay replay) {
    if (replay.rewind().on()) {
      // The group runs: its instances move it back themselves when they read the replay (Kafka lets no one else
      // commit a running group's offsets).
      return Future.succeededFuture(replay);
    }
    String group = replay.group();
    return kafka.commitStart(group, replay.plan()).transform(committed -> {
      if (committed.succeeded() && committed.result()) {
        return Future.succeededFuture(replay);
      }
      Future<Replay> refusal = committed.succeeded()
          ? failed(ReplayRefused.groupNotNew(group, "got a member while the replay was being started"))
          : Future.failedFuture(committed.cause());
      return store.discard(replay)
          .onFailure(err -> LOG.log(System.Logger.Level.ERROR, "replay " + replay.id() + " of group " + group
              + " could not place the group at its start and could not be deleted; cancel it", err))
          .transform(discarded -> refusal);
    });
  }

  private static String inUse(GroupUse use) {
    return use.members() > 0 ? "has " + use.members() + " live member(s)"
        : "has committed offsets on " + use.committedPartitions() + " partition(s)";
  }

  private static String busyWith(ReplayStore.Created created) {
    return created instanceof ReplayStore.GroupBusy busy ? busy.activeReplayId() : "unknown";
  }

  private static ConsoleError conflict(Replay replay, String action) {
    return ReplayRefused.stateConflict(replay.id(), replay.state().name(), action);
  }

  private static ConsoleError lost(String id, ReplayStore.Ended ended, String action) {
    return ended instanceof ReplayStore.Lost lost && lost.current().isPresent()
        ? conflict(lost.current().get(), action) : ReplayRefused.notFound(id);
  }

  private String newId() {
    byte[] bytes = new byte[8];
    ids.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** For the audit record: what of history the replay hands to the handler, when not all of it. */
  private static String sliceText(Slice slice) {
    if (slice.isAll()) {
      return "";
    }
    return slice.to().map(to -> " to " + to).orElse("")
        + (slice.types().isEmpty() ? "" : ", types " + new TreeSet<>(slice.types()))
        + (slice.keys().isEmpty() ? "" : ", keys " + new TreeSet<>(slice.keys()));
  }

  /**
   * Pauses a RUNNING replay: PAUSED. Its group's instances hold the partitions still below their captured end at
   * their next lane refresh (nothing of history is handled); partitions past their end go on live.
   */
  public Future<Replay> pause(String id, String actor) {
    return steer(id, actor, Steer.PAUSE);
  }

  /** Runs a PAUSED or HALTED replay on: RUNNING; its group's instances take up history at their next lane refresh. */
  public Future<Replay> resume(String id, String actor) {
    return steer(id, actor, Steer.RESUME);
  }

  /** An operator's state change: when it applies, the write, and how it is audited. */
  private enum Steer {
    CANCEL("be cancelled", AuditRecord.Actions.REPLAY_CANCEL, "cancelled"),
    PAUSE("be paused", AuditRecord.Actions.REPLAY_PAUSE, "paused"),
    RESUME("be resumed", AuditRecord.Actions.REPLAY_RESUME, "resumed");

    final String action;
    final String audit;
    final String done;

    Steer(String action, String audit, String done) {
      this.action = action;
      this.audit = audit;
      this.done = done;
    }

    boolean appliesTo(ReplayState state) {
      return switch (this) {
        case CANCEL -> !state.isFinal();
        case PAUSE -> state == ReplayState.RUNNING;
        case RESUME -> state.holds();
      };
    }

    Future<ReplayStore.Ended> write(ReplayStore store, Replay replay) {
      return switch (this) {
        case CANCEL -> store.end(replay, ReplayState.CANCELLED);
        case PAUSE -> store.pause(replay);
        case RESUME -> store.resume(replay);
      };
    }
  }

  private Future<Replay> steer(String id, String actor, Steer steer) {
    return get(id)
        .compose(replay -> steer.appliesTo(replay.state()) ? steer.write(store, replay)
            : failed(conflict(replay, steer.action)))
        .compose(ended -> ended instanceof ReplayStore.Changed changed ? Future.succeededFuture(changed.replay())
            : failed(lost(id, ended, steer.action)))
        .compose(changed -> Audited.result(changed, audit.record(actor, steer.audit, List.of(),
            "replay " + id + " of group " + changed.group() + " " + steer.done, Optional.empty(),
            Optional.empty(), Optional.empty()), "replay " + id + " " + steer.done));
  }
}

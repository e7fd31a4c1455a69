package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayState;
import dev.sluice.quarantine.replay.ReplayStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group instance's part in its group's replay. On every lane refresh it reads the replay again (so a cancel is
 * noticed, and flagging stops), asks Kafka for the group's committed offsets of the replayed partitions it owns that
 * have not passed their captured end, and records those that moved. Committed offsets, not this instance's own
 * commits: an instance that starts on a partition its previous owner finished learns so at once. When every
 * partition has passed its end, the instance ends the replay as DONE (a conditional write: of several instances one
 * wins, the others find it done) and so frees the group; from then on its events are simply live.
 *
 * <p>Nothing here holds up handling or commits: a failed read or write is tried again on the next refresh.
 * Confined to the consumer's Vert.x context.
 */
final class ReplayProgress {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayProgress.class);

  /** The group's committed offsets of some partitions, as the front end's Kafka client reads them. */
  interface CommittedOffsets {
    /** Completes on the consumer's context; a partition the group never committed is left out. */
    Future<Map<TopicPartition, Long>> of(Set<TopicPartition> partitions);
  }

  private final ConsumerParts parts;
  private final ReplayFlags flags;
  private final Supplier<Set<TopicPartition>> assigned;
  private final CommittedOffsets committed;
  private final LongConsumer sampleMeters;
  private long timer = -1;
  private boolean busy;

  /**
   * @param assigned the partitions this instance owns now
   * @param sampleMeters samples the partitions' replay meters at the end of each refresh (given the nanoTime)
   */
  ReplayProgress(ConsumerParts parts, Supplier<Set<TopicPartition>> assigned, CommittedOffsets committed,
      LongConsumer sampleMeters) {
    this.parts = parts;
    this.flags = parts.replays();
    this.assigned = assigned;
    this.committed = committed;
    this.sampleMeters = sampleMeters;
  }

  void start() {
    if (flags.store().isPresent()) {
      timer = parts.vertx().setPeriodic(parts.config().laneRefresh().toMillis(), t -> refresh());
    }
  }

  void stop() {
    if (timer >= 0) {
      parts.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  private void refresh() {
    if (busy) {
      return;
    }
    busy = true;
    flags.read()
        .compose(active -> active.map(this::advance).orElseGet(Future::succeededFuture))
        .onFailure(err -> LOG.warn("group {}: replay progress not recorded now (next refresh tries again): {}",
            flags.group(), err.toString()))
        .onComplete(ar -> {
          busy = false;
          sampleMeters.accept(System.nanoTime());
        });
  }

  /**
   * Records what the group committed on this instance's partitions that are still behind and what this instance
   * counted; ends the replay if done, halts it if it diverts too much of what it reads.
   */
  private Future<Void> advance(Replay replay) {
    if (replay.allPassed()) {
      return finish(replay);
    }
    Set<TopicPartition> behind = assigned.get().stream()
        .filter(tp -> tp.topic().equals(replay.plan().topic()) && replay.plan().end().containsKey(tp.partition())
            && !replay.passed(tp.partition()) && !replay.rewindDue(tp.partition()))
        .collect(Collectors.toSet());
    Future<Replay> recorded = behind.isEmpty() ? Future.succeededFuture(replay)
        : committed.of(behind).compose(offsets -> record(replay, offsets));
    return recorded.compose(latest -> {
      flags.changed(Optional.of(latest).filter(r -> !r.state().isFinal()));
      // The counts first: what the last events of history did is kept in the replay when it ends.
      return report(latest).compose(reported -> reported.allPassed() ? finish(reported) : haltIfPoisoned(reported));
    });
  }

  /** One partition after the other, each write answering the replay as it is after it. */
  private Future<Replay> record(Replay replay, Map<TopicPartition, Long> offsets) {
    Future<Replay> chain = Future.succeededFuture(replay);
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      int partition = e.getKey().partition();
      long offset = e.getValue();
      chain = chain.compose(latest -> offset <= latest.reached(partition) ? Future.succeededFuture(latest)
          : store().progress(latest, partition, offset).map(written -> written.orElse(latest)));
    }
    return chain;
  }

  /** Writes this instance's counts to the replay's item, if it counted anything since its last report. */
  private Future<Replay> report(Replay replay) {
    ReplayWatch watch = flags.watch();
    Optional<ReplayWatch.Report> report = watch.unreported(replay.id());
    if (report.isEmpty()) {
      return Future.succeededFuture(replay);
    }
    ReplayWatch.Report r = report.get();
    return store().report(replay, r.instance(), r.tally(), r.timeReached()).map(written -> {
      watch.reported(r);
      return written.orElse(replay);
    });
  }

  /**
   * Halts the replay if the group's totals break its halt rule: a conditional write, so of several instances that see
   * it one wins; the others find it HALTED. Its instances then hold the history still to replay, as for a pause.
   */
  private Future<Void> haltIfPoisoned(Replay replay) {
    if (!replay.mustHalt()) {
      return Future.succeededFuture();
    }
    Replay.Tally since = replay.watch().sinceResume();
    String reason = "diverted " + since.diverted() + " of the " + since.read() + " events of history read to the"
        + " quarantine store, more than the halt share " + replay.steering().halt().ratio();
    return store().halt(replay, reason).map(ended -> {
      if (ended instanceof ReplayStore.Changed changed) {
        LOG.warn("group {}: replay {} HALTED: {}", flags.group(), replay.id(), reason);
        flags.changed(Optional.of(changed.replay()));
      }
      return null;
    });
  }

  private Future<Void> finish(Replay replay) {
    return store().end(replay, ReplayState.DONE).map(ended -> {
      if (ended instanceof ReplayStore.Changed changed) {
        LOG.info("group {}: replay {} of stream {} is DONE: every partition passed its end; the group is live",
            flags.group(), changed.replay().id(), changed.replay().target().stream());
      }
      // Done here or elsewhere, or cancelled meanwhile: either way nothing is flagged any more.
      flags.changed(Optional.empty());
      return null;
    });
  }

  private ReplayStore store() {
    return flags.store().orElseThrow();
  }
}

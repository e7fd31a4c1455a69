package dev.sluice.quarantine.consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offset commits of one wrapped consumer. Each partition's committable offset (past every record handled or
 * durably recorded, never past one that was not) goes to the broker periodically and whenever the front end asks
 * (a paused partition caught up), one commit in flight at a time; a failed commit is simply made again next time.
 * How a commit reaches the broker is the front end's: the Vert.x client's commit, or the poll thread's.
 *
 * <p>Confined to the consumer's Vert.x context; the broker's answer must come back on it.
 */
final class Commits {
  private static final Logger LOG = LoggerFactory.getLogger(Commits.class);

  private final Vertx vertx;
  private final WrapperConfig config;
  private final PartitionWorkers workers;
  private final BooleanSupplier open;
  private final Function<Map<TopicPartition, Long>, Future<Void>> broker;
  private boolean committing;
  private long timer = -1;

  /**
   * @param open whether the client can take a commit now
   * @param broker sends offsets to the broker; its Future completes on the consumer's context
   */
  Commits(ConsumerCore core, BooleanSupplier open, Function<Map<TopicPartition, Long>, Future<Void>> broker) {
    this.vertx = core.vertx();
    this.config = core.config();
    this.workers = core.workers();
    this.open = open;
    this.broker = broker;
  }

  /** Commits progress every commit interval from now on. */
  void startPeriodic() {
    timer = vertx.setPeriodic(config.commitInterval().toMillis(), t -> progress());
  }

  void stopPeriodic() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Commits every partition whose committable offset moved; one commit in flight at a time. */
  void progress() {
    if (committing || !open.getAsBoolean()) {
      return;
    }
    committing = true;
    now().onComplete(ar -> committing = false);
  }

  /** Commits what moved now, whether or not another commit is in flight (the last commit before a close). */
  Future<Void> now() {
    Map<TopicPartition, Long> offsets = workers.toCommit();
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return broker.apply(offsets)
        .onSuccess(done -> workers.committed(offsets))
        .onFailure(err -> LOG.warn("group {}: commit failed (will commit again): {}", config.group(), err.toString()));
  }
}

package dev.sluice.console.jobs;

import dev.sluice.console.find.FilterParams;
import dev.sluice.console.jobs.JobMetrics.ItemOutcome;
import dev.sluice.console.jobs.JobQueue.Watch;
import dev.sluice.console.jobs.JobQueue.WorkItem;
import dev.sluice.console.jobs.JobStore.CountedOutcome;
import dev.sluice.quarantine.find.FindCursor;
import dev.sluice.quarantine.guard.TokenBucket;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.RedriveOutcomes;
import dev.sluice.quarantine.store.RedriveOutcomes.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one job on this console: splits its filter into work items, drains them at the job's rate, and watches the
 * outcomes of what it sent (through the job's outcome queue, so a restarted console learns them too). All of its state is confined to the verticle's event loop (every Future it composes
 * completes there, timers fire there); every SDK call goes through the store, queue or redrive service, which run it
 * on a worker.
 *
 * <p>The loop is one step at a time: split a page (when the queue has less than {@link #SPLIT_AHEAD} items ahead of
 * the drain), or receive a batch of up to ten work items, book a token for each, redrive each when its token is due
 * (concurrently within the batch), then delete the handled work items and add the counts to the job. Stopping (pause,
 * cancel, console shutdown) lets the step in hand finish; work items whose turn had not come are made visible again.
 */
final class JobRunner {
  private static final System.Logger LOG = System.getLogger(JobRunner.class.getName());
  /** How many queued-but-unhandled items splitting keeps ahead of the drain: bounds the work a cancel throws away. */
  static final long SPLIT_AHEAD = 1_000;
  static final int SPLIT_PAGE = 500;
  /** Watched redrives read per outcome check: bounds each check to a few receives and batch reads. */
  static final int OUTCOME_BATCH = 500;
  /** How often SQS may hand out a work item whose redrive keeps failing on an engine before it is skipped. */
  static final int MAX_RECEIVES = 5;
  /**
   * How long a finished job keeps watching after its last progress: redrives whose consumer has not answered by then
   * (no consumer running for their group, say) stay REDRIVEN, uncounted, and the job stops watching.
   */
  static final Duration WATCH_QUIET = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final RedriveJobs jobs;
  private final JobSettings settings;
  private final TokenBucket bucket;
  private final long outcomeTimer;
  private final long leaseTimer;
  /** Until when (on the nano clock) this runner may act on its lease: a third of the lease before it could lapse. */
  private long actUntilNanos;
  private boolean renewing;

  private RedriveJob job;
  private boolean draining;
  private boolean loopActive;
  private boolean checking;
  private boolean closed;
  private Promise<Void> loopStopped = Promise.promise();

  JobRunner(Vertx vertx, RedriveJobs jobs, JobSettings settings, RedriveJob job) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.settings = settings;
    this.job = job;
    // Burst of one batch: a batch's work items are booked together.
    this.bucket = new TokenBucket(job.ratePerSecond(), Math.min(JobQueue.BATCH, job.ratePerSecond()),
        jobs.nanoClock());
    this.outcomeTimer = vertx.setPeriodic(settings.outcomeCheckEvery().toMillis(), t -> checkOutcomes());
    // A runner is made right after its lease was taken (or the job created with it).
    this.actUntilNanos = jobs.nanoClock().getAsLong() + actWindowNanos();
    this.leaseTimer = vertx.setPeriodic(settings.leaseRenewEvery().toMillis(), t -> renewLease());
    loopStopped.complete();
  }

  /**
   * How long after a renewal this runner keeps acting: two thirds of the lease. It renews every third, so one failed
   * renewal costs nothing; after two it stops sending until a renewal succeeds, a third of the lease before another
   * instance could take the job, so that two runners never drain one job at once (clocks permitting).
   */
  private long actWindowNanos() {
    return settings.lease().toNanos() - settings.leaseRenewEvery().toNanos();
  }

  private boolean mayAct() {
    return jobs.nanoClock().getAsLong() < actUntilNanos;
  }

  /** Renews the lease; learns from the answer what changed elsewhere (a pause, a resume, a cancel on another console). */
  private void renewLease() {
    if (renewing || closed) {
      return;
    }
    renewing = true;
    long asked = jobs.nanoClock().getAsLong();
    jobs.store().lease(job.id(), jobs.instanceId(), jobs.clock().instant().plus(settings.lease()))
        .onSuccess(renewed -> {
          if (renewed.isEmpty()) {
            jobs.lost(this);
            return;
          }
          actUntilNanos = asked + actWindowNanos();
          RedriveJob latest = renewed.get();
          job = latest.version() >= job.version() ? latest : job.withProgressOf(latest);
          switch (job.state()) {
            case RUNNING -> drain();
            case PAUSED -> draining = false;
            case HALTED, CANCELLED -> jobs.retire(this);
            case DONE -> draining = false;
          }
        })
        .onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
            "redrive job " + job.id() + ": could not renew its lease; trying again", failure))
        .onComplete(ar -> renewing = false);
  }

  RedriveJob job() {
    return job;
  }

  /** Takes a newer view of the job (from a control action). */
  void update(RedriveJob newer) {
    if (newer.updatedAt().compareTo(job.updatedAt()) >= 0 || newer.version() > job.version()) {
      job = newer;
    }
  }

  /** Starts (or keeps) draining. */
  void drain() {
    if (closed || job.state() != JobState.RUNNING) {
      return;
    }
    draining = true;
    if (!loopActive) {
      loopActive = true;
      loopStopped = Promise.promise();
      step();
    }
  }

  /** Stops draining after the step in hand; completes when the loop has stopped. */
  Future<Void> pause() {
    draining = false;
    return loopStopped.future();
  }

  /** Stops draining and watching. */
  Future<Void> close() {
    closed = true;
    vertx.cancelTimer(outcomeTimer);
    vertx.cancelTimer(leaseTimer);
    return pause();
  }

  private void step() {
    if (!draining || closed || !mayAct()) {
      // Out of lease time: the loop rests until a renewal succeeds, which calls drain() again.
      loopActive = false;
      loopStopped.tryComplete();
      return;
    }
    Future<?> work = needsSplit() ? split() : drainBatch();
    work.onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(System.Logger.Level.WARNING, "redrive job " + job.id() + ": a step failed; retrying in 1 s",
            ar.cause());
        vertx.setTimer(1_000, t -> step());
      } else {
        step();
      }
    });
  }

  private boolean needsSplit() {
    return !job.splitDone() && job.counts().total() - job.counts().processed() < SPLIT_AHEAD;
  }

  /** Queues the next page of matching item ids (all of a selection at once: at most 1,000). */
  private Future<?> split() {
    if (!job.selection().isEmpty()) {
      // Queued before splitDone is written: a crash in between queues the selection twice, and each second copy only
      // finds its item REDRIVEN already (skipped).
      return jobs.queue().send(job.id(), job.selection())
          .compose(v -> jobs.store().progress(job.id(), new JobCounts(job.selection().size(), 0, 0, 0, 0),
              Optional.empty(), true))
          .onSuccess(this::progressed);
    }
    long room = job.maxItems() - job.counts().total();
    if (room <= 0) {
      return jobs.store().progress(job.id(), JobCounts.ZERO, Optional.empty(), true).onSuccess(this::progressed);
    }
    ItemFilter filter = FilterParams.fromJson(job.filter(), "/filter");
    Optional<FindCursor> cursor = job.splitCursor().flatMap(FindCursor::decode);
    int limit = (int) Math.min(SPLIT_PAGE, room);
    return jobs.search().find(filter, cursor, limit).compose(page -> {
      List<String> ids = page.items().stream().map(QuarantineItem::id).toList();
      // The ids go to the queue before the cursor moves: a crash in between queues a page twice, and the second copy
      // of each item only finds it REDRIVEN already (skipped), never redrives it twice.
      Optional<String> next = page.next().map(FindCursor::encode);
      boolean done = next.isEmpty() || job.counts().total() + ids.size() >= job.maxItems();
      return jobs.queue().send(job.id(), ids)
          .compose(v -> jobs.store().progress(job.id(), new JobCounts(ids.size(), 0, 0, 0, 0), next, done))
          .onSuccess(this::progressed);
    });
  }

  private Future<Void> drainBatch() {
    int wait = job.splitDone() ? 1 : 0;
    return jobs.queue().receive(job.id(), JobQueue.BATCH, wait).compose(batch -> {
      if (batch.isEmpty()) {
        return job.splitDone() && job.counts().processed() >= job.counts().total() ? finishIfEmpty()
            : Future.<Void>succeededFuture();
      }
      List<Future<Tried>> attempts = new ArrayList<>();
      for (WorkItem item : batch) {
        attempts.add(attempt(item, bucket.reserve()));
      }
      return Future.join(attempts).transform(all -> settle(batch, attempts)).mapEmpty();
    });
  }

  /** A work item's attempt, and for a SENT one the item's redrive count after it (which names this redrive). */
  private record Tried(Attempt attempt, int redriveCount) {
    static Tried of(Attempt a) {
      return new Tried(a, 0);
    }
  }

  private Future<Tried> attempt(WorkItem item, long waitNanos) {
    Promise<Tried> result = Promise.promise();
    Runnable go = () -> {
      if (!draining || closed) {
        result.complete(Tried.of(Attempt.RELEASE));
        return;
      }
      jobs.redrive(item.itemId(), job.createdBy() + " (job " + job.id() + ")")
          .map(redriven -> new Tried(Attempt.SENT, redriven.item().redriveCount()))
          .otherwise(failure -> {
            Attempt a = Attempt.ofFailure(failure);
            return Tried.of(a == Attempt.RETRY && item.receiveCount() >= MAX_RECEIVES ? Attempt.SKIPPED : a);
          })
          .onComplete(ar -> result.complete(ar.succeeded() ? ar.result() : Tried.of(Attempt.RETRY)));
    };
    long millis = waitNanos / 1_000_000;
    if (millis < 1) {
      go.run();
    } else {
      vertx.setTimer(millis, t -> go.run());
    }
    return result.future();
  }

  private Future<?> settle(List<WorkItem> batch, List<Future<Tried>> attempts) {
    List<WorkItem> handled = new ArrayList<>();
    List<WorkItem> released = new ArrayList<>();
    Map<String, Integer> sentRedrives = new LinkedHashMap<>();
    long sent = 0;
    long skipped = 0;
    for (int i = 0; i < batch.size(); i++) {
      Tried t = attempts.get(i).succeeded() ? attempts.get(i).result() : Tried.of(Attempt.RETRY);
      WorkItem item = batch.get(i);
      switch (t.attempt()) {
        case SENT -> {
          handled.add(item);
          sentRedrives.put(item.itemId(), t.redriveCount());
          sent++;
        }
        case SKIPPED -> {
          handled.add(item);
          skipped++;
        }
        case RELEASE -> released.add(item);
        case RETRY -> {
          // left invisible: SQS hands it out again after the visibility timeout
        }
      }
    }
    jobs.metrics().items(ItemOutcome.SENT, sent);
    jobs.metrics().items(ItemOutcome.SKIPPED, skipped);
    JobCounts delta = new JobCounts(0, sent, 0, 0, skipped);
    // Watches first, then counts, then the deletes. A crash before the watches are queued re-delivers the work items,
    // which then count as skipped (the conditional write has already moved them) and whose outcomes go unlearned: the
    // one window where a job may not learn an outcome, a crash between two calls. A crash after it re-delivers them
    // too, but their outcomes are watched. Never is work that was not done lost.
    Future<?> watched = sentRedrives.isEmpty() ? Future.succeededFuture()
        : jobs.queue().watch(job.id(), sentRedrives);
    return watched
        .compose(v -> delta.isZero() ? Future.succeededFuture()
            : jobs.store().progress(job.id(), delta, Optional.empty(), false).onSuccess(this::progressed))
        .compose(v -> handled.isEmpty() ? Future.succeededFuture() : jobs.queue().delete(job.id(), handled))
        .compose(v -> released.isEmpty() ? Future.succeededFuture() : jobs.queue().release(job.id(), released));
  }

  /** Every work item is handled: DONE, once the queue holds nothing in flight either. */
  private Future<Void> finishIfEmpty() {
    return jobs.queue().isEmpty(job.id()).compose(empty -> {
      if (!empty) {
        return Future.<Void>succeededFuture();
      }
      return jobs.finish(job).onSuccess(done -> {
        job = done;
        draining = false;
      }).mapEmpty();
    });
  }

  /**
   * Takes the job as a progress write returned it. A state change this runner has not heard of (a newer version, e.g.
   * from another console instance) stops the drain after this step; an older one (a pause already undone by a resume
   * on this console) only brings its counts.
   */
  private void progressed(RedriveJob latest) {
    if (latest.version() >= job.version()) {
      job = latest;
      if (latest.state() != JobState.RUNNING) {
        draining = false;
      }
    } else {
      job = job.withProgressOf(latest);
    }
  }

  /**
   * Learns the outcomes of some watched redrives: reads the items' states, counts each settled redrive exactly once
   * (with its count-once marker, in one transaction with the job's counters), forgets the settled ones, and halts the
   * job if too many failed again. A DONE job stops watching when nothing is left to watch, or after
   * {@link #WATCH_QUIET} without progress.
   */
  private void checkOutcomes() {
    if (checking || closed || !mayAct()) {
      return;
    }
    if (job.state() == JobState.DONE
        && Duration.between(job.updatedAt(), jobs.clock().instant()).compareTo(WATCH_QUIET) > 0) {
      stopWatching();
      return;
    }
    if (job.state().isFinal() && job.state() != JobState.DONE) {
      // Halted or cancelled elsewhere: its queues are deleted with the state change.
      jobs.retire(this);
      return;
    }
    checking = true;
    jobs.queue().watched(job.id(), OUTCOME_BATCH, outcomeVisibilitySeconds())
        .compose(watches -> watches.isEmpty() ? nothingToLearn() : learn(watches))
        .compose(v -> haltIfTooManyFailed())
        .onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
            "redrive job " + job.id() + ": could not check outcomes; trying again", failure))
        .onComplete(ar -> checking = false);
  }

  /** How long a watched redrive whose outcome is not known yet stays hidden before it is read again. */
  private int outcomeVisibilitySeconds() {
    return (int) Math.max(2, 2 * settings.outcomeCheckEvery().toSeconds());
  }

  private Future<Void> nothingToLearn() {
    if (job.state() != JobState.DONE) {
      return Future.succeededFuture();
    }
    return jobs.queue().nothingWatched(job.id()).compose(empty -> {
      if (empty) {
        stopWatching();
      }
      return Future.<Void>succeededFuture();
    });
  }

  private void stopWatching() {
    jobs.retire(this);
    jobs.queue().deleteOutcomes(job.id()).onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
        "redrive job " + job.id() + ": could not delete its outcome queue (it expires with SQS's retention)",
        failure));
  }

  private Future<Void> learn(List<Watch> watches) {
    // One watch per item: a transaction may not touch an item twice. A second watch of the same redrive (there is
    // none unless SQS delivered a message twice) is forgotten with the first.
    Map<String, Watch> byItem = new LinkedHashMap<>();
    List<Watch> settled = new ArrayList<>();
    for (Watch w : watches) {
      Watch first = byItem.putIfAbsent(w.itemId(), w);
      if (first != null) {
        settled.add(w);
      }
    }
    RedriveOutcomes outcomes = jobs.items().outcomes();
    return outcomes.states(byItem.keySet()).compose(states -> {
      List<CountedOutcome> counted = new ArrayList<>();
      for (Watch w : byItem.values()) {
        Outcome o = RedriveOutcomes.outcomeOf(Optional.ofNullable(states.get(w.itemId())), w.redriveCount());
        if (o == Outcome.PENDING) {
          continue;
        }
        settled.add(w);
        if (o.counted()) {
          counted.add(new CountedOutcome(w.itemId(), o == Outcome.SUCCEEDED,
              outcomes.countOnce(w.itemId(), w.redriveCount())));
        }
      }
      Future<JobCounts> added = counted.isEmpty() ? Future.succeededFuture(JobCounts.ZERO)
          : jobs.store().countOutcomes(job.id(), counted);
      return added
          .compose(delta -> {
            jobs.metrics().items(ItemOutcome.SUCCEEDED, delta.succeeded());
            jobs.metrics().items(ItemOutcome.FAILED_AGAIN, delta.failedAgain());
            return delta.isZero() ? Future.succeededFuture()
                : jobs.store().get(job.id()).onSuccess(latest -> latest.ifPresent(this::progressed));
          })
          // Counted before forgotten: a crash in between reads them again, and their markers refuse a second count.
          .compose(v -> settled.isEmpty() ? Future.succeededFuture() : jobs.queue().forget(job.id(), settled));
    });
  }

  private Future<Void> haltIfTooManyFailed() {
    boolean live = job.state() == JobState.RUNNING || job.state() == JobState.PAUSED;
    if (live && settings.halt().shouldHalt(job.counts().succeeded(), job.counts().failedAgain())) {
      draining = false;
      return jobs.halt(job).onSuccess(halted -> job = halted).mapEmpty();
    }
    return Future.succeededFuture();
  }
}

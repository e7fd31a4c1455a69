package dev.sluice.console.jobs;

import dev.sluice.console.find.FilterParams;
import dev.sluice.console.jobs.JobMetrics.ItemOutcome;
import dev.sluice.console.jobs.JobQueue.WorkItem;
import dev.sluice.quarantine.find.FindCursor;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Runs one job on this console: splits its filter into work items, drains them at the job's rate, and watches the
 * outcomes of what it sent. All of its state is confined to the verticle's event loop (every Future it composes
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
  /** States read per outcome check: bounds each check to a few batch reads. */
  static final int OUTCOME_BATCH = 500;
  /** Sent items whose outcome a runner remembers; beyond this, outcomes are not learned (memory stays bounded). */
  static final int MAX_WATCHED = 20_000;
  /** How often SQS may hand out a work item whose redrive keeps failing on an engine before it is skipped. */
  static final int MAX_RECEIVES = 5;
  /** How long a finished job keeps learning the outcomes of what it sent. */
  static final Duration WATCH_AFTER_DONE = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final RedriveJobs jobs;
  private final JobSettings settings;
  private final TokenBucket bucket;
  private final LinkedHashSet<String> watched = new LinkedHashSet<>();
  private final long outcomeTimer;

  private RedriveJob job;
  private boolean draining;
  private boolean loopActive;
  private boolean checking;
  private boolean closed;
  private long doneAtNanos = -1;
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
    loopStopped.complete();
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
    return pause();
  }

  private void step() {
    if (!draining || closed) {
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

  /** Queues the next page of matching item ids. */
  private Future<?> split() {
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
      List<Future<Attempt>> attempts = new ArrayList<>();
      for (WorkItem item : batch) {
        attempts.add(attempt(item, bucket.reserve()));
      }
      return Future.join(attempts).transform(all -> settle(batch, attempts)).mapEmpty();
    });
  }

  private Future<Attempt> attempt(WorkItem item, long waitNanos) {
    Promise<Attempt> result = Promise.promise();
    Runnable go = () -> {
      if (!draining || closed) {
        result.complete(Attempt.RELEASE);
        return;
      }
      jobs.redrive(item.itemId(), job.createdBy() + " (job " + job.id() + ")")
          .map(v -> Attempt.SENT)
          .otherwise(failure -> {
            Attempt a = Attempt.ofFailure(failure);
            return a == Attempt.RETRY && item.receiveCount() >= MAX_RECEIVES ? Attempt.SKIPPED : a;
          })
          .onComplete(ar -> result.complete(ar.succeeded() ? ar.result() : Attempt.RETRY));
    };
    long millis = waitNanos / 1_000_000;
    if (millis < 1) {
      go.run();
    } else {
      vertx.setTimer(millis, t -> go.run());
    }
    return result.future();
  }

  private Future<?> settle(List<WorkItem> batch, List<Future<Attempt>> attempts) {
    List<WorkItem> handled = new ArrayList<>();
    List<WorkItem> released = new ArrayList<>();
    List<String> sentIds = new ArrayList<>();
    long sent = 0;
    long skipped = 0;
    for (int i = 0; i < batch.size(); i++) {
      Attempt a = attempts.get(i).succeeded() ? attempts.get(i).result() : Attempt.RETRY;
      WorkItem item = batch.get(i);
      switch (a) {
        case SENT -> {
          handled.add(item);
          sentIds.add(item.itemId());
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
    for (String id : sentIds) {
      if (watched.size() < MAX_WATCHED) {
        watched.add(id);
      }
    }
    jobs.metrics().items(ItemOutcome.SENT, sent);
    jobs.metrics().items(ItemOutcome.SKIPPED, skipped);
    JobCounts delta = new JobCounts(0, sent, 0, 0, skipped);
    // Counts first, then the deletes: a crash in between re-delivers handled items, which then count as skipped (the
    // conditional write has already moved them), rather than losing work that was never done.
    Future<?> counted = delta.isZero() ? Future.succeededFuture()
        : jobs.store().progress(job.id(), delta, Optional.empty(), false).onSuccess(this::progressed);
    return counted
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
        doneAtNanos = jobs.nanoClock().getAsLong();
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

  /** Re-reads the states of some sent items; counts those settled since; halts the job if too many failed again. */
  private void checkOutcomes() {
    if (checking || closed) {
      return;
    }
    boolean watchOver = doneAtNanos >= 0
        && jobs.nanoClock().getAsLong() - doneAtNanos > WATCH_AFTER_DONE.toNanos();
    if (job.state().isFinal() && (watched.isEmpty() || watchOver)) {
      jobs.retire(this);
      return;
    }
    if (watched.isEmpty()) {
      return;
    }
    checking = true;
    List<String> ids = new ArrayList<>(OUTCOME_BATCH);
    Iterator<String> it = watched.iterator();
    while (it.hasNext() && ids.size() < OUTCOME_BATCH) {
      ids.add(it.next());
    }
    jobs.items().states(ids)
        .compose(states -> {
          long succeeded = 0;
          long failedAgain = 0;
          for (String id : ids) {
            OpenItem state = states.get(id);
            if (state == null) {
              watched.remove(id);
              continue;
            }
            QuarantineStatus s = state.status();
            if (s == QuarantineStatus.REDRIVEN) {
              continue;
            }
            watched.remove(id);
            if (s == QuarantineStatus.RESOLVED) {
              succeeded++;
            } else if (s.isOpen()) {
              // QUARANTINED (or RETRYING/PARKED): the consumer failed on the redriven event.
              failedAgain++;
            }
            // DISCARDED: settled by an operator, no outcome of the redrive.
          }
          jobs.metrics().items(ItemOutcome.SUCCEEDED, succeeded);
          jobs.metrics().items(ItemOutcome.FAILED_AGAIN, failedAgain);
          JobCounts delta = new JobCounts(0, 0, succeeded, failedAgain, 0);
          return delta.isZero() ? Future.succeededFuture(job)
              : jobs.store().progress(job.id(), delta, Optional.empty(), false);
        })
        .compose(latest -> {
          job = latest.version() >= job.version() ? latest : job.withProgressOf(latest);
          boolean live = job.state() == JobState.RUNNING || job.state() == JobState.PAUSED;
          if (live && settings.halt().shouldHalt(job.counts().succeeded(), job.counts().failedAgain())) {
            draining = false;
            return jobs.halt(job).onSuccess(halted -> job = halted).mapEmpty();
          }
          return Future.succeededFuture();
        })
        .onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
            "redrive job " + job.id() + ": could not check outcomes; trying again", failure))
        .onComplete(ar -> checking = false);
  }
}

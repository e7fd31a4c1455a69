package dev.sluice.console.jobs;

import static dev.sluice.console.problem.ConsoleFailure.failed;
import static dev.sluice.console.problem.ConsoleFailure.orFail;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.auth.Principal;
import dev.sluice.console.auth.Role;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sluice.console.find.FilterParams;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.console.redrive.Redriven;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.find.QuarantineSearch;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Bulk redrive jobs: create (or dry-run), read, list, pause, resume, cancel; and the runners of the jobs this console
 * drives ({@link JobRunner}). The job record in DynamoDB is the truth and the job's SQS queue holds its remaining work,
 * so a console that restarts picks its RUNNING jobs up again ({@link #resumeAll()}).
 *
 * <p>Several console instances may share the jobs table. Each job is run by one instance at a time, the holder of its
 * lease ({@link RedriveJob.Lease}, a conditional write on the job's record, renewed every third of
 * {@code sluice.console.jobs.lease}): only the holder drains the job's queue (so the job's rate is its rate, not the
 * rate times the instances) and watches its outcomes. Every {@link JobSettings#leaseRenewEvery()} each instance looks
 * for live jobs whose lease lapsed or was given up, and takes them: a console that stops gives its leases up at once,
 * one that dies loses them after the lease. Should two runners overlap anyway (a holder paused longer than its lease),
 * each item is still redriven at most once: the conditional move decides.
 *
 * <p>Confined to the console verticle's event loop: the runners map is touched only there, and every call returns a
 * Future composed of store, queue and redrive calls that run their SDK work on workers.
 */
public final class RedriveJobs {
  private static final System.Logger LOG = System.getLogger(RedriveJobs.class.getName());
  /** The system's name in the audit trail for what a job does by itself (halting). */
  public static final String SYSTEM_ACTOR = "sluice";
  /** Control retries when the version moved between read and write (e.g. the job halted meanwhile). */
  private static final int CONTROL_ATTEMPTS = 3;

  private final Vertx vertx;
  private final JobStore store;
  private final JobQueue queue;
  private final QuarantineStore items;
  private final QuarantineSearch search;
  private final RedriveService redrives;
  private final AuditLog audit;
  private final JobSettings settings;
  private final long operatorBulkLimit;
  private final JobMetrics metrics;
  private final Clock clock;
  private final LongSupplier nanoClock;
  private final String instanceId;
  private final Map<String, JobRunner> runners = new HashMap<>();
  private long adoptTimer = -1;
  private boolean adopting;
  private boolean closed;

  public RedriveJobs(Vertx vertx, JobStore store, JobQueue queue, QuarantineStore items, RedriveService redrives,
      AuditLog audit, JobSettings settings, long operatorBulkLimit, JobMetrics metrics, Clock clock,
      LongSupplier nanoClock, String instanceId) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.items = Objects.requireNonNull(items, "items");
    this.search = new QuarantineSearch(items.table());
    this.redrives = Objects.requireNonNull(redrives, "redrives");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.operatorBulkLimit = operatorBulkLimit;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
  }

  /**
   * A name for this console instance in job leases: the host name (a pod's name on Kubernetes) and a random suffix, so
   * that a restarted instance never mistakes the leases of its former self for its own.
   */
  static String newInstanceId() {
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("console");
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A console's jobs, on its engines and settings.
   *
   * @param operatorBulkLimit the most items an operator's job may cover; a larger one needs an admin
   * @param meters the console's meter registry, where the jobs' metrics go
   */
  public static RedriveJobs create(Vertx vertx, JobEngines engines, JobSettings settings, long operatorBulkLimit,
      QuarantineStore items, RedriveService redrives, AuditLog audit, MeterRegistry meters) {
    return new RedriveJobs(vertx, new JobStore(vertx, engines.dynamo(), settings.table(), Clock.systemUTC()),
        new JobQueue(vertx, engines.sqs(), engines.queuePrefix()), items, redrives, audit, settings,
        operatorBulkLimit, new JobMetrics(meters), Clock.systemUTC(), System::nanoTime, newInstanceId());
  }

  /** What a create answers: the job and how many items matched when it was created. */
  public record Created(RedriveJob job, long matched, boolean matchedExact) {}

  /**
   * Creates a job over the items the filter matches (QUARANTINED ones only). A dry run only counts: it is stored DONE
   * with {@code total} = the count and nothing sent, so it can be read back and is audited like any job.
   *
   * @param filterJson the body's {@code filter} (null: everything QUARANTINED)
   */
  public Future<Created> create(JsonObject filterJson, int ratePerSecond, boolean dryRun, Principal who) {
    JsonObject filter = normalise(filterJson);
    ItemFilter itemFilter = FilterParams.fromJson(filter, "/filter");
    return search.count(itemFilter).compose(count -> start(filter, List.of(), count.matched(),
        count.exact(), ratePerSecond, dryRun, who));
  }

  /** The most item ids one selection job takes: a selection is picked by hand, a filter takes the rest. */
  public static final int MAX_SELECTION = 1_000;

  /**
   * Creates a job over an operator's selection of items: those of {@code ids} that are QUARANTINED now (the others
   * could not be redriven, and are left out). The same job as a filter's in every other way: rate, dry run, bulk limit,
   * lease, outcomes, halt rule.
   */
  public Future<Created> createSelection(List<String> ids, int ratePerSecond, boolean dryRun, Principal who) {
    List<String> unique = ids.stream().distinct().toList();
    return items.outcomes().states(unique).compose(states -> {
      List<String> redrivable = unique.stream()
          .filter(id -> states.containsKey(id) && states.get(id).status() == QuarantineStatus.QUARANTINED)
          .toList();
      if (redrivable.isEmpty()) {
        // Never an empty selection: a job without one is a job over its filter, here everything QUARANTINED.
        String first = unique.get(0);
        return failed(states.containsKey(first)
            ? new ConsoleError.NotRedrivable(first, states.get(first).status())
            : new ConsoleError.ItemNotFound(first));
      }
      JsonObject filter = new JsonObject().put("status", QuarantineStatus.QUARANTINED.name());
      return start(filter, redrivable, redrivable.size(), true, ratePerSecond, dryRun, who);
    });
  }

  private Future<Created> start(JsonObject filter, List<String> selection, long matched, boolean exact,
      int ratePerSecond, boolean dryRun, Principal who) {
    boolean large = matched > operatorBulkLimit;
    if (large && !who.may(Role.Action.LARGE_BULK_JOB)) {
      return failed(new ConsoleError.Forbidden(who.name(), who.role().label(),
          "run a bulk job over " + operatorBulkLimit + " items (this " + (selection.isEmpty() ? "filter" : "selection")
              + " matches " + matched + ")"));
    }
    long maxItems = who.may(Role.Action.LARGE_BULK_JOB) ? Long.MAX_VALUE : operatorBulkLimit;
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    RedriveJob job = new RedriveJob(id, dryRun ? JobState.DONE : JobState.RUNNING, filter, ratePerSecond, dryRun,
        who.name(), now, now, dryRun ? new JobCounts(matched, 0, 0, 0, 0) : JobCounts.ZERO, maxItems,
        Optional.empty(), dryRun, 0, dryRun ? Optional.of("dry run: counted only") : Optional.empty(),
        // Created with this instance's lease: it runs the job it was asked for.
        dryRun ? Optional.empty() : Optional.of(new RedriveJob.Lease(instanceId, now.plus(settings.lease()))),
        selection);
    String what = selection.isEmpty() ? "filter " + filter.encode() : "a selection of " + selection.size()
        + " item(s)";
    // The queue first: a job record always has its queue, so a runner (now or after a restart) can receive.
    Future<Void> queued = dryRun ? Future.succeededFuture()
        : queue.create(id).compose(v -> queue.createOutcomes(id));
    return queued
        .compose(v -> store.create(job))
        .compose(stored -> audit.record(who.name(), AuditRecord.Actions.JOB_CREATE, selection,
                (dryRun ? "dry run of job " : "job ") + id + ": " + what + " at " + ratePerSecond
                    + "/s; matched " + matched + (exact ? "" : " or more"),
                Optional.empty(), Optional.empty(), Optional.empty())
            .map(audited -> stored))
        .map(stored -> {
          metrics.job(stored.id(), stored.state());
          if (!dryRun) {
            runnerFor(stored).drain();
          }
          return new Created(stored, matched, exact);
        });
  }

  /** The filter with {@code status} QUARANTINED: a job redrives QUARANTINED items only. */
  static JsonObject normalise(JsonObject filterJson) {
    JsonObject filter = filterJson == null ? new JsonObject() : filterJson.copy();
    Object status = filter.getValue("status");
    if (status != null && !(status instanceof String s && s.strip().equalsIgnoreCase(QuarantineStatus.QUARANTINED.name()))) {
      throw new ConsoleFailure(new ConsoleError.BadField("/filter/status",
          "a redrive job takes QUARANTINED items only; leave status out or set it to QUARANTINED"));
    }
    filter.put("status", QuarantineStatus.QUARANTINED.name());
    // Parsed here too so that a bad filter is a 400 before anything is counted.
    FilterParams.fromJson(filter, "/filter");
    return filter;
  }

  public Future<RedriveJob> get(String id) {
    return store.get(id).compose(found -> orFail(found, new ConsoleError.JobNotFound(id)));
  }

  public Future<List<RedriveJob>> list(int limit) {
    return store.list(limit);
  }

  public Future<RedriveJob> pause(String id, String actor) {
    return control(id, JobState.PAUSED, "pause", actor, AuditRecord.Actions.JOB_PAUSE);
  }

  public Future<RedriveJob> resume(String id, String actor) {
    return control(id, JobState.RUNNING, "resume", actor, AuditRecord.Actions.JOB_RESUME);
  }

  public Future<RedriveJob> cancel(String id, String actor) {
    return control(id, JobState.CANCELLED, "cancel", actor, AuditRecord.Actions.JOB_CANCEL);
  }

  private Future<RedriveJob> control(String id, JobState to, String verb, String actor, String action) {
    return changeState(id, to, verb, CONTROL_ATTEMPTS)
        .compose(changed -> applied(changed)
            .compose(v -> audit.record(actor, action, List.of(), "job " + id + " " + changed.state().name()
                .toLowerCase(Locale.ROOT), Optional.empty(), Optional.empty(), Optional.empty()))
            .map(audited -> changed));
  }

  /** Reads the job and moves it, conditional on the version read; retries when only the version moved. */
  private Future<RedriveJob> changeState(String id, JobState to, String verb, int attempts) {
    return get(id).compose(job -> {
      if (!job.state().canBecome(to)) {
        return failed(new ConsoleError.JobConflict(id, job.state().name(), verb));
      }
      return store.changeState(id, job.state(), to, job.version(), Optional.empty())
          .recover(failure -> failure instanceof JobStore.StateConflict && attempts > 1
              ? changeState(id, to, verb, attempts - 1) : Future.failedFuture(failure));
    }).recover(failure -> failure instanceof JobStore.StateConflict c
        ? failed(new ConsoleError.JobConflict(id, c.current().state().name(), verb))
        : Future.failedFuture(failure));
  }

  /** Makes this console's runner follow a state change. */
  private Future<Void> applied(RedriveJob job) {
    metrics.job(job.id(), job.state());
    JobRunner runner = runners.get(job.id());
    switch (job.state()) {
      case RUNNING -> {
        if (runner != null) {
          runner.update(job);
          runner.drain();
          return Future.succeededFuture();
        }
        // Not run here: take it if nobody holds it. A holder elsewhere learns of the resume when it next renews.
        return adopt(job).mapEmpty();
      }
      case PAUSED -> {
        if (runner != null) {
          runner.update(job);
          // The answer waits for the step in hand, so that "paused" means nothing more is sent.
          return runner.pause();
        }
        return Future.succeededFuture();
      }
      default -> {
        Future<Void> stopped = runner == null ? Future.succeededFuture() : runner.close();
        if (runner != null) {
          runners.remove(job.id());
        }
        // What is left of a cancelled job is thrown away with its queues: it stops watching too.
        return stopped.compose(v -> queue.deleteQueue(job.id())).compose(v -> queue.deleteOutcomes(job.id()));
      }
    }
  }

  private JobRunner runnerFor(RedriveJob job) {
    return runners.computeIfAbsent(job.id(), id -> new JobRunner(vertx, this, settings, job));
  }

  /** RUNNING -> DONE, when the job's runner has handled every work item. */
  Future<RedriveJob> finish(RedriveJob job) {
    return store.changeState(job.id(), JobState.RUNNING, JobState.DONE, job.version(), Optional.empty())
        .compose(done -> queue.deleteQueue(done.id()).map(done))
        .onSuccess(done -> metrics.job(done.id(), done.state()));
  }

  /**
   * Halts a job whose redriven events fail again too often; audited as the system's action. The runner stops first
   * (finishing the step in hand), so that once HALTED is visible the job's counts are final.
   */
  Future<RedriveJob> halt(RedriveJob job) {
    JobCounts c = job.counts();
    String why = c.failedAgain() + " of " + (c.succeeded() + c.failedAgain()) + " redriven events failed again "
        + "(more than " + Math.round(settings.halt().ratio() * 100) + "% after at least "
        + settings.halt().minOutcomes() + " outcomes)";
    JobRunner runner = runners.remove(job.id());
    Future<Void> stopped = runner == null ? Future.succeededFuture() : runner.close();
    return stopped
        .compose(v -> haltState(job.id(), why, CONTROL_ATTEMPTS))
        .compose(halted -> {
          if (halted.state() != JobState.HALTED) {
            // Cancelled (or finished) meanwhile: nothing to halt.
            return Future.succeededFuture(halted);
          }
          metrics.job(halted.id(), halted.state());
          LOG.log(System.Logger.Level.WARNING, "redrive job " + halted.id() + " halted: " + why);
          return queue.deleteQueue(halted.id())
              .compose(v -> queue.deleteOutcomes(halted.id()))
              .compose(v -> audit.record(SYSTEM_ACTOR, AuditRecord.Actions.JOB_HALT, List.of(),
                  "job " + halted.id() + " halted: " + why, Optional.empty(), Optional.empty(), Optional.empty()))
              .map(audited -> halted);
        })
        .onFailure(failure -> {
          // The job is still live but no longer run here: run it again (it checks the rule again as outcomes come).
          LOG.log(System.Logger.Level.WARNING, "redrive job " + job.id() + " could not be halted; it goes on", failure);
          runnerFor(job).drain();
        });
  }

  /** Moves a live job to HALTED, re-reading it when an operator's action moved its version meanwhile. */
  private Future<RedriveJob> haltState(String id, String why, int attempts) {
    return get(id).compose(current -> current.state().canBecome(JobState.HALTED)
        ? store.changeState(id, current.state(), JobState.HALTED, current.version(), Optional.of(why))
            .recover(f -> f instanceof JobStore.StateConflict && attempts > 1 ? haltState(id, why, attempts - 1)
                : Future.failedFuture(f))
        : Future.succeededFuture(current));
  }

  /** A runner that has nothing left to do or watch: stops it and gives its lease up. */
  void retire(JobRunner runner) {
    runner.close();
    if (runners.remove(runner.job().id(), runner)) {
      store.release(runner.job().id(), instanceId);
    }
  }

  /** A runner whose lease another instance holds now: it stops (that instance runs the job). */
  void lost(JobRunner runner) {
    LOG.log(System.Logger.Level.INFO, "redrive job " + runner.job().id() + " is run by another console now");
    runner.close();
    runners.remove(runner.job().id(), runner);
  }

  /**
   * Takes the job's lease and runs it here: drains it if RUNNING, watches its outcomes in any case. Answers whether it
   * took it (false: another instance holds it).
   */
  private Future<Boolean> adopt(RedriveJob seen) {
    if (closed || runners.containsKey(seen.id())) {
      return Future.succeededFuture(runners.containsKey(seen.id()));
    }
    if (seen.state() == JobState.DONE) {
      // A finished job is worth taking only while something it sent is still watched: one whose runner stopped
      // watching (and deleted the outcome queue) is not taken again and again until it has been quiet long enough.
      return queue.nothingWatched(seen.id()).compose(nothing -> nothing ? Future.succeededFuture(false)
          : lease(seen));
    }
    return lease(seen);
  }

  private Future<Boolean> lease(RedriveJob seen) {
    return store.lease(seen.id(), instanceId, clock.instant().plus(settings.lease())).compose(taken -> {
      if (taken.isEmpty() || closed || runners.containsKey(seen.id())) {
        return Future.succeededFuture(taken.isPresent() && runners.containsKey(seen.id()));
      }
      RedriveJob job = taken.get();
      boolean live = job.state() == JobState.RUNNING || job.state() == JobState.PAUSED;
      if (!live && !watching(job)) {
        store.release(job.id(), instanceId);
        return Future.succeededFuture(false);
      }
      metrics.job(job.id(), job.state());
      // A job created before outcome queues existed gets one now (creating is idempotent).
      Future<Void> ready = live ? queue.createOutcomes(job.id()) : Future.succeededFuture();
      return ready.map(v -> {
        if (closed) {
          store.release(job.id(), instanceId);
          return false;
        }
        LOG.log(System.Logger.Level.INFO, "redrive job " + job.id() + " (" + job.state() + ") is run here");
        runnerFor(job).drain();
        return true;
      });
    });
  }

  /** Whether a job still watches the outcomes of what it sent: DONE (not a dry run) and not quiet for too long. */
  private boolean watching(RedriveJob job) {
    return job.state() == JobState.DONE && !job.dryRun()
        && Duration.between(job.updatedAt(), clock.instant()).compareTo(JobRunner.WATCH_QUIET) <= 0;
  }

  /** Whether a job needs a runner and nobody's lease on it is current. */
  private boolean unattended(RedriveJob job, Instant now) {
    boolean wanted = job.state() == JobState.RUNNING || job.state() == JobState.PAUSED || watching(job);
    return wanted && !runners.containsKey(job.id())
        && job.lease().map(l -> l.owner().equals(instanceId) || l.until().isBefore(now)).orElse(true);
  }

  /** Looks for jobs nobody runs (their console stopped or died) and takes them. */
  private Future<Integer> adoptUnattended() {
    if (adopting || closed) {
      return Future.succeededFuture(0);
    }
    adopting = true;
    return store.list(Integer.MAX_VALUE).compose(all -> {
      Instant now = clock.instant();
      List<Future<Boolean>> taken = new ArrayList<>();
      for (RedriveJob job : all) {
        if (unattended(job, now)) {
          taken.add(adopt(job));
        }
      }
      return Future.join(taken).map(v -> (int) taken.stream().filter(f -> f.succeeded() && f.result()).count());
    }).onComplete(ar -> adopting = false);
  }

  /**
   * On start: takes the RUNNING and PAUSED jobs nobody runs (a restarted console continues where it was), and the DONE
   * ones still watching the outcomes of what they sent; then keeps looking, every
   * {@link JobSettings#leaseRenewEvery()}, for jobs whose console stopped or died. Answers how many it took at first.
   */
  public Future<Integer> resumeAll() {
    if (adoptTimer < 0 && !closed) {
      adoptTimer = vertx.setPeriodic(settings.leaseRenewEvery().toMillis(), t -> adoptUnattended()
          .onFailure(failure -> LOG.log(System.Logger.Level.WARNING,
              "could not look for redrive jobs to take over; trying again", failure)));
    }
    return adoptUnattended();
  }

  /**
   * Stops every runner after its step in hand (work items whose turn had not come are made visible again), then gives
   * their leases up so that another console takes their jobs over at once.
   */
  public Future<Void> close() {
    closed = true;
    if (adoptTimer >= 0) {
      vertx.cancelTimer(adoptTimer);
    }
    List<Future<Void>> stopped = new ArrayList<>();
    List<String> held = new ArrayList<>(runners.keySet());
    runners.values().forEach(r -> stopped.add(r.close()));
    runners.clear();
    return Future.join(stopped)
        .transform(v -> Future.join(held.stream().map(id -> store.release(id, instanceId)).toList()))
        .<Void>mapEmpty()
        .otherwise((Void) null);
  }

  /** This console instance's name in job leases. */
  public String instanceId() {
    return instanceId;
  }

  /** The job as this console's runner sees it (fresher counts than the table only by a step), if it runs it. */
  public Optional<RedriveJob> running(String id) {
    return Optional.ofNullable(runners.get(id)).map(JobRunner::job);
  }

  public JobSettings settings() {
    return settings;
  }

  JobStore store() {
    return store;
  }

  JobQueue queue() {
    return queue;
  }

  QuarantineSearch search() {
    return search;
  }

  QuarantineStore items() {
    return items;
  }

  JobMetrics metrics() {
    return metrics;
  }

  LongSupplier nanoClock() {
    return nanoClock;
  }

  Clock clock() {
    return clock;
  }

  Future<Redriven> redrive(String itemId, String actor) {
    return redrives.redrive(itemId, Optional.empty(), actor);
  }
}

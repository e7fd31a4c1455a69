package dev.sluice.console.jobs;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.auth.Principal;
import dev.sluice.console.auth.Role;
import dev.sluice.console.config.ConsoleConfig;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sluice.console.find.FilterParams;
import dev.sluice.console.http.ConsoleError;
import dev.sluice.console.http.ConsoleFailure;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.console.redrive.Redriven;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.store.QuarantineSearch;
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
 * <p>Confined to the console verticle's event loop: the runners map is touched only there, and every call returns a
 * Future composed of store, queue and redrive calls that run their SDK work on workers. The console runs as one
 * instance, so one console drives each job.
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
  private final RedriveService redrives;
  private final AuditLog audit;
  private final JobSettings settings;
  private final long operatorBulkLimit;
  private final JobMetrics metrics;
  private final Clock clock;
  private final LongSupplier nanoClock;
  private final Map<String, JobRunner> runners = new HashMap<>();

  public RedriveJobs(Vertx vertx, JobStore store, JobQueue queue, QuarantineStore items, RedriveService redrives,
      AuditLog audit, JobSettings settings, long operatorBulkLimit, JobMetrics metrics, Clock clock,
      LongSupplier nanoClock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.items = Objects.requireNonNull(items, "items");
    this.redrives = Objects.requireNonNull(redrives, "redrives");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.operatorBulkLimit = operatorBulkLimit;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** The console's jobs, on the console's engines and settings. */
  public static RedriveJobs create(Vertx vertx, JobEngines engines, ConsoleConfig config, QuarantineStore items,
      RedriveService redrives, AuditLog audit, MeterRegistry meters) {
    JobSettings settings = config.jobs();
    return new RedriveJobs(vertx, new JobStore(vertx, engines.dynamo(), settings.table(), Clock.systemUTC()),
        new JobQueue(vertx, engines.sqs(), engines.queuePrefix()), items, redrives, audit, settings,
        config.auth().operatorBulkLimit(), new JobMetrics(meters), Clock.systemUTC(), System::nanoTime);
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
    return items.search().count(itemFilter).compose(count -> {
      boolean large = count.matched() > operatorBulkLimit;
      if (large && !who.may(Role.Action.LARGE_BULK_JOB)) {
        return Future.failedFuture(new ConsoleFailure(new ConsoleError.Forbidden(who.name(), who.role().label(),
            "run a bulk job over " + operatorBulkLimit + " items (this filter matches " + count.matched() + ")")));
      }
      long maxItems = who.may(Role.Action.LARGE_BULK_JOB) ? Long.MAX_VALUE : operatorBulkLimit;
      Instant now = clock.instant();
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      RedriveJob job = new RedriveJob(id, dryRun ? JobState.DONE : JobState.RUNNING, filter, ratePerSecond, dryRun,
          who.name(), now, now, dryRun ? new JobCounts(count.matched(), 0, 0, 0, 0) : JobCounts.ZERO, maxItems,
          Optional.empty(), dryRun, 0, dryRun ? Optional.of("dry run: counted only") : Optional.empty());
      // The queue first: a job record always has its queue, so a runner (now or after a restart) can receive.
      Future<Void> queued = dryRun ? Future.succeededFuture()
          : queue.create(id).compose(v -> queue.createOutcomes(id));
      return queued
          .compose(v -> store.create(job))
          .compose(stored -> audit.record(who.name(), AuditRecord.Actions.JOB_CREATE, List.of(),
                  (dryRun ? "dry run of job " : "job ") + id + ": filter " + filter.encode() + " at " + ratePerSecond
                      + "/s; matched " + count.matched() + (count.exact() ? "" : " or more"),
                  Optional.empty(), Optional.empty(), Optional.empty())
              .map(audited -> stored))
          .map(stored -> {
            metrics.job(stored.id(), stored.state());
            if (!dryRun) {
              runnerFor(stored).drain();
            }
            return new Created(stored, count.matched(), count.exact());
          });
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
    return store.get(id).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new ConsoleFailure(new ConsoleError.JobNotFound(id)))));
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
        return Future.failedFuture(new ConsoleFailure(new ConsoleError.JobConflict(id, job.state().name(), verb)));
      }
      return store.changeState(id, job.state(), to, job.version(), Optional.empty())
          .recover(failure -> failure instanceof JobStore.StateConflict && attempts > 1
              ? changeState(id, to, verb, attempts - 1) : Future.failedFuture(failure));
    }).recover(failure -> failure instanceof JobStore.StateConflict c
        ? Future.failedFuture(new ConsoleFailure(new ConsoleError.JobConflict(id, c.current().state().name(), verb)))
        : Future.failedFuture(failure));
  }

  /** Makes this console's runner follow a state change. */
  private Future<Void> applied(RedriveJob job) {
    metrics.job(job.id(), job.state());
    JobRunner runner = runners.get(job.id());
    switch (job.state()) {
      case RUNNING -> {
        runnerFor(job).update(job);
        runnerFor(job).drain();
        return Future.succeededFuture();
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

  /** A runner that has nothing left to do or watch. */
  void retire(JobRunner runner) {
    runner.close();
    runners.remove(runner.job().id(), runner);
  }

  /**
   * On start: picks up the RUNNING and PAUSED jobs (a restarted console continues where it was), and the DONE ones
   * still watching the outcomes of what they sent.
   */
  public Future<Integer> resumeAll() {
    return store.list(Integer.MAX_VALUE).compose(all -> {
      List<Future<Void>> picked = new ArrayList<>();
      for (RedriveJob job : all) {
        if (job.state() == JobState.RUNNING || job.state() == JobState.PAUSED) {
          metrics.job(job.id(), job.state());
          // A job created before outcome queues existed gets one now (creating is idempotent).
          picked.add(queue.createOutcomes(job.id()).onSuccess(v -> runnerFor(job).drain()));
        } else if (job.state() == JobState.DONE && !job.dryRun()
            && Duration.between(job.updatedAt(), clock.instant()).compareTo(JobRunner.WATCH_QUIET) <= 0) {
          runnerFor(job);
          picked.add(Future.succeededFuture());
        }
      }
      return Future.all(picked).map(v -> picked.size());
    });
  }

  /** Stops every runner after its step in hand (work items whose turn had not come are made visible again). */
  public Future<Void> close() {
    List<Future<Void>> stopped = new ArrayList<>();
    runners.values().forEach(r -> stopped.add(r.close()));
    runners.clear();
    return Future.join(stopped).mapEmpty();
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
    return items.search();
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

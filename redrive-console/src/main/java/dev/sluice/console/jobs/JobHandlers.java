package dev.sluice.console.jobs;

import dev.sluice.console.auth.Principal;
import dev.sluice.console.json.JsonBodies;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.json.ListLimit;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.problem.Problems;
import dev.sluice.console.progress.ProgressRate;
import dev.sluice.console.progress.ProgressStreams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The bulk redrive API under {@value #API}: create (or dry-run) a job, read it, list recent ones, pause, resume and
 * cancel it, and follow its progress as server-sent events. {@code ConsoleAuth} runs before these: a POST needs the
 * CHANGE role (and the CSRF token on a cookie session); a job over the operator bulk limit needs an admin, decided
 * once the filter has been counted.
 */
public final class JobHandlers {
  public static final String API = "/api/v1/redrives";
  /** A job body carries a filter or a selection of up to 1,000 item ids, and two scalars. */
  public static final long BODY_LIMIT_BYTES = 256 * 1024;
  /** Longest item id a selection may name: ids are far shorter; this only bounds what a body may ask to look up. */
  static final int MAX_ID_LENGTH = 200;
  public static final int DEFAULT_RATE = 100;
  public static final int DEFAULT_LIST_LIMIT = 50;
  public static final int MAX_LIST_LIMIT = 200;
  static final long STREAM_TICK_MS = 250;
  static final long STREAM_EVERY_MS = 1_000;
  private static final long READ_TIMEOUT_SECONDS = 10;
  private static final Pattern JOB_ID = Pattern.compile("[a-f0-9]{16}");
  private static final List<String> BODY_FIELDS = List.of("filter", "ids", "ratePerSecond", "dryRun");

  private final RedriveJobs jobs;
  private final ProgressStreams streams;

  /** @param streams the console's progress streams, whose cap the job streams share with the others */
  public JobHandlers(RedriveJobs jobs, ProgressStreams streams) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  /** Adds the routes; called by the console verticle after {@code ConsoleAuth.install}. */
  public void install(Router router) {
    JsonBodies.post(router, API, BODY_LIMIT_BYTES, this::create);
    router.get(API).handler(this::list);
    router.get(API + "/:id").handler(this::get);
    router.get(API + "/:id/events").handler(this::events);
    router.post(API + "/:id/pause").handler(ctx -> control(ctx, jobs::pause));
    router.post(API + "/:id/resume").handler(ctx -> control(ctx, jobs::resume));
    router.post(API + "/:id/cancel").handler(ctx -> control(ctx, jobs::cancel));
  }

  /** The parsed body of a create: a filter, or a selection of item ids (non-empty) instead. */
  record CreateBody(JsonObject filter, List<String> ids, int ratePerSecond, boolean dryRun) {}

  /**
   * Reads {@code {"filter": {...}, "ratePerSecond": n, "dryRun": bool}} or {@code {"ids": [...], ...}}; bad members
   * answer 400 with their pointer.
   */
  static CreateBody parse(String text, int maxRate) {
    JsonObject body = JsonBodies.object(text, BODY_FIELDS,
        "{\"filter\": {...}, \"ratePerSecond\": n, \"dryRun\": false}");
    Object filter = body.getValue("filter");
    if (filter != null && !(filter instanceof JsonObject)) {
      throw field("/filter", "must be an object of filter fields");
    }
    Object idsValue = body.getValue("ids");
    List<String> ids = List.of();
    if (idsValue != null) {
      if (filter != null) {
        throw field("/ids", "give either a filter or a selection of ids, not both");
      }
      if (!(idsValue instanceof JsonArray array) || array.isEmpty()
          || array.size() > RedriveJobs.MAX_SELECTION) {
        throw field("/ids", "must be an array of 1 to " + RedriveJobs.MAX_SELECTION + " item ids");
      }
      List<String> read = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        Object id = array.getValue(i);
        if (!(id instanceof String s) || s.isBlank() || s.length() > MAX_ID_LENGTH) {
          throw field("/ids/" + i, "must be an item id (a non-empty string of at most " + MAX_ID_LENGTH
              + " characters)");
        }
        read.add(s);
      }
      ids = List.copyOf(read);
    }
    Object rate = body.getValue("ratePerSecond");
    int ratePerSecond = DEFAULT_RATE;
    if (rate != null) {
      if (!(rate instanceof Integer || rate instanceof Long) || ((Number) rate).longValue() < 1
          || ((Number) rate).longValue() > maxRate) {
        throw field("/ratePerSecond", "must be a whole number from 1 to " + maxRate);
      }
      ratePerSecond = ((Number) rate).intValue();
    }
    Object dry = body.getValue("dryRun");
    if (dry != null && !(dry instanceof Boolean)) {
      throw field("/dryRun", "must be true or false");
    }
    return new CreateBody((JsonObject) filter, ids, ratePerSecond, Boolean.TRUE.equals(dry));
  }

  private static ConsoleFailure field(String pointer, String reason) {
    return new ConsoleFailure(new ConsoleError.BadField(pointer, reason));
  }

  private void create(RoutingContext ctx) {
    Principal who = Principal.of(ctx);
    Future.succeededFuture()
        .compose(v -> {
          CreateBody body = parse(ctx.body().asString(), jobs.settings().maxRatePerSecond());
          return body.ids().isEmpty() ? jobs.create(body.filter(), body.ratePerSecond(), body.dryRun(), who)
              : jobs.createSelection(body.ids(), body.ratePerSecond(), body.dryRun(), who);
        })
        .onSuccess(created -> JsonReply.send(ctx, 202, new JsonObject()
            .put("id", created.job().id())
            .put("matched", created.matched())
            .put("matchedExact", created.matchedExact())
            .put("dryRun", created.job().dryRun())
            .put("job", created.job().toJson())))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> jobs.list(limit(ctx.queryParams().get("limit"))))
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(all -> JsonReply.send(ctx, 200, new JsonObject().put("jobs",
            new io.vertx.core.json.JsonArray(all.stream().map(RedriveJob::toJson).toList()))))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  static int limit(String text) {
    return ListLimit.parse(text, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
  }

  private void get(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> jobs.get(jobId(ctx)))
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(job -> JsonReply.send(ctx, 200, job.toJson()))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  private void control(RoutingContext ctx, BiFunction<String, String, Future<RedriveJob>> action) {
    Principal who = Principal.of(ctx);
    Future.succeededFuture()
        .compose(v -> action.apply(jobId(ctx), who.name()))
        .onSuccess(job -> JsonReply.send(ctx, 200, job.toJson()))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  private static String jobId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !JOB_ID.matcher(id).matches()) {
      throw new ConsoleFailure(new ConsoleError.JobNotFound(String.valueOf(id)));
    }
    return id;
  }

  /**
   * {@code text/event-stream}: a {@code progress} event (the job, plus {@code ratePerSecond} measured and
   * {@code etaSeconds}) every second and as soon as the state changes; the stream ends after a final state. The
   * running job's counts come from this console's runner (no table read); otherwise the job is read once a second.
   */
  private void events(RoutingContext ctx) {
    streams.admit()
        .compose(v -> jobs.get(jobId(ctx)))
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onFailure(failure -> Problems.send(ctx, failure))
        .onSuccess(first -> new JobStream(streams.open(ctx.response()), first).start());
  }

  /** What one client's event stream sends, and when; confined to the event loop. */
  private final class JobStream {
    private final ProgressStreams.Stream out;
    private final ProgressRate rate;
    private RedriveJob last;
    private JobState lastSentState;
    private long lastSentAt;
    private long ticks;
    private boolean reading;

    JobStream(ProgressStreams.Stream out, RedriveJob first) {
      this.out = out;
      this.last = first;
      this.rate = new ProgressRate(System.nanoTime(), first.counts().processed());
    }

    void start() {
      send();
      out.every(STREAM_TICK_MS, s -> tick());
    }

    private void tick() {
      ticks++;
      Optional<RedriveJob> local = jobs.running(last.id());
      if (local.isPresent()) {
        observe(local.get());
      } else if (ticks % (STREAM_EVERY_MS / STREAM_TICK_MS) == 0 && !reading) {
        reading = true;
        jobs.get(last.id()).onComplete(ar -> {
          reading = false;
          if (ar.succeeded()) {
            observe(ar.result());
          }
        });
      }
    }

    private void observe(RedriveJob job) {
      if (out.ended()) {
        return;
      }
      last = job;
      long now = System.nanoTime();
      if (job.state() != lastSentState || now - lastSentAt >= STREAM_EVERY_MS * 1_000_000) {
        send();
      }
    }

    private void send() {
      long now = System.nanoTime();
      rate.sample(now, last.counts().processed());
      JsonObject event = last.toJson().put("ratePerSecondMeasured", Math.round(rate.perSecond() * 10) / 10.0);
      long remaining = Math.max(0, last.counts().total() - last.counts().processed());
      rate.etaSeconds(remaining).ifPresentOrElse(eta -> event.put("etaSeconds", eta), () -> event.putNull("etaSeconds"));
      lastSentState = last.state();
      lastSentAt = now;
      out.send(event);
      if (last.state().isFinal()) {
        out.finish();
      }
    }
  }
}

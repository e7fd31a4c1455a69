package dev.sluice.console.http;

import dev.sluice.console.auth.Redaction;
import dev.sluice.console.find.FilterParams;
import dev.sluice.console.json.ItemJson;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.problem.Problems;
import dev.sluice.quarantine.find.FingerprintGroup;
import dev.sluice.quarantine.find.Groups;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.find.ItemPage;
import dev.sluice.quarantine.find.MatchCount;
import dev.sluice.quarantine.find.QuarantineSearch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/quarantine} (find: a page of items and how many match) and {@code GET
 * /api/v1/quarantine/groups} (the matches grouped by failure fingerprint). Reads only; each answer has a deadline.
 * Free text matches only in what the caller may see of an item ({@link Redaction#searchableText}).
 */
public final class FindHandlers {
  private final QuarantineSearch search;
  private final Clock clock;

  public FindHandlers(QuarantineSearch search) {
    this(search, Clock.systemUTC());
  }

  public FindHandlers(QuarantineSearch search, Clock clock) {
    this.search = Objects.requireNonNull(search, "search");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@code {"items": [...], "nextCursor": "..." | null, "count": n, "countExact": bool}}. The page and the count are
   * read in parallel; the count covers the whole filter, not only the rest after the cursor.
   */
  public void list(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> {
          FilterParams.ListRequest request = FilterParams.listRequest(ctx.queryParams());
          QuarantineSearch callers = searchFor(ctx);
          Future<ItemPage> page = callers.find(request.filter(), request.cursor(), request.limit());
          Future<MatchCount> count = callers.count(request.filter());
          return Future.all(page, count).map(both -> page(page.result(), count.result()));
        })
        .timeout(QuarantineHandlers.READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(body -> JsonReply.send(ctx, 200, body))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  /** {@code {"groups": [{fingerprint, type, reason, locus, count, firstSeen, lastSeen, sampleId}], ...}}. */
  public void groups(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> {
          ItemFilter filter = FilterParams.fromQuery(ctx.queryParams());
          return searchFor(ctx).groups(filter);
        })
        .timeout(QuarantineHandlers.READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(groups -> JsonReply.send(ctx, 200, groups(groups)))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  /** The chart's buckets: one hour each, at most a week of them. */
  static final Duration TIMELINE_BUCKET = Duration.ofHours(1);
  static final int TIMELINE_MAX_BUCKETS = 168;

  /**
   * {@code GET /api/v1/quarantine/timeline?<filters>}: items quarantined per hour and reason, for the console's chart.
   * {@code from} defaults to 24 hours before {@code to}, {@code to} to now; the range is cut to whole hours and at most
   * a week. {@code {"bucketSeconds": 3600, "starts": [...], "series": {"SCHEMA_VIOLATION": [n, ...]}, "examined",
   * "complete"}}.
   */
  public void timeline(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> {
          ItemFilter asked = FilterParams.fromQuery(ctx.queryParams());
          Instant to = asked.to().orElse(clock.instant());
          Instant end = to.truncatedTo(ChronoUnit.HOURS).plus(TIMELINE_BUCKET);
          Instant from = asked.from().orElse(end.minus(Duration.ofHours(24))).truncatedTo(ChronoUnit.HOURS);
          if (!from.isBefore(end)) {
            from = end.minus(TIMELINE_BUCKET);
          }
          long buckets = Math.min(TIMELINE_MAX_BUCKETS, Duration.between(from, end).dividedBy(TIMELINE_BUCKET));
          Instant start = end.minus(TIMELINE_BUCKET.multipliedBy(buckets));
          return searchFor(ctx).timeline(asked.within(start, end), start, TIMELINE_BUCKET, (int) buckets);
        })
        .timeout(QuarantineHandlers.READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(t -> JsonReply.send(ctx, 200, timeline(t)))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  /** The search as the caller may use it: free text matches only in what the caller may see. */
  private QuarantineSearch searchFor(RoutingContext ctx) {
    return search.matchingTextIn(Redaction.of(ctx).searchableText());
  }

  static JsonObject timeline(QuarantineSearch.Timeline t) {
    JsonArray starts = new JsonArray();
    t.starts().forEach(s -> starts.add(s.toString()));
    JsonObject series = new JsonObject();
    t.counts().forEach((reason, counts) -> {
      JsonArray values = new JsonArray();
      for (long c : counts) {
        values.add(c);
      }
      series.put(reason, values);
    });
    return new JsonObject().put("bucketSeconds", t.bucket().toSeconds()).put("starts", starts).put("series", series)
        .put("examined", t.examined()).put("complete", t.complete());
  }

  static JsonObject page(ItemPage page, MatchCount count) {
    JsonObject body = ItemJson.summaries(page.items());
    body.put("nextCursor", page.next().map(c -> c.encode()).orElse(null));
    body.put("count", count.matched());
    body.put("countExact", count.exact());
    return body;
  }

  static JsonObject groups(Groups groups) {
    JsonArray out = new JsonArray();
    for (FingerprintGroup g : groups.groups()) {
      out.add(new JsonObject()
          .put("fingerprint", g.fingerprint().id())
          .put("type", g.fingerprint().type().isEmpty() ? null : g.fingerprint().type())
          .put("reason", g.fingerprint().reason().name())
          .put("locus", g.fingerprint().locus())
          .put("count", g.count())
          .put("firstSeen", g.firstSeen().toString())
          .put("lastSeen", g.lastSeen().toString())
          .put("sampleId", g.sampleId()));
    }
    return new JsonObject().put("groups", out).put("examined", groups.examined()).put("complete", groups.complete());
  }
}

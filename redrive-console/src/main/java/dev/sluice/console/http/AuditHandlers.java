package dev.sluice.console.http;

import static dev.sluice.console.find.FilterParams.single;

import dev.sluice.console.audit.AuditCursor;
import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditPage;
import dev.sluice.console.audit.AuditQuery;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.auth.Redaction;
import dev.sluice.console.find.ItemIds;
import dev.sluice.console.fix.FixActions;
import dev.sluice.console.fix.PatchDetail;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.problem.Problems;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/audit?itemId=&actor=&action=&from=&to=&cursor=&limit=}: the operators' actions, newest first,
 * {@code {"entries": [...], "nextCursor": ...}}.
 */
public final class AuditHandlers {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  private static final Pattern ACTION = Pattern.compile("[A-Z][A-Z_]{0,39}");
  private static final Pattern ACTOR = Pattern.compile("[\\p{Print}&&[^\\p{Cntrl}]]{1,100}");

  private final AuditLog log;

  public AuditHandlers(AuditLog log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  public void list(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> {
          MultiMap p = ctx.queryParams();
          Optional<String> itemId = single(p, "itemId").map(ItemIds::checkedParameter);
          Optional<String> actor = single(p, "actor")
              .map(a -> matching("actor", a, ACTOR, "1-100 printable characters"));
          Optional<String> action = single(p, "action").map(a -> matching("action", a.toUpperCase(Locale.ROOT),
              ACTION, "an action name such as REDRIVE or DISCARD"));
          Optional<Instant> from = single(p, "from").map(t -> instant("from", t));
          Optional<Instant> to = single(p, "to").map(t -> instant("to", t));
          if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw bad("to", "must be after from");
          }
          Optional<AuditCursor> cursor = single(p, "cursor").map(c -> AuditCursor.decode(c)
              .orElseThrow(() -> bad("cursor", "not a cursor this API returned (use nextCursor as it is)")));
          int limit = single(p, "limit").map(AuditHandlers::limit).orElse(DEFAULT_LIMIT);
          return log.find(new AuditQuery(itemId, actor, action, from, to), cursor, limit);
        })
        .compose(page -> {
          Redaction redaction = Redaction.of(ctx);
          // Masking a patch's values parses and copies each entry's data: CPU work kept off the event loop.
          return redaction.masks() ? ctx.vertx().executeBlocking(() -> json(page, redaction), false)
              : Future.succeededFuture(json(page, redaction));
        })
        .timeout(QuarantineHandlers.READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(body -> JsonReply.send(ctx, 200, body))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  /**
   * The page as the caller may see it. An entry does not name its event type, so for a viewer (who sees sensitive
   * fields masked) the data before and after an edit is left out here (the item's lineage shows it masked), and a
   * patch's values are masked wherever any registered type marks the place they land sensitive
   * ({@link PatchDetail#forViewer}).
   */
  static JsonObject json(AuditPage page, Redaction redaction) {
    JsonArray entries = new JsonArray();
    page.entries().forEach(e -> {
      JsonObject entry = json(e);
      if (redaction.masks()) {
        if (FixActions.PATCH.equals(e.action())) {
          entry.put("detail", PatchDetail.read(e.detail())
              .map(p -> p.forViewer(e.before(), e.after(), redaction::dataOfAnyType))
              // Not a detail this console wrote: nothing in it can be told apart, so none of it is shown.
              .orElse(""));
        }
        if (entry.getValue("before") != null || entry.getValue("after") != null) {
          entry.put("before", (Object) null).put("after", (Object) null).put("dataHidden", true);
        }
      }
      entries.add(entry);
    });
    return new JsonObject().put("entries", entries)
        .put("nextCursor", page.next().map(AuditCursor::encode).orElse(null));
  }

  public static JsonObject json(AuditRecord e) {
    return new JsonObject()
        .put("id", e.id())
        .put("at", e.at().toString())
        .put("actor", e.actor())
        .put("action", e.action())
        .put("itemIds", new JsonArray(e.itemIds()))
        .put("detail", e.detail())
        .put("before", e.before().orElse(null))
        .put("after", e.after().orElse(null))
        .put("position", e.position().orElse(null));
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad("limit", "must be an integer between 1 and " + MAX_LIMIT);
  }

  private static Instant instant(String name, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw bad(name, "not an ISO-8601 time with offset, e.g. 2026-11-22T21:00:00Z");
    }
  }

  private static String matching(String name, String value, Pattern pattern, String expected) {
    if (!pattern.matcher(value).matches()) {
      throw bad(name, expected);
    }
    return value;
  }

  private static ConsoleFailure bad(String name, String reason) {
    return new ConsoleFailure(new BadParameter(name, reason));
  }
}

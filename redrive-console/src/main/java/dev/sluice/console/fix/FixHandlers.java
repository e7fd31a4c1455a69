package dev.sluice.console.fix;

import static dev.sluice.console.problem.ConsoleFailure.failed;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.Audited;
import dev.sluice.console.auth.Principal;
import dev.sluice.console.auth.Redaction;
import dev.sluice.console.auth.Role;
import dev.sluice.console.find.FilterParams;
import dev.sluice.console.find.ItemIds;
import dev.sluice.console.json.DiscardBody;
import dev.sluice.console.json.ItemJson;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleError.BadField;
import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleError.NoEventType;
import dev.sluice.console.problem.ConsoleError.UnknownEventType;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.problem.Problems;
import dev.sluice.console.problem.ViolationJson;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.quarantine.find.FindCursor;
import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.find.QuarantineSearch;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The "fix" endpoints of the detail view and the groups view:
 * <ul>
 *   <li>{@code POST /api/v1/quarantine/:id/validate}: checks draft data against the item's type schema (the editor
 *       calls it as the operator types);</li>
 *   <li>{@code POST /api/v1/quarantine/groups/:fingerprint/patch}: one JSON Patch over a fingerprint group, as a dry
 *       run or for real.</li>
 * </ul>
 * Nothing here blocks: store calls return Futures; validation and patching are CPU work bounded by the body limit and
 * {@link #MAX_PATCH_ITEMS}.
 */
public final class FixHandlers {
  /**
   * The most items one patch request reads and redrives. Redriven items leave the group, so repeating the request
   * continues with the next ones; a bulk redrive job covers larger sets.
   */
  public static final int MAX_PATCH_ITEMS = 1000;
  /** Redrives of one patch in flight at once: enough to overlap store and queue latency, few enough to be gentle. */
  static final int REDRIVE_CONCURRENCY = 8;
  /** Items whose sealed values are opened at once for a patch: each is at most one key read, usually none. */
  static final int OPEN_CONCURRENCY = 32;
  static final long READ_TIMEOUT_SECONDS = 10;

  private final QuarantineStore store;
  private final QuarantineSearch search;
  private final SchemaRegistry registry;
  private final RedriveService redrives;
  private final AuditLog audit;
  private final long operatorBulkLimit;
  private final RequeueBehind requeue;
  /** Masks what any version of a type marks sensitive: what the audit keeps of a patch's values. */
  private final Redaction withheld;

  public FixHandlers(QuarantineStore store, SchemaRegistry registry, RedriveService redrives, RequeueBehind requeue,
      AuditLog audit, long operatorBulkLimit) {
    this.requeue = Objects.requireNonNull(requeue, "requeue");
    this.store = Objects.requireNonNull(store, "store");
    this.search = new QuarantineSearch(store.table());
    this.registry = Objects.requireNonNull(registry, "registry");
    this.redrives = Objects.requireNonNull(redrives, "redrives");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.operatorBulkLimit = operatorBulkLimit;
    this.withheld = Redaction.masking(registry);
  }

  /**
   * {@code POST /api/v1/quarantine/:id/validate} with {@code {"data": ...}}: 200 {@code {"valid", "violations":
   * [{pointer, keyword, message}], "schemaVersion"}}. Checked against the type's latest version, the same check a
   * redrive with data makes, so "valid" here means the redrive will accept it. Pointers are rooted at the event
   * ({@code /data/...}). 422 when the item has no type or the type no schema.
   */
  public void validate(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Future.succeededFuture()
        .compose(v -> {
          String checked = ItemIds.checked(id);
          String data = draft(ctx.body().buffer());
          return ItemIds.existing(store, checked)
              .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              // Sealed values the draft carries over are judged in the clear, as the redrive will judge them.
              .compose(item -> redrives.open(item, data)
                  // Validation is metered but may still take a fifth of a second at its ceiling: off the event loop.
                  .compose(plain -> ctx.vertx().executeBlocking(() -> validation(item, plain), false)));
        })
        .onSuccess(body -> JsonReply.send(ctx, 200, body))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  JsonObject validation(QuarantineItem item, String data) {
    String type = item.eventType().orElseThrow(() -> new ConsoleFailure(new NoEventType(item.id())));
    SchemaVersion latest = registry.state().latest(type)
        .orElseThrow(() -> new ConsoleFailure(new UnknownEventType(type)));
    Validation validation = latest.validate(data);
    JsonObject body = new JsonObject().put("schemaVersion", latest.version());
    if (validation instanceof Validation.Invalid invalid) {
      return body.put("valid", false).put("violations", ViolationJson.of(invalid.violations()));
    }
    if (validation instanceof Validation.Malformed m) {
      // The draft was re-encoded from parsed JSON, so this cannot happen; say it plainly if it does.
      throw new ConsoleFailure(new BadBody("the data is not JSON: " + m.message()));
    }
    return body.put("valid", true).put("violations", new JsonArray());
  }

  /** The draft: {@code data} is required here (validating nothing says nothing). */
  static String draft(Buffer buffer) {
    JsonObject body = object(buffer);
    for (String name : body.fieldNames()) {
      if (!"data".equals(name)) {
        throw new ConsoleFailure(new BadField("/" + name, "unknown member: the body takes only 'data'"));
      }
    }
    if (!body.containsKey("data")) {
      throw new ConsoleFailure(new BadField("/data", "required: the draft data to check"));
    }
    return Json.encode(body.getValue("data"));
  }

  /**
   * {@code POST /api/v1/quarantine/groups/:fingerprint/patch} with {@code {"patch": [...], "dryRun": bool}} (dryRun
   * defaults to true: a preview unless asked otherwise) and optionally the list filter's query parameters to narrow
   * the group. Only QUARANTINED items are patched (a patch ends in a redrive).
   *
   * <p>The answer is always the plan (see {@link PatchPlan#report()}); a real run adds {@code "redriven": [id...]}
   * and {@code "failed": [{id, status, detail}]} (an item someone else redrove meanwhile gets its 409 here, and the
   * others go on). Each redriven item gets one PATCH audit entry with its data before and after.
   */
  public void patchGroup(RoutingContext ctx) {
    Future.succeededFuture()
        .compose(v -> {
          PatchRequest request = patchRequest(ctx);
          return collect(request.filter(), Optional.empty(), new ArrayList<>())
              .compose(items -> {
                boolean truncated = items.size() > MAX_PATCH_ITEMS;
                List<QuarantineItem> capped = truncated ? items.subList(0, MAX_PATCH_ITEMS) : items;
                // Up to MAX_PATCH_ITEMS validations, each within the per-event ceiling: on a worker, never the loop.
                return opened(capped).compose(opened -> ctx.vertx().executeBlocking(
                    () -> PatchPlan.of(request.patch(), capped, registry, truncated, opened), false));
              })
              .compose(plan -> {
                if (request.dryRun()) {
                  return Future.succeededFuture(plan.report());
                }
                Principal principal = Principal.of(ctx);
                if (plan.applicable().size() > operatorBulkLimit && !principal.may(Role.Action.LARGE_BULK_JOB)) {
                  return failed(new ConsoleError.Forbidden(principal.name(), principal.role().label(),
                      "patch more than " + operatorBulkLimit + " items at once (" + plan.applicable().size()
                          + " match); narrow the filter or ask an admin"));
                }
                return apply(plan, request, principal.name());
              });
        })
        .onSuccess(body -> JsonReply.send(ctx, 200, body))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  record PatchRequest(String fingerprint, ItemFilter filter, JsonPatch patch, String patchText, boolean dryRun) {}

  static PatchRequest patchRequest(RoutingContext ctx) {
    String fingerprint = ctx.pathParam("fingerprint");
    if (!Fingerprint.isId(fingerprint)) {
      throw new ConsoleFailure(new BadParameter("fingerprint", "not a fingerprint (16 lower-case hex digits)"));
    }
    ItemFilter filter = FilterParams.fromQuery(ctx.queryParams());
    if (filter.status().isPresent() && filter.status().get() != QuarantineStatus.QUARANTINED) {
      throw new ConsoleFailure(new BadParameter("status", "a patch ends in a redrive, so it applies to "
          + "QUARANTINED items only"));
    }
    if (filter.fingerprint().isPresent() && !filter.fingerprint().get().equals(fingerprint)) {
      throw new ConsoleFailure(new BadParameter("fingerprint", "differs from the fingerprint in the path"));
    }
    JsonObject body = object(ctx.body().buffer());
    for (String name : body.fieldNames()) {
      if (!"patch".equals(name) && !"dryRun".equals(name)) {
        throw new ConsoleFailure(new BadField("/" + name, "unknown member: the body takes 'patch' and 'dryRun'"));
      }
    }
    Object dryRun = body.getValue("dryRun", Boolean.TRUE);
    if (!(dryRun instanceof Boolean dry)) {
      throw new ConsoleFailure(new BadField("/dryRun", "must be true or false"));
    }
    if (!body.containsKey("patch")) {
      throw new ConsoleFailure(new BadField("/patch", "required: a JSON Patch (RFC 6902) array"));
    }
    JsonPatch.Parsed parsed = JsonPatch.parse(body.getValue("patch"), EventView::writable, EventView.WRITABLE);
    if (parsed instanceof JsonPatch.Refused r) {
      throw new ConsoleFailure(new BadField("/patch" + r.error().pointer(), r.error().reason()));
    }
    JsonPatch patch = ((JsonPatch.Ok) parsed).patch();
    if (patch.operations().isEmpty()) {
      throw new ConsoleFailure(new BadField("/patch", "an empty patch changes nothing"));
    }
    return new PatchRequest(fingerprint, filter.withFingerprint(fingerprint).withStatus(QuarantineStatus.QUARANTINED),
        patch, Json.encode(body.getValue("patch")), dry);
  }

  /** Reads pages until one more than {@link #MAX_PATCH_ITEMS} (to tell "exactly the cap" from "more") or the end. */
  private Future<List<QuarantineItem>> collect(ItemFilter filter, Optional<FindCursor> cursor,
      List<QuarantineItem> sofar) {
    int wanted = MAX_PATCH_ITEMS + 1 - sofar.size();
    return search.find(filter, cursor, Math.min(FilterParams.MAX_LIMIT, wanted))
        .timeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .compose(page -> {
          sofar.addAll(page.items());
          if (page.next().isEmpty() || sofar.size() > MAX_PATCH_ITEMS) {
            return Future.succeededFuture(sofar);
          }
          return collect(filter, page.next(), sofar);
        });
  }

  /**
   * Redrives the plan's applicable items with their patched data, {@link #REDRIVE_CONCURRENCY} at a time. Each goes
   * through the same flow as a single redrive with data: status check, validation, the conditional QUARANTINED ->
   * REDRIVEN write storing the data, then the queue. Items the plan left out are never written.
   */
  private Future<JsonObject> apply(PatchPlan plan, PatchRequest request, String actor) {
    JsonObject report = plan.report();
    JsonArray redriven = new JsonArray();
    JsonArray failed = new JsonArray();
    List<PatchPlan.Applicable> todo = plan.applicable();
    Future<Void> chain = Future.succeededFuture();
    for (int start = 0; start < todo.size(); start += REDRIVE_CONCURRENCY) {
      List<PatchPlan.Applicable> batch = todo.subList(start, Math.min(todo.size(), start + REDRIVE_CONCURRENCY));
      chain = chain.compose(v -> {
        List<Future<Void>> inFlight = new ArrayList<>();
        for (PatchPlan.Applicable a : batch) {
          inFlight.add(redriveOne(a, request, actor)
              .onSuccess(done -> redriven.add(a.item().id()))
              .recover(failure -> {
                var problem = Problems.of(failure);
                failed.add(new JsonObject().put("id", a.item().id()).put("status", problem.status())
                    .put("detail", problem.detail()));
                return Future.succeededFuture();
              }));
        }
        return Future.join(inFlight).mapEmpty();
      });
    }
    return chain.map(v -> report.put("redriven", redriven).put("failed", failed));
  }

  private Future<Void> redriveOne(PatchPlan.Applicable a, PatchRequest request, String actor) {
    QuarantineItem item = a.item();
    // The redrive opens nothing more (the data is in the clear), checks it, and stores it sealed again.
    return redrives.redrive(item.id(), Optional.of(a.after()), actor)
        .compose(done -> Audited.result((Void) null, audit.record(actor, FixActions.PATCH, List.of(item.id()),
                auditedDetail(request, a), EventView.currentData(item), done.item().editedData(), Optional.empty()),
            "item " + item.id() + " was patched and redriven"));
  }

  /**
   * The patch as the audit keeps it: for a type that marks values sensitive, each operation's value that lands at or
   * in a marked value withheld, as a viewer would see it; the entry's before and after hold the data as stored
   * (sealed), never in the clear.
   */
  private String auditedDetail(PatchRequest request, PatchPlan.Applicable a) {
    PatchDetail detail = PatchDetail.of(request.fingerprint(), request.patchText());
    String type = a.item().eventType().orElse("");
    boolean marks = registry.state().versions(type).stream().anyMatch(v -> v.marks().any());
    return marks ? detail.forViewer(Optional.of(a.before()), Optional.of(a.after()), d -> withheld.data(type, d))
        : detail.text();
  }

  /**
   * The items' current data with their sealed values opened, a few items at a time (a subject's key is read once and
   * cached). An item whose values do not open is left out of the patch with why; a key outage fails the request.
   */
  private Future<OpenedItems> opened(List<QuarantineItem> items) {
    Map<String, String> opened = new ConcurrentHashMap<>();
    Map<String, String> refused = new ConcurrentHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int start = 0; start < items.size(); start += OPEN_CONCURRENCY) {
      List<QuarantineItem> batch = items.subList(start, Math.min(items.size(), start + OPEN_CONCURRENCY));
      chain = chain.compose(v -> {
        List<Future<Void>> inFlight = new ArrayList<>();
        for (QuarantineItem item : batch) {
          Optional<String> data = EventView.currentData(item);
          if (data.isEmpty()) {
            continue;
          }
          inFlight.add(redrives.open(item, data.get())
              .<Void>map(plain -> {
                opened.put(item.id(), plain);
                return null;
              })
              .recover(failure -> {
                if (failure instanceof ConsoleFailure f && f.error() instanceof ConsoleError.InvalidData invalid) {
                  refused.put(item.id(), "its sealed values do not open: " + invalid.violations().get(0).pointer()
                      + " " + invalid.violations().get(0).message());
                  return Future.succeededFuture();
                }
                return Future.failedFuture(failure);
              }));
        }
        return Future.all(inFlight).mapEmpty();
      });
    }
    return chain.map(v -> new OpenedItems(opened, refused));
  }

  /**
   * {@code POST /api/v1/quarantine/:id/requeue-behind} with {@code {"reason": "..."}} (mandatory): the events parked
   * behind this head go first, the head is retried after them ({@link RequeueBehind}). 202 with the head's summary,
   * {@code appendedTo: {topic, partition, offset}} (where its retry went) and {@code parkedBehind: [id...]} (what goes
   * first, in order). 409 when it is not QUARANTINED or nothing is parked behind it.
   */
  public void requeueBehind(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Future.succeededFuture()
        .compose(v -> {
          String checked = ItemIds.checked(id);
          String reason = DiscardBody.reason(ctx.body().buffer());
          String actor = Principal.of(ctx).name();
          return requeue.requeue(checked, reason, actor)
              .compose(done -> Audited.result(done, audit.record(actor, FixActions.REQUEUE_BEHIND, List.of(checked),
                  reason + " (behind " + done.parked().size() + " parked item(s))", Optional.empty(),
                  Optional.empty(), Optional.of(done.appendedTo().position())),
                  "item " + checked + " was requeued behind its parked items"));
        })
        .onSuccess(done -> JsonReply.send(ctx, 202, ItemJson.summary(done.head())
            .put("appendedTo", new JsonObject().put("topic", done.appendedTo().topic())
                .put("partition", done.appendedTo().partition()).put("offset", done.appendedTo().offset()))
            .put("parkedBehind", new JsonArray(done.parked().stream().map(p -> (Object) p.id()).toList()))))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  static JsonObject object(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw new ConsoleFailure(new BadBody("a JSON object body is required"));
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new ConsoleFailure(new BadBody("the body is not JSON: " + bounded(String.valueOf(e.getMessage()))));
    }
    if (!(parsed instanceof JsonObject o)) {
      throw new ConsoleFailure(new BadBody("the body must be a JSON object"));
    }
    return o;
  }

  static String bounded(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }
}

package dev.sluice.console.http;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.audit.AuditPage;
import dev.sluice.console.audit.AuditQuery;
import dev.sluice.console.auth.Redaction;
import dev.sluice.console.find.ItemIds;
import dev.sluice.console.json.JsonReply;
import dev.sluice.console.lineage.Lineage;
import dev.sluice.console.problem.Problems;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/quarantine/:id/lineage}: the item's story ({@link Lineage}) and the items PARKED behind it
 * (same group, partition and key, later offsets), read from the open-lane index, in the order they will be released.
 */
public final class LineageHandlers {
  /** Audit entries of one item read for its lineage; an item with more shows the newest. */
  static final int MAX_AUDIT_ENTRIES = 200;

  private final QuarantineStore store;
  private final AuditLog audit;

  public LineageHandlers(QuarantineStore store, AuditLog audit) {
    this.store = Objects.requireNonNull(store, "store");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  public void lineage(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ItemIds.existing(store, id)
        .compose(item -> {
          Future<AuditPage> entries = audit.find(new AuditQuery(Optional.of(item.id()), Optional.empty(),
              Optional.empty(), Optional.empty(), Optional.empty()), Optional.empty(), MAX_AUDIT_ENTRIES);
          Future<List<OpenItem>> parked = parkedBehind(item);
          return Future.all(entries, parked).map(both -> json(item, entries.result(), parked.result(),
              Redaction.of(ctx)));
        })
        .timeout(QuarantineHandlers.READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onSuccess(body -> JsonReply.send(ctx, 200, body))
        .onFailure(failure -> Problems.send(ctx, failure));
  }

  private Future<List<OpenItem>> parkedBehind(QuarantineItem item) {
    if (item.partition() < 0 || item.key().isEmpty()) {
      // Never appended (ingress) or keyless: nothing waits behind it.
      return Future.succeededFuture(List.of());
    }
    return store.openItems(item.group(), item.topic(), item.partition())
        .map(open -> open.stream()
            .filter(o -> o.status() == QuarantineStatus.PARKED && o.key().equals(item.key())
                && o.offset() > item.offset())
            .sorted(Comparator.comparingLong(OpenItem::offset))
            .toList());
  }

  static JsonObject json(QuarantineItem item, AuditPage entries, List<OpenItem> parked, Redaction redaction) {
    JsonArray steps = new JsonArray();
    for (Lineage.Step s : Lineage.of(item, entries.entries())) {
      steps.add(new JsonObject()
          .put("at", s.at().toString())
          .put("stage", s.stage())
          .put("actor", s.actor())
          .put("detail", s.detail())
          .put("position", s.position().orElse(null))
          .put("before", s.before().map(d -> redaction.itemData(item, d)).orElse(null))
          .put("after", s.after().map(d -> redaction.itemData(item, d)).orElse(null))
          // Not payload data: shown to viewers as it is, like the attempt's error message.
          .put("stackTrace", s.stackTrace().orElse(null)));
    }
    JsonArray behind = new JsonArray();
    for (OpenItem o : parked) {
      behind.add(new JsonObject().put("id", o.id()).put("status", o.status().name()).put("offset", o.offset())
          .put("quarantinedAt", o.quarantinedAt().toString()));
    }
    return new JsonObject().put("id", item.id()).put("lineage", steps).put("parkedBehind", behind);
  }
}

package dev.sluice.console.fix;

import dev.sluice.console.problem.ViolationJson;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one patch does to each item of a group, worked out before anything is written: pure, so the dry run and the
 * real run agree by construction (the real run redrives exactly the {@link Applicable} items of its own plan).
 */
public record PatchPlan(List<ItemOutcome> outcomes, boolean truncated) {
  public PatchPlan {
    outcomes = List.copyOf(outcomes);
  }

  /** How many items the dry run shows in full (before and after). */
  public static final int SAMPLE_SIZE = 5;

  public sealed interface ItemOutcome {
    QuarantineItem item();
  }

  /** The patch applies and the result passes the type's schema: a real run redrives {@code after}. */
  public record Applicable(QuarantineItem item, String before, String after) implements ItemOutcome {}

  /** The patch applies but the result still breaks the schema; left untouched. */
  public record StillInvalid(QuarantineItem item, String before, String after, List<Violation> violations)
      implements ItemOutcome {}

  /** The patch cannot be applied (or the item cannot take data: not QUARANTINED, no schema...); left untouched. */
  public record NotApplicable(QuarantineItem item, String reason) implements ItemOutcome {}

  /**
   * Applies {@code patch} to each item's event view and validates the resulting data against the type's schema.
   * {@code opened} holds the items' data with their sealed values opened (a patch applies to, and the schema judges,
   * the values in the clear, as the redrive will); an item it has no data for is patched as it is stored.
   */
  public static PatchPlan of(JsonPatch patch, List<QuarantineItem> items, SchemaRegistry registry, boolean truncated,
      OpenedItems opened) {
    Objects.requireNonNull(patch, "patch");
    List<ItemOutcome> out = new ArrayList<>();
    for (QuarantineItem item : items) {
      out.add(outcome(patch, item, registry, opened));
    }
    return new PatchPlan(out, truncated);
  }

  /** As the other, for items with nothing sealed. */
  public static PatchPlan of(JsonPatch patch, List<QuarantineItem> items, SchemaRegistry registry, boolean truncated) {
    return of(patch, items, registry, truncated, OpenedItems.NONE);
  }

  static ItemOutcome outcome(JsonPatch patch, QuarantineItem item, SchemaRegistry registry, OpenedItems opened) {
    if (item.eventType().isEmpty()) {
      return new NotApplicable(item, "the item is not a CloudEvent: it has no type, so no schema to check against");
    }
    Optional<String> unopened = opened.refusal(item.id());
    if (unopened.isPresent()) {
      return new NotApplicable(item, unopened.get());
    }
    Optional<String> copiesMarked = copiesMarkedValue(patch, registry.state().latest(item.eventType().get())
        .map(SchemaVersion::marks).orElse(SensitiveMarks.NONE));
    if (copiesMarked.isPresent()) {
      return new NotApplicable(item, copiesMarked.get());
    }
    Optional<JsonObject> view = opened.data(item.id()).map(data -> EventView.of(item, data))
        .orElseGet(() -> EventView.of(item));
    if (view.isEmpty()) {
      return new NotApplicable(item, "the event's data is not JSON");
    }
    String before = Json.encode(view.get().getValue("data"));
    JsonPatch.Outcome applied = patch.apply(view.get());
    if (applied instanceof JsonPatch.NotApplicable n) {
      return new NotApplicable(item, n.reason());
    }
    Object result = ((JsonPatch.Applied) applied).result();
    if (!(result instanceof JsonObject event) || !event.containsKey("data")) {
      return new NotApplicable(item, "the patch removes /data");
    }
    String after = Json.encode(event.getValue("data"));
    Validation validation = registry.validate(item.eventType().get(), after);
    if (validation instanceof Validation.Valid) {
      return new Applicable(item, before, after);
    }
    if (validation instanceof Validation.Invalid invalid) {
      return new StillInvalid(item, before, after, invalid.violations());
    }
    if (validation instanceof Validation.UnknownType) {
      return new NotApplicable(item, "no schema is registered for type " + item.eventType().get());
    }
    return new NotApplicable(item, "the patched data is not JSON");
  }

  /**
   * Why the patch may not be applied to data these marks cover, if it may not: a {@code copy} or {@code move} from a
   * value marked sensitive, or from a part of the data holding one, would put the value in the clear where no mark
   * seals it again.
   */
  static Optional<String> copiesMarkedValue(JsonPatch patch, SensitiveMarks marks) {
    if (!marks.any()) {
      return Optional.empty();
    }
    for (JsonPatch.Operation op : patch.operations()) {
      if (op.from().isEmpty() || !op.from().get().startsWith(EventView.DATA)) {
        continue;
      }
      List<String> from = op.from().get().tokens().subList(1, op.from().get().tokens().size());
      String inData = new JsonPointer(from).toString();
      boolean marked = marks.markCovering(inData).isPresent()
          || marks.paths().stream().anyMatch(path -> holds(from, JsonPointer.parse(path).orElse(JsonPointer.ROOT)));
      if (marked) {
        return Optional.of("the patch would " + op.op().name().toLowerCase(java.util.Locale.ROOT) + " a value "
            + "marked sensitive (from /data" + inData + "); such values are changed in place, never copied or moved");
      }
    }
    return Optional.empty();
  }

  /** Whether the part of the data at {@code from} holds a marked place {@code path} ({@code *}: any token). */
  private static boolean holds(List<String> from, JsonPointer path) {
    List<String> p = path.tokens();
    if (p.size() < from.size()) {
      return false;
    }
    for (int i = 0; i < from.size(); i++) {
      if (!"*".equals(p.get(i)) && !p.get(i).equals(from.get(i))) {
        return false;
      }
    }
    return true;
  }

  public List<Applicable> applicable() {
    return outcomes.stream().filter(Applicable.class::isInstance).map(Applicable.class::cast).toList();
  }

  /**
   * The dry-run answer: {@code {"matched", "applicable", "truncated", "sample": [{id, before, after, valid}],
   * "notApplicable": [{id, reason}], "stillInvalid": [{id, violations}]}}. The sample is the first items the patch
   * applied to, valid or not, so a patch that breaks every item still shows what it did.
   */
  public JsonObject report() {
    JsonArray sample = new JsonArray();
    JsonArray notApplicable = new JsonArray();
    JsonArray stillInvalid = new JsonArray();
    for (ItemOutcome o : outcomes) {
      if (o instanceof Applicable a && sample.size() < SAMPLE_SIZE) {
        sample.add(sampleEntry(a.item(), a.before(), a.after(), true));
      } else if (o instanceof StillInvalid s) {
        if (sample.size() < SAMPLE_SIZE) {
          sample.add(sampleEntry(s.item(), s.before(), s.after(), false));
        }
        stillInvalid.add(new JsonObject().put("id", s.item().id())
            .put("violations", ViolationJson.of(s.violations())));
      } else if (o instanceof NotApplicable n) {
        notApplicable.add(new JsonObject().put("id", n.item().id()).put("reason", n.reason()));
      }
    }
    return new JsonObject()
        .put("matched", outcomes.size())
        .put("applicable", applicable().size())
        .put("truncated", truncated)
        .put("sample", sample)
        .put("notApplicable", notApplicable)
        .put("stillInvalid", stillInvalid);
  }

  private static JsonObject sampleEntry(QuarantineItem item, String before, String after, boolean valid) {
    return new JsonObject()
        .put("id", item.id())
        .put("before", Json.decodeValue(before))
        .put("after", Json.decodeValue(after))
        .put("valid", valid);
  }
}

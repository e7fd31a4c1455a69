package dev.sluice.console.fix;

import dev.sluice.console.problem.ViolationJson;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.registry.SchemaRegistry;
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

  /** Applies {@code patch} to each item's event view and validates the resulting data against the type's schema. */
  public static PatchPlan of(JsonPatch patch, List<QuarantineItem> items, SchemaRegistry registry, boolean truncated) {
    Objects.requireNonNull(patch, "patch");
    List<ItemOutcome> out = new ArrayList<>();
    for (QuarantineItem item : items) {
      out.add(outcome(patch, item, registry));
    }
    return new PatchPlan(out, truncated);
  }

  static ItemOutcome outcome(JsonPatch patch, QuarantineItem item, SchemaRegistry registry) {
    if (item.eventType().isEmpty()) {
      return new NotApplicable(item, "the item is not a CloudEvent: it has no type, so no schema to check against");
    }
    Optional<JsonObject> view = EventView.of(item);
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

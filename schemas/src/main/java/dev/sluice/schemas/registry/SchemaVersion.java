package dev.sluice.schemas.registry;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.RelaxedSchema;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.marks.ViolationScrub;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * One registered version of an event type's schema, compiled once.
 *
 * <p>A version keeps what compiling it gave. A version that the registry's log holds but that today's rules refuse
 * (it was registered before a limit existed, such as the pattern size limit) keeps its number, so later versions keep
 * theirs, but is <em>unusable</em>: every validation against it answers with one violation saying why, and the fix is
 * to register a new version.
 *
 * @param fingerprint SHA-256 of the canonical form of {@code schemaJson}: posting the same schema twice finds it
 * @param compilation the {@link SchemaCompiler.Compiled} schema, or why it was {@link SchemaCompiler.Refused}
 */
public record SchemaVersion(
    String type, int version, String schemaJson, String fingerprint, SchemaCompiler.Result compilation) {
  /** The violation keyword of a validation stopped by its {@link CostMeter}. */
  public static final String COST_KEYWORD = "validation-cost";
  /** The violation keyword of a validation against an unusable version. */
  public static final String UNUSABLE_KEYWORD = "schema-unusable";

  public SchemaVersion {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(schemaJson, "schemaJson");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(compilation, "compilation");
    if (version < 1) {
      throw new IllegalArgumentException("schema versions start at 1, was " + version);
    }
  }

  /** A version of {@code schemaJson}, compiled now. */
  public static SchemaVersion compile(String type, int version, String schemaJson) {
    return new SchemaVersion(
        type, version, schemaJson, SchemaFingerprint.of(schemaJson), SchemaCompiler.compile(schemaJson));
  }

  /** Whether events can be validated against this version. */
  public boolean usable() {
    return compilation instanceof SchemaCompiler.Compiled;
  }

  /** Why this version cannot be used; empty when it can. */
  public List<SchemaProblem> problems() {
    return compilation instanceof SchemaCompiler.Refused r ? r.problems() : List.of();
  }

  /**
   * The values this version marks sensitive and its data subject. An unusable version validates nothing, but its
   * marks are still read from its text (cautiously), so that nothing treats its data as unmarked.
   */
  public SensitiveMarks marks() {
    return compilation instanceof SchemaCompiler.Compiled c ? c.marks() : SensitiveMarks.of(schemaJson);
  }

  /**
   * Validates the JSON text of an event's {@code data} within the per-event {@link CostMeter#EVENT_CEILING}.
   * Violation pointers are rooted at the event ({@code /data/...}). For a version that marks values sensitive, no
   * answer quotes a marked value: such violations are {@link ViolationScrub scrubbed}, and a malformed text is
   * described without Jackson's excerpt of it.
   */
  public Validation validate(String dataJson) {
    return validate(dataJson, CostMeter.forOneEvent());
  }

  /** Validates within what {@code meter} has left (a caller may share one meter between the events of a request). */
  public Validation validate(String dataJson, CostMeter meter) {
    return validate(dataJson, meter, false, null);
  }

  /**
   * Validates sealed data, in which each marked value may have been replaced (by a ciphertext or a placeholder): with
   * the {@link RelaxedSchema relaxed} schema, which accepts anything where a value is marked and checks the rest as
   * {@link #validate} does. For a version that marks nothing, the same as {@link #validate}.
   */
  public Validation validateSealed(String dataJson) {
    return validate(dataJson, CostMeter.forOneEvent(), true, null);
  }

  /**
   * As {@link #validateSealed(String)}, locating the marked values in the same parse: when the data is JSON,
   * {@code tracker}'s {@link MarkedLocations.Tracker#located()} then holds what {@link MarkedLocations#locate} finds.
   */
  public Validation validateSealed(String dataJson, MarkedLocations.Tracker tracker) {
    return validate(dataJson, CostMeter.forOneEvent(), true, tracker);
  }

  /** As {@link #validate(String, CostMeter)}, locating the marked values in the same parse, as above. */
  public Validation validate(String dataJson, CostMeter meter, MarkedLocations.Tracker tracker) {
    return validate(dataJson, meter, false, tracker);
  }

  private Validation validate(String dataJson, CostMeter meter, boolean sealed, MarkedLocations.Tracker tracker) {
    JsonValues.Parsed parsed;
    try {
      parsed = JsonValues.parseJudged(dataJson, tracker);
    } catch (JsonValues.MalformedJsonException e) {
      return new Validation.Malformed(marks().any() ? e.withoutExcerpt() : e.getMessage());
    }
    if (!(compilation instanceof SchemaCompiler.Compiled compiled)) {
      return new Validation.Invalid(List.of(new Violation("/data", UNUSABLE_KEYWORD, "schema version " + version
          + " of " + type + " cannot be used to validate events: " + ((SchemaCompiler.Refused) compilation).problems()
              .stream().map(p -> (p.pointer().isEmpty() ? "" : p.pointer() + ": ") + p.message())
              .collect(Collectors.joining("; "))
          + "; register a new version")));
    }
    if (compiled.usesUniqueItems() && !meter.charge(uniqueItemsBound(parsed.judged()))) {
      return costly(meter);
    }
    Schema schema = sealed ? compiled.relaxed() : compiled.schema();
    Validation result = meter.during(() -> {
      try {
        // Judged with numbers in their canonical form (1.0 is an integer); the caller gets the values as written.
        schema.validate(parsed.judged());
        return new Validation.Valid(parsed.written());
      } catch (ValidationException e) {
        List<Violation> out = new ArrayList<>();
        flatten(e, out);
        return new Validation.Invalid(compiled.marks().any() && !sealed ? scrubbed(compiled.marks(), dataJson, out)
            : out);
      }
    });
    // A refused match reads as a mismatch to everit, so its violations are not the verdict: the cost is.
    return meter.exhausted() ? costly(meter) : result;
  }

  /** Violations that quote no marked value; when the values cannot be located, every violation is made generic. */
  private static List<Violation> scrubbed(SensitiveMarks marks, String dataJson, List<Violation> violations) {
    return MarkedLocations.locate(marks, dataJson)
        .map(located -> ViolationScrub.scrub(violations, dataJson, located.values()))
        .orElseGet(() -> violations.stream()
            .map(v -> new Violation(v.pointer(), v.keyword(), ViolationScrub.generic(v.keyword())))
            .distinct()
            .toList());
  }

  private static Validation costly(CostMeter meter) {
    return new Validation.Invalid(List.of(new Violation("/data", COST_KEYWORD, "validating this data would take more "
        + "than " + meter.ceiling() + " steps (each string matched against a pattern costs its length times the "
        + "pattern's size; with uniqueItems, each array costs its items times its weight); the largest single piece "
        + "of work was " + meter.largestCharge() + " steps: shorten the strings or arrays, or simplify the schema")));
  }

  /**
   * A bound on the comparisons everit's {@code uniqueItems} check can make over {@code value}: it compares each item
   * with every earlier one, and one comparison of two items costs at most the smaller one's weight (its nodes and
   * string lengths). Summed over pairs that is at most (n - 1) times the array's weight. Every array in the data is
   * charged: which of them a {@code uniqueItems} applies to is only known while validating.
   */
  static long uniqueItemsBound(Object value) {
    long[] total = new long[1];
    weigh(value, total);
    return total[0];
  }

  /** The weight of {@code value} (nodes, plus string lengths in 32-character words); adds its arrays' charges. */
  private static long weigh(Object value, long[] charges) {
    if (value instanceof JSONObject o) {
      long w = 1;
      for (String key : o.keySet()) {
        w = saturated(w + weigh(o.get(key), charges));
      }
      return w;
    }
    if (value instanceof JSONArray a) {
      long w = 1;
      long items = 0;
      for (int i = 0; i < a.length(); i++) {
        items = saturated(items + weigh(a.get(i), charges));
      }
      if (a.length() > 1) {
        charges[0] = saturated(charges[0] + saturatedProduct(a.length() - 1L, items));
      }
      return saturated(w + items);
    }
    return value instanceof String s ? 1 + s.length() / 32 : 1;
  }

  private static long saturated(long v) {
    return Math.min(v, PatternProgram.SATURATED);
  }

  private static long saturatedProduct(long a, long b) {
    return a != 0 && b > PatternProgram.SATURATED / a ? PatternProgram.SATURATED : saturated(a * b);
  }

  /** everit nests failures; the leaves are the individual violations. */
  private static void flatten(ValidationException e, List<Violation> out) {
    if (e.getCausingExceptions().isEmpty()) {
      out.add(toViolation(e));
      return;
    }
    for (ValidationException cause : e.getCausingExceptions()) {
      flatten(cause, out);
    }
  }

  private static Violation toViolation(ValidationException e) {
    String pointer = "/data" + e.getPointerToViolation().replaceFirst("^#", "");
    String keyword = e.getKeyword() == null ? "schema" : e.getKeyword();
    if ("required".equals(keyword)) {
      // everit points at the object; point at the missing member instead, where the fix goes.
      String missing = e.getErrorMessage().replaceFirst("^required key \\[(.*)\\] not found$", "$1");
      if (!missing.equals(e.getErrorMessage())) {
        pointer = pointer + "/" + JsonPointers.escape(missing);
      }
    }
    return new Violation(pointer, keyword, e.getErrorMessage());
  }
}

package dev.sluice.schemas.compat;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.SchemaDocument.Node;
import dev.sluice.schemas.registry.JsonValues;
import dev.sluice.schemas.registry.SchemaCompiler;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Walks a writer schema and a reader schema in parallel and lists every way the reader rejects a value the writer
 * accepted. Sound where it reasons (required, type, enum/const, properties and additionalProperties, items, numeric and
 * length bounds, multipleOf, pattern, format, uniqueItems, local $ref) and conservative elsewhere: a difference in a
 * keyword it does not reason about is reported as {@code unsupported-change}. Widening is never reported.
 *
 * <p>Order is the walk order: at each schema the checks run in the order of the methods below, members in name order.
 *
 * <p>Data paths. Each pair of schemas is compared at a place of the data ({@code /price}, {@code /items/*}, ...), and a
 * change says which places it is about ({@link BreakingChange#paths}). A definition used in several places is compared
 * once per place, so that each place is named, within {@link #MAX_REVISITS} extra comparisons for the whole walk (past
 * it, a pair already compared is not compared again, as for recursion). A recursive definition is compared once per
 * place it is entered from: the recursion itself ends the walk, so a change inside it names its shallowest place.
 */
final class Narrowing {
  /** JSON Schema's primitive types, in the order used when listing them. */
  private static final List<String> KINDS = List.of("null", "boolean", "object", "array", "string", "integer", "number");
  /** Writer side "anything": an absent schema, {@code true}, or a writer reference that does not resolve. */
  private static final Node ANY = new Node(Boolean.TRUE, null);
  /** Keywords validated against the same value that this walker does not reason about. */
  private static final List<String> SAME_VALUE_UNSUPPORTED =
      List.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else");
  /**
   * Comparisons of a pair already compared at another place of the data, for the whole walk: naming every place a
   * shared definition is used costs a walk of it per place, and definitions that use each other twice over would
   * double that at each level.
   */
  static final int MAX_REVISITS = 10_000;

  private final SchemaDocument writer;
  private final SchemaDocument reader;
  private final List<BreakingChange> out = new ArrayList<>();
  /** Per (writer pointer, reader pointer) pair, the data paths it was compared at: nothing is compared twice. */
  private final Map<String, Set<String>> visited = new HashMap<>();
  /** The pairs being compared now, outermost first: meeting one again is recursion, which ends there. */
  private final Set<String> onStack = new HashSet<>();
  private int revisits;

  private Narrowing(SchemaDocument writer, SchemaDocument reader) {
    this.writer = writer;
    this.reader = reader;
  }

  static List<BreakingChange> between(String writerSchema, String readerSchema) {
    Narrowing n = new Narrowing(new SchemaDocument(writerSchema), new SchemaDocument(readerSchema));
    n.compare(n.writer.root(), n.reader.root(), "");
    return List.copyOf(n.out);
  }

  /** Compares what the writer allowed with what the reader allows at data path {@code path}. */
  private void compare(Node writerNode, Node readerNode, String path) {
    Node w = writerNode.pointer() == null ? writerNode : writer.dereference(writerNode).orElse(ANY);
    Optional<Node> resolved = reader.dereference(readerNode);
    if (resolved.isEmpty()) {
      unsupported(readerNode.pointer() + "/$ref", path);
      return;
    }
    Node r = resolved.get();
    if (Boolean.FALSE.equals(w.schema()) || Boolean.TRUE.equals(r.schema())) {
      return;
    }
    String key = (w.pointer() == null ? "\u0001any" : w.pointer()) + "\u0000" + r.pointer();
    if (!firstAt(key, path)) {
      return;
    }
    if (Boolean.FALSE.equals(r.schema())) {
      add(r.pointer(), "accepts-nothing", where(r.pointer()) + " became `false` and accepts nothing", path);
      return;
    }
    JSONObject ws = w.schema() instanceof JSONObject o ? o : new JSONObject();
    onStack.add(key);
    try {
      new Pair(w.pointer(), ws, r.pointer(), (JSONObject) r.schema(), path).run();
    } finally {
      onStack.remove(key);
    }
  }

  /**
   * Whether the pair is to be compared at {@code path}: never while it is being compared (recursion), never twice at
   * one path, and at a further path only within {@link #MAX_REVISITS}.
   */
  private boolean firstAt(String key, String path) {
    if (onStack.contains(key)) {
      return false;
    }
    Set<String> paths = visited.computeIfAbsent(key, k -> new HashSet<>());
    if (paths.contains(path) || (!paths.isEmpty() && revisits >= MAX_REVISITS)) {
      return false;
    }
    if (!paths.isEmpty()) {
      revisits++;
    }
    paths.add(path);
    return true;
  }

  /** One writer schema and one reader schema, both without $ref, compared keyword by keyword. */
  private final class Pair {
    final String wp;
    final JSONObject ws;
    final String rp;
    final JSONObject rs;
    /** The place of the data compared, e.g. {@code /address/street}. */
    final String path;
    /** The values the writer accepts when it lists them (enum/const, or the only values of boolean/null); else null. */
    List<Object> values;
    /** The kinds of value the writer accepts; "integer" stands for integral numbers, "number" for the others. */
    Set<String> writerKinds;
    /** Writer kinds the reader still accepts: keywords for other kinds cannot narrow anything. */
    Set<String> surviving;

    Pair(String wp, JSONObject ws, String rp, JSONObject rs, String path) {
      this.wp = wp;
      this.ws = ws;
      this.rp = rp;
      this.rs = rs;
      this.path = path;
    }

    /** The data path of a member of the value compared here; {@code *} stands for any member or item. */
    String child(String token) {
      return path + "/" + (token.equals("*") ? "*" : JsonPointers.escape(token));
    }

    void add(String pointer, String rule, String message) {
      Narrowing.this.add(pointer, rule, message, path);
    }

    void run() {
      types();
      enumAndConst();
      if (surviving.contains("integer") || surviving.contains("number")) {
        numbers();
      }
      if (surviving.contains("string")) {
        strings();
      }
      if (surviving.contains("array")) {
        arrays();
      }
      if (surviving.contains("object")) {
        objects();
      }
      for (String keyword : SAME_VALUE_UNSUPPORTED) {
        unsupportedIfChanged(keyword, false);
      }
    }

    // ---- type, enum, const

    private void types() {
      Set<String> declared = declaredTypes(ws);
      values = listedValues(ws);
      if (values != null) {
        values = values.stream().filter(v -> allows(declared, JsonValues.kindOf(v))).toList();
      } else if (declared != null && Set.of("boolean", "null").containsAll(declared)) {
        List<Object> implied = new ArrayList<>();
        if (declared.contains("null")) {
          implied.add(JSONObject.NULL);
        }
        if (declared.contains("boolean")) {
          implied.add(Boolean.TRUE);
          implied.add(Boolean.FALSE);
        }
        values = implied;
      }
      writerKinds = new LinkedHashSet<>();
      for (String kind : KINDS) {
        boolean accepted = values != null
            ? values.stream().anyMatch(v -> JsonValues.kindOf(v).equals(kind))
            : allows(declared, kind);
        if (accepted) {
          writerKinds.add(kind);
        }
      }
      Set<String> readerTypes = declaredTypes(rs);
      surviving = new LinkedHashSet<>();
      List<String> lost = new ArrayList<>();
      for (String kind : writerKinds) {
        (allows(readerTypes, kind) ? surviving : lost).add(kind);
      }
      if (!lost.isEmpty()) {
        String from = declared != null ? String.join(" or ", declared)
            : values != null ? String.join(" or ", writerKinds) : "any";
        add(rp + "/type", "type-narrowed",
            "type of " + where(rp) + " narrowed from " + from + " to " + String.join(" or ", readerTypes));
      }
    }

    private void enumAndConst() {
      if (rs.opt("enum") instanceof JSONArray allowed) {
        if (values == null) {
          add(rp + "/enum", "enum-added", "enum " + text(allowed) + " added to " + where(rp));
        } else {
          for (Object v : values) {
            if (!contains(allowed, v)) {
              add(rp + "/enum", "enum-value-removed", "enum value " + text(v) + " removed from " + where(rp));
            }
          }
        }
      }
      if (rs.has("const")) {
        Object only = rs.get("const");
        if (values == null) {
          add(rp + "/const", "const-added", "const " + text(only) + " added to " + where(rp));
        } else {
          for (Object v : values) {
            if (!jsonEquals(v, only)) {
              add(rp + "/const", "const-changed", ws.has("const")
                  ? "const of " + where(rp) + " changed from " + text(v) + " to " + text(only)
                  : "value " + text(v) + " no longer allowed by " + where(rp) + ": const is " + text(only));
            }
          }
        }
      }
    }

    // ---- numbers

    private void numbers() {
      boolean integersOnly = !surviving.contains("number");
      List<BigDecimal> listed = values == null ? null
          : values.stream().filter(v -> v instanceof Number).map(v -> decimal((Number) v)).toList();
      Bound wLow = bound(ws, "minimum", "exclusiveMinimum", true, integersOnly);
      Bound rLow = bound(rs, "minimum", "exclusiveMinimum", true, integersOnly);
      if (rLow != null && rLow.tighterThan(wLow, true) && anyFails(listed, n -> rLow.admits(n, true))) {
        add(rp + "/" + rLow.keyword,
            rLow.exclusive ? "exclusiveMinimum-raised" : "minimum-raised", boundMessage(wLow, rLow, "raised"));
      }
      Bound wHigh = bound(ws, "maximum", "exclusiveMaximum", false, integersOnly);
      Bound rHigh = bound(rs, "maximum", "exclusiveMaximum", false, integersOnly);
      if (rHigh != null && rHigh.tighterThan(wHigh, false) && anyFails(listed, n -> rHigh.admits(n, false))) {
        add(rp + "/" + rHigh.keyword,
            rHigh.exclusive ? "exclusiveMaximum-lowered" : "maximum-lowered", boundMessage(wHigh, rHigh, "lowered"));
      }
      BigDecimal rStep = number(rs, "multipleOf");
      if (rStep != null && rStep.signum() > 0) {
        BigDecimal wStep = number(ws, "multipleOf");
        boolean implied = (wStep != null && isMultiple(wStep, rStep))
            || (integersOnly && isMultiple(BigDecimal.ONE, rStep))
            || !anyFails(listed, n -> isMultiple(n, rStep));
        if (!implied) {
          add(rp + "/multipleOf", wStep == null ? "multipleOf-added" : "multipleOf-changed", wStep == null
              ? "`multipleOf` " + plain(rStep) + " added to " + where(rp)
              : "`multipleOf` of " + where(rp) + " changed from " + plain(wStep) + " to " + plain(rStep));
        }
      }
    }

    private String boundMessage(Bound before, Bound after, String verb) {
      if (before == null) {
        return "`" + after.keyword + "` " + after.shown + " added to " + where(rp);
      }
      if (before.keyword.equals(after.keyword)) {
        return "`" + after.keyword + "` of " + where(rp) + " " + verb + " from " + before.shown + " to " + after.shown;
      }
      return "bound of " + where(rp) + " tightened from `" + before.keyword + "` " + before.shown + " to `"
          + after.keyword + "` " + after.shown;
    }

    // ---- strings

    private void strings() {
      List<String> listed = values == null ? null
          : values.stream().filter(v -> v instanceof String).map(v -> (String) v).toList();
      lowerCount("minLength", "minLength-raised", listed == null ? null
          : listed.stream().map(s -> BigDecimal.valueOf(s.codePointCount(0, s.length()))).toList());
      upperCount("maxLength", "maxLength-lowered", listed == null ? null
          : listed.stream().map(s -> BigDecimal.valueOf(s.codePointCount(0, s.length()))).toList());
      if (rs.opt("pattern") instanceof String pattern && !pattern.equals(ws.opt("pattern"))
          && anyFails(listed, s -> matches(pattern, s))) {
        if (ws.opt("pattern") instanceof String before) {
          add(rp + "/pattern", "pattern-changed",
              "`pattern` of " + where(rp) + " changed from `" + before + "` to `" + pattern + "`");
        } else {
          add(rp + "/pattern", "pattern-added", "`pattern` `" + pattern + "` added to " + where(rp));
        }
      }
      if (rs.opt("format") instanceof String format && !format.equals(ws.opt("format"))) {
        if (ws.opt("format") instanceof String before) {
          add(rp + "/format", "format-changed",
              "`format` of " + where(rp) + " changed from `" + before + "` to `" + format + "`");
        } else {
          add(rp + "/format", "format-added", "`format` `" + format + "` added to " + where(rp));
        }
      }
    }

    // ---- arrays

    private void arrays() {
      List<JSONArray> listed = values == null ? null
          : values.stream().filter(v -> v instanceof JSONArray).map(v -> (JSONArray) v).toList();
      lowerCount("minItems", "minItems-raised",
          listed == null ? null : listed.stream().map(a -> BigDecimal.valueOf(a.length())).toList());
      upperCount("maxItems", "maxItems-lowered",
          listed == null ? null : listed.stream().map(a -> BigDecimal.valueOf(a.length())).toList());
      if (rs.optBoolean("uniqueItems", false) && !ws.optBoolean("uniqueItems", false)
          && anyFails(listed, Narrowing::itemsUnique)) {
        add(rp + "/uniqueItems", "uniqueItems-added", "`uniqueItems` added to " + where(rp));
      }
      Object readerItems = rs.opt("items");
      if (readerItems instanceof JSONObject || readerItems instanceof Boolean) {
        Node readerItemsNode = new Node(readerItems, rp + "/items");
        Object writerItems = ws.opt("items");
        if (writerItems instanceof JSONArray tuple) {
          // Every position of the writer's tuple, and whatever it allows after them, meets the reader's one schema.
          for (int i = 0; i < tuple.length(); i++) {
            compare(writerChild(tuple.get(i), "/items/" + i), readerItemsNode, child(Integer.toString(i)));
          }
          compare(writerChild(ws.opt("additionalItems"), "/additionalItems"), readerItemsNode, child("*"));
        } else {
          compare(writerChild(writerItems, "/items"), readerItemsNode, child("*"));
        }
      } else if (readerItems instanceof JSONArray) {
        unsupportedIfChanged("items", true);
        unsupportedIfChanged("additionalItems", true);
      }
      unsupportedIfChanged("contains", false);
    }

    // ---- objects

    private void objects() {
      List<JSONObject> listed = values == null ? null
          : values.stream().filter(v -> v instanceof JSONObject).map(v -> (JSONObject) v).toList();
      if (rs.opt("required") instanceof JSONArray required) {
        Set<String> before = stringSet(ws.opt("required"));
        for (int i = 0; i < required.length(); i++) {
          if (required.get(i) instanceof String name && !before.contains(name)
              && anyFails(listed, o -> o.has(name))) {
            Narrowing.this.add(rp + "/required", "required-added", "property `" + name + "`"
                + (rp.isEmpty() ? "" : " of `" + rp + "`") + " became required", child(name));
          }
        }
      }
      lowerCount("minProperties", "minProperties-raised",
          listed == null ? null : listed.stream().map(o -> BigDecimal.valueOf(o.length())).toList());
      upperCount("maxProperties", "maxProperties-lowered",
          listed == null ? null : listed.stream().map(o -> BigDecimal.valueOf(o.length())).toList());
      properties();
      unsupportedIfChanged("patternProperties", true);
      unsupportedIfChanged("propertyNames", false);
      unsupportedIfChanged("dependencies", false);
    }

    private void properties() {
      JSONObject writerProps = ws.optJSONObject("properties", new JSONObject());
      JSONObject readerProps = rs.optJSONObject("properties", new JSONObject());
      Object readerRest = rs.opt("additionalProperties");
      // Properties the reader declares meet whatever the writer allowed for that name.
      for (String name : new TreeSet<>(readerProps.keySet())) {
        compare(writerSchemaFor(name),
            new Node(readerProps.get(name), rp + "/properties/" + JsonPointers.escape(name)), child(name));
      }
      // Properties only the writer declares meet the reader's patternProperties, or its additionalProperties.
      for (String name : new TreeSet<>(writerProps.keySet())) {
        if (readerProps.has(name) || Boolean.FALSE.equals(writerProps.get(name))) {
          continue;
        }
        Node declared = writerChild(writerProps.get(name), "/properties/" + JsonPointers.escape(name));
        List<String> patterns = matchingPatterns(rs, name);
        if (!patterns.isEmpty()) {
          for (String p : patterns) {
            compare(declared, new Node(rs.getJSONObject("patternProperties").get(p),
                rp + "/patternProperties/" + JsonPointers.escape(p)), child(name));
          }
        } else if (Boolean.FALSE.equals(readerRest)) {
          Narrowing.this.add(rp + "/properties/" + JsonPointers.escape(name), "property-removed", "property `" + name
              + "`" + (rp.isEmpty() ? "" : " of `" + rp + "`") + " removed while additionalProperties is false",
              child(name));
        } else if (readerRest instanceof JSONObject) {
          compare(declared, new Node(readerRest, rp + "/additionalProperties"), child(name));
        }
      }
      // Every other name: the writer's additionalProperties meets the reader's.
      Object writerRest = ws.opt("additionalProperties");
      if (Boolean.FALSE.equals(writerRest) || readerRest == null || Boolean.TRUE.equals(readerRest)) {
        return;
      }
      if (Boolean.FALSE.equals(readerRest)) {
        Narrowing.this.add(rp + "/additionalProperties", "additional-properties-closed",
            "additionalProperties closed" + (rp.isEmpty() ? "" : " on `" + rp + "`"), child("*"));
      } else if (readerRest instanceof JSONObject) {
        compare(writerChild(writerRest, "/additionalProperties"), new Node(readerRest, rp + "/additionalProperties"),
            child("*"));
      }
    }

    /**
     * What the writer allowed for a member name: its declared schema, else the first patternProperties schema whose
     * pattern matches (if several match, the writer's value met all of them, so any one over-approximates it), else
     * its additionalProperties.
     */
    private Node writerSchemaFor(String name) {
      JSONObject writerProps = ws.optJSONObject("properties", new JSONObject());
      if (writerProps.has(name)) {
        return writerChild(writerProps.get(name), "/properties/" + JsonPointers.escape(name));
      }
      List<String> patterns = matchingPatterns(ws, name);
      if (!patterns.isEmpty()) {
        String p = patterns.get(0);
        return writerChild(ws.getJSONObject("patternProperties").get(p),
            "/patternProperties/" + JsonPointers.escape(p));
      }
      return writerChild(ws.opt("additionalProperties"), "/additionalProperties");
    }

    private Node writerChild(Object schema, String suffix) {
      if (schema == null || wp == null) {
        return ANY;
      }
      return new Node(schema, wp + suffix);
    }

    // ---- shared

    private void lowerCount(String keyword, String rule, List<BigDecimal> listed) {
      BigDecimal after = number(rs, keyword);
      BigDecimal before = number(ws, keyword);
      if (after != null && after.compareTo(before == null ? BigDecimal.ZERO : before) > 0
          && anyFails(listed, n -> n.compareTo(after) >= 0)) {
        add(rp + "/" + keyword, rule, "`" + keyword + "` of " + where(rp) + " raised from "
            + (before == null ? "0" : plain(before)) + " to " + plain(after));
      }
    }

    private void upperCount(String keyword, String rule, List<BigDecimal> listed) {
      BigDecimal after = number(rs, keyword);
      BigDecimal before = number(ws, keyword);
      if (after != null && (before == null || after.compareTo(before) < 0)
          && anyFails(listed, n -> n.compareTo(after) <= 0)) {
        add(rp + "/" + keyword, rule, before == null
            ? "`" + keyword + "` " + plain(after) + " added to " + where(rp)
            : "`" + keyword + "` of " + where(rp) + " lowered from " + plain(before) + " to " + plain(after));
      }
    }

    /**
     * Reports a keyword this walker does not reason about when the reader has it and it differs from the writer's
     * (following local $refs on both sides). With {@code alsoRemoved}, the reader dropping it counts too: removing
     * {@code patternProperties} hands those names to additionalProperties, and removing tuple {@code items} hands
     * the positions to additionalItems, so even removal can narrow.
     */
    private void unsupportedIfChanged(String keyword, boolean alsoRemoved) {
      if (!rs.has(keyword) && !(alsoRemoved && ws.has(keyword))) {
        return;
      }
      if (!sameSchemaText(ws.opt(keyword), wp == null ? null : wp + "/" + keyword, rs.opt(keyword),
          rp + "/" + keyword, new HashSet<>())) {
        unsupported(rp + "/" + JsonPointers.escape(keyword), path);
      }
    }
  }

  /**
   * Structural equality of two schema fragments where local $refs on either side are followed, so that an unchanged
   * {@code oneOf} still counts as changed when a definition it names changed. Pairs already under comparison are
   * assumed equal (recursive definitions).
   */
  private boolean sameSchemaText(Object w, String wPointer, Object r, String rPointer, Set<String> comparing) {
    if (w instanceof JSONObject wo && wo.has("$ref") && wPointer != null) {
      Optional<Node> n = writer.dereference(new Node(w, wPointer));
      if (n.isPresent()) {
        w = n.get().schema();
        wPointer = n.get().pointer();
      }
    }
    if (r instanceof JSONObject ro && ro.has("$ref")) {
      Optional<Node> n = reader.dereference(new Node(r, rPointer));
      if (n.isPresent()) {
        r = n.get().schema();
        rPointer = n.get().pointer();
      }
    }
    if (w == null || r == null) {
      return w == r;
    }
    if (!comparing.add(wPointer + "\u0000" + rPointer)) {
      return true;
    }
    if (w instanceof JSONObject wo && r instanceof JSONObject ro) {
      if (!wo.keySet().equals(ro.keySet())) {
        return false;
      }
      for (String key : wo.keySet()) {
        String escaped = "/" + JsonPointers.escape(key);
        if (!sameSchemaText(wo.get(key), wPointer == null ? null : wPointer + escaped, ro.get(key), rPointer + escaped,
            comparing)) {
          return false;
        }
      }
      return true;
    }
    if (w instanceof JSONArray wa && r instanceof JSONArray ra) {
      if (wa.length() != ra.length()) {
        return false;
      }
      for (int i = 0; i < wa.length(); i++) {
        if (!sameSchemaText(wa.get(i), wPointer == null ? null : wPointer + "/" + i, ra.get(i), rPointer + "/" + i,
            comparing)) {
          return false;
        }
      }
      return true;
    }
    return jsonEquals(w, r);
  }

  private void unsupported(String pointer, String path) {
    add(pointer, "unsupported-change", "`" + pointer + "` changed; Sluice cannot prove it compatible", path);
  }

  /** Lists a change once, at its first place in walk order; meeting it at another data path adds that path. */
  private void add(String pointer, String rule, String message, String path) {
    BreakingChange.addMerged(out, new BreakingChange(pointer, rule, message, path));
  }

  // ---- values

  /** A numeric bound normalised for comparison; {@code shown} is the value as written. */
  private record Bound(BigDecimal value, boolean exclusive, String keyword, String shown) {
    /** Whether this bound rejects something {@code other} (null: unbounded) admits. */
    boolean tighterThan(Bound other, boolean lower) {
      if (other == null) {
        return true;
      }
      int c = value.compareTo(other.value);
      return (lower ? c > 0 : c < 0) || (c == 0 && exclusive && !other.exclusive);
    }

    boolean admits(BigDecimal n, boolean lower) {
      int c = n.compareTo(value);
      return lower ? (exclusive ? c > 0 : c >= 0) : (exclusive ? c < 0 : c <= 0);
    }
  }

  /**
   * The tighter of the inclusive and exclusive bound. When only integers are in play, bounds become the inclusive
   * integer they imply ({@code exclusiveMinimum 0} is {@code minimum 1}), so equivalent bounds compare equal.
   */
  private static Bound bound(JSONObject s, String inclusive, String exclusive, boolean lower, boolean integersOnly) {
    Bound best = null;
    for (String keyword : List.of(inclusive, exclusive)) {
      BigDecimal v = number(s, keyword);
      if (v == null) {
        continue;
      }
      boolean excl = keyword.equals(exclusive);
      String shown = plain(v);
      if (integersOnly) {
        if (lower) {
          v = excl ? v.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE) : v.setScale(0, RoundingMode.CEILING);
        } else {
          v = excl ? v.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE) : v.setScale(0, RoundingMode.FLOOR);
        }
        excl = false;
      }
      Bound b = new Bound(v, excl, keyword, shown);
      if (best == null || b.tighterThan(best, lower)) {
        best = b;
      }
    }
    return best;
  }

  /** True when nothing is listed (any value possible) or some listed value fails {@code ok}. */
  private static <T> boolean anyFails(List<T> listed, Predicate<T> ok) {
    return listed == null || listed.stream().anyMatch(ok.negate());
  }

  private static Set<String> declaredTypes(JSONObject s) {
    Object type = s.opt("type");
    if (type instanceof String t) {
      return Set.of(t);
    }
    if (type instanceof JSONArray a) {
      Set<String> out = new LinkedHashSet<>();
      for (int i = 0; i < a.length(); i++) {
        if (a.get(i) instanceof String t) {
          out.add(t);
        }
      }
      return out;
    }
    return null;
  }

  /** Whether declared types (null: any) allow a kind; "number" allows integers too. */
  private static boolean allows(Set<String> declared, String kind) {
    return declared == null || declared.contains(kind) || (kind.equals("integer") && declared.contains("number"));
  }

  /** The values enum and const allow together, in enum order; null when neither is present. */
  private static List<Object> listedValues(JSONObject s) {
    List<Object> out = null;
    if (s.opt("enum") instanceof JSONArray e) {
      out = new ArrayList<>();
      for (int i = 0; i < e.length(); i++) {
        if (!containsValue(out, e.get(i))) {
          out.add(e.get(i));
        }
      }
    }
    if (s.has("const")) {
      Object only = s.get("const");
      out = out == null || containsValue(out, only) ? new ArrayList<>(List.of(only)) : new ArrayList<>();
    }
    return out;
  }

  private static boolean containsValue(List<Object> list, Object v) {
    return list.stream().anyMatch(x -> jsonEquals(x, v));
  }

  private static boolean contains(JSONArray a, Object v) {
    for (int i = 0; i < a.length(); i++) {
      if (jsonEquals(a.get(i), v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean itemsUnique(JSONArray a) {
    for (int i = 0; i < a.length(); i++) {
      for (int j = i + 1; j < a.length(); j++) {
        if (jsonEquals(a.get(i), a.get(j))) {
          return false;
        }
      }
    }
    return true;
  }

  /** JSON equality: numbers by value (1 equals 1.0), objects regardless of member order. */
  static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y)) == 0;
    }
    if (a instanceof JSONObject x && b instanceof JSONObject y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      for (String k : x.keySet()) {
        if (!jsonEquals(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof JSONArray x && b instanceof JSONArray y) {
      if (x.length() != y.length()) {
        return false;
      }
      for (int i = 0; i < x.length(); i++) {
        if (!jsonEquals(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a != null && a.equals(b);
  }

  private static Set<String> stringSet(Object maybeArray) {
    Set<String> out = new HashSet<>();
    if (maybeArray instanceof JSONArray a) {
      for (int i = 0; i < a.length(); i++) {
        if (a.get(i) instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static List<String> matchingPatterns(JSONObject s, String name) {
    List<String> out = new ArrayList<>();
    if (s.opt("patternProperties") instanceof JSONObject patterns) {
      for (String p : new TreeSet<>(patterns.keySet())) {
        if (matches(p, name)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /**
   * JSON Schema patterns are unanchored searches; RE2J, like the validator (registration refused the others). A pattern
   * over the size limits (only an unusable old version can hold one) is never compiled and matches nothing.
   */
  private static boolean matches(String pattern, String s) {
    if (!SchemaCompiler.patternWithinLimits(pattern)) {
      return false;
    }
    try {
      return com.google.re2j.Pattern.compile(pattern).matcher(s).find();
    } catch (com.google.re2j.PatternSyntaxException e) {
      return false;
    }
  }

  private static boolean isMultiple(BigDecimal n, BigDecimal step) {
    return n.remainder(step).signum() == 0;
  }

  private static BigDecimal number(JSONObject s, String keyword) {
    return s.opt(keyword) instanceof Number n ? decimal(n) : null;
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static String text(Object value) {
    return JSONObject.valueToString(value);
  }

  private static String where(String pointer) {
    return pointer.isEmpty() ? "the root schema" : "`" + pointer + "`";
  }
}

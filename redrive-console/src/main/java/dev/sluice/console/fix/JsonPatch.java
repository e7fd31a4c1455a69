package dev.sluice.console.fix;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A JSON Patch (RFC 6902) over Vert.x JSON values ({@link JsonObject}, {@link JsonArray}, strings, numbers, booleans,
 * null). Written here rather than pulled in because the console needs two things libraries do not give: an error that
 * points into the request ({@code /patch/2/path}) and a rule for which paths a patch may change.
 *
 * <p>{@link #parse} checks the document's shape once; {@link #apply} then applies it to one value without touching
 * it (the patch works on a deep copy) and answers a value, never an exception, so one bad item does not stop a group.
 * As the RFC says, the patch applies atomically: any failing operation (including a failed {@code test}) leaves the
 * whole patch not applicable.
 */
public final class JsonPatch {
  /** Sentinel for "no value here" (JSON null is a value, so Java null cannot say it). */
  private static final Object ABSENT = new Object();

  public enum Op {
    ADD, REMOVE, REPLACE, MOVE, COPY, TEST;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One operation; {@code from} is present for move and copy, {@code value} for add, replace and test. */
  public record Operation(Op op, JsonPointer path, Optional<JsonPointer> from, Object value) {
    public Operation {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(from, "from");
    }

    @Override
    public String toString() {
      return op.label() + " " + path + from.map(f -> " from " + f).orElse("");
    }
  }

  /** Why a patch document cannot be used: {@code pointer} is into the patch array ({@code /2/path}). */
  public record DocumentError(String pointer, String reason) {}

  /** What applying the patch to one value gave. */
  public sealed interface Outcome {}

  public record Applied(Object result) implements Outcome {}

  /** Operation {@code index} (0-based) could not be applied: a missing target, a failed test, a bad index... */
  public record NotApplicable(int index, String reason) implements Outcome {}

  /** The result of {@link #parse}. */
  public sealed interface Parsed {}

  public record Ok(JsonPatch patch) implements Parsed {}

  public record Refused(DocumentError error) implements Parsed {}

  private final List<Operation> operations;

  public JsonPatch(List<Operation> operations) {
    this.operations = List.copyOf(operations);
  }

  public List<Operation> operations() {
    return operations;
  }

  /**
   * Reads a patch document: a JSON array of operation objects. {@code writable} says which paths the patch may change
   * (the targets of add, remove, replace, move and copy, and the source of move); {@code test} and the source of
   * {@code copy} may read anything.
   */
  public static Parsed parse(Object document, Predicate<JsonPointer> writable, String writableRule) {
    if (!(document instanceof JsonArray array)) {
      return refused("", "a JSON Patch is a JSON array of operations");
    }
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "/" + i;
      Object element = array.getValue(i);
      if (!(element instanceof JsonObject o)) {
        return refused(at, "an operation is a JSON object");
      }
      Object opName = o.getValue("op");
      if (!(opName instanceof String name)) {
        return refused(at + "/op", "'op' must be one of add, remove, replace, move, copy, test");
      }
      Op op;
      try {
        op = Op.valueOf(name.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return refused(at + "/op", "unknown op '" + bounded(name) + "': use add, remove, replace, move, copy or test");
      }
      if (!name.equals(op.label())) {
        return refused(at + "/op", "ops are lower case: '" + op.label() + "'");
      }
      Object pathText = o.getValue("path");
      if (!(pathText instanceof String p)) {
        return refused(at + "/path", "'path' must be a JSON pointer string");
      }
      Optional<JsonPointer> path = JsonPointer.parse(p);
      if (path.isEmpty()) {
        return refused(at + "/path", "not a JSON pointer (RFC 6901): '" + bounded(p) + "'");
      }
      Optional<JsonPointer> from = Optional.empty();
      if (op == Op.MOVE || op == Op.COPY) {
        Object fromText = o.getValue("from");
        if (!(fromText instanceof String f)) {
          return refused(at + "/from", "'" + op.label() + "' needs 'from', a JSON pointer string");
        }
        from = JsonPointer.parse(f);
        if (from.isEmpty()) {
          return refused(at + "/from", "not a JSON pointer (RFC 6901): '" + bounded(f) + "'");
        }
        if (op == Op.MOVE && from.get().isProperPrefixOf(path.get())) {
          return refused(at + "/from", "a value cannot be moved into one of its own children");
        }
      }
      Object value = null;
      if (op == Op.ADD || op == Op.REPLACE || op == Op.TEST) {
        if (!o.containsKey("value")) {
          return refused(at + "/value", "'" + op.label() + "' needs 'value'");
        }
        value = o.getValue("value");
      }
      if (op != Op.TEST && !writable.test(path.get())) {
        return refused(at + "/path", writableRule);
      }
      if (op == Op.MOVE && !writable.test(from.get())) {
        return refused(at + "/from", writableRule);
      }
      ops.add(new Operation(op, path.get(), from, value));
    }
    return new Ok(new JsonPatch(ops));
  }

  private static Refused refused(String pointer, String reason) {
    return new Refused(new DocumentError(pointer, reason));
  }

  /** Applies the patch to a deep copy of {@code target}. */
  public Outcome apply(Object target) {
    Object[] root = {copy(target)};
    for (int i = 0; i < operations.size(); i++) {
      Operation o = operations.get(i);
      Optional<String> failure = applyOne(root, o);
      if (failure.isPresent()) {
        return new NotApplicable(i, "operation " + i + " (" + o + "): " + failure.get());
      }
    }
    return new Applied(root[0]);
  }

  private static Optional<String> applyOne(Object[] root, Operation o) {
    switch (o.op()) {
      case ADD:
        return add(root, o.path(), copy(o.value()));
      case REMOVE:
        return remove(root, o.path());
      case REPLACE: {
        if (get(root[0], o.path()) == ABSENT) {
          return Optional.of("nothing at " + o.path() + " to replace");
        }
        return set(root, o.path(), copy(o.value()));
      }
      case MOVE: {
        Object value = get(root[0], o.from().get());
        if (value == ABSENT) {
          return Optional.of("nothing at " + o.from().get() + " to move");
        }
        if (o.from().get().equals(o.path())) {
          return Optional.empty();
        }
        Optional<String> removed = remove(root, o.from().get());
        return removed.isPresent() ? removed : add(root, o.path(), value);
      }
      case COPY: {
        Object value = get(root[0], o.from().get());
        if (value == ABSENT) {
          return Optional.of("nothing at " + o.from().get() + " to copy");
        }
        return add(root, o.path(), copy(value));
      }
      case TEST: {
        Object value = get(root[0], o.path());
        if (value == ABSENT) {
          return Optional.of("test failed: nothing at " + o.path());
        }
        return jsonEquals(value, o.value()) ? Optional.empty() : Optional.of("test failed: the value at " + o.path()
            + " is " + bounded(String.valueOf(value)) + ", not " + bounded(String.valueOf(o.value())));
      }
      default:
        throw new IllegalStateException("unknown op " + o.op());
    }
  }

  /** The value at {@code pointer} (JSON null included), or empty when there is none. */
  static Optional<Object> valueAt(Object root, JsonPointer pointer) {
    Object v = get(root, pointer);
    return v == ABSENT ? Optional.empty() : Optional.of(wrap(v));
  }

  /** The value at {@code pointer}, or {@link #ABSENT}. */
  private static Object get(Object root, JsonPointer pointer) {
    Object at = root;
    for (String token : pointer.tokens()) {
      at = wrap(at);
      if (at instanceof JsonObject o) {
        if (!o.containsKey(token)) {
          return ABSENT;
        }
        at = o.getValue(token);
      } else if (at instanceof JsonArray a) {
        int i = index(token, a.size() - 1);
        if (i < 0) {
          return ABSENT;
        }
        at = a.getValue(i);
      } else {
        return ABSENT;
      }
    }
    return at;
  }

  private static Optional<String> add(Object[] root, JsonPointer path, Object value) {
    if (path.isRoot()) {
      root[0] = value;
      return Optional.empty();
    }
    Object parent = wrap(get(root[0], path.parent()));
    String last = path.last();
    if (parent instanceof JsonObject o) {
      o.put(last, value);
      return Optional.empty();
    }
    if (parent instanceof JsonArray a) {
      if ("-".equals(last)) {
        a.add(value);
        return Optional.empty();
      }
      int i = index(last, a.size());
      if (i < 0) {
        return Optional.of("'" + bounded(last) + "' is not an index from 0 to " + a.size() + " (or '-')");
      }
      a.getList().add(i, value);
      return Optional.empty();
    }
    return Optional.of(parent == ABSENT ? "nothing at " + path.parent() + " to add into"
        : path.parent() + " is neither an object nor an array");
  }

  private static Optional<String> remove(Object[] root, JsonPointer path) {
    if (path.isRoot()) {
      return Optional.of("the whole document cannot be removed");
    }
    Object parent = wrap(get(root[0], path.parent()));
    String last = path.last();
    if (parent instanceof JsonObject o && o.containsKey(last)) {
      o.remove(last);
      return Optional.empty();
    }
    if (parent instanceof JsonArray a) {
      int i = index(last, a.size() - 1);
      if (i >= 0) {
        a.remove(i);
        return Optional.empty();
      }
    }
    return Optional.of("nothing at " + path + " to remove");
  }

  /** Replaces an existing value (checked by the caller). */
  private static Optional<String> set(Object[] root, JsonPointer path, Object value) {
    if (path.isRoot()) {
      root[0] = value;
      return Optional.empty();
    }
    Object parent = wrap(get(root[0], path.parent()));
    if (parent instanceof JsonObject o) {
      o.put(path.last(), value);
    } else {
      ((JsonArray) parent).set(index(path.last(), ((JsonArray) parent).size() - 1), value);
    }
    return Optional.empty();
  }

  /**
   * An array index token: digits without a leading zero, at most {@code max}; -1 when it is not one ("-" names the
   * element after the last, which exists only for add).
   */
  private static int index(String token, int max) {
    if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) < '0' || token.charAt(i) > '9') {
        return -1;
      }
    }
    int i = Integer.parseInt(token);
    return i <= max ? i : -1;
  }

  /** Vert.x may hold nested values as plain maps and lists; view them as JSON containers (same storage). */
  @SuppressWarnings("unchecked")
  private static Object wrap(Object value) {
    if (value instanceof Map<?, ?> m) {
      return new JsonObject((Map<String, Object>) m);
    }
    if (value instanceof List<?> l) {
      return new JsonArray((List<Object>) l);
    }
    return value;
  }

  private static Object copy(Object value) {
    Object v = wrap(value);
    if (v instanceof JsonObject o) {
      return o.copy();
    }
    if (v instanceof JsonArray a) {
      return a.copy();
    }
    return v;
  }

  /** JSON equality as RFC 6902 4.6 defines it: numbers by value, objects regardless of member order. */
  static boolean jsonEquals(Object a, Object b) {
    Object x = wrap(a);
    Object y = wrap(b);
    if (x == null || y == null) {
      return x == y;
    }
    if (x instanceof Number n && y instanceof Number m) {
      return decimal(n).compareTo(decimal(m)) == 0;
    }
    if (x instanceof JsonObject o && y instanceof JsonObject p) {
      Set<String> names = o.fieldNames();
      if (!names.equals(p.fieldNames())) {
        return false;
      }
      for (String name : names) {
        if (!jsonEquals(o.getValue(name), p.getValue(name))) {
          return false;
        }
      }
      return true;
    }
    if (x instanceof JsonArray o && y instanceof JsonArray p) {
      if (o.size() != p.size()) {
        return false;
      }
      for (int i = 0; i < o.size(); i++) {
        if (!jsonEquals(o.getValue(i), p.getValue(i))) {
          return false;
        }
      }
      return true;
    }
    return x.equals(y);
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.toString());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  private static String bounded(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}

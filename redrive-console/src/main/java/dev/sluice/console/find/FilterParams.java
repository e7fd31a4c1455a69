package dev.sluice.console.find;

import dev.sluice.console.problem.ConsoleError.BadField;
import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.quarantine.find.FindCursor;
import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.find.ItemFilter;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads an {@link ItemFilter} from the list's query parameters or from a JSON {@code filter} object (a bulk job's),
 * with the same names and rules in both: {@code stream, group, type, reason, status, from, to, key, q, fingerprint}.
 * An empty or blank value means "no filter" (what an HTML select's "All" option sends). A bad value fails with a
 * {@link ConsoleFailure} naming the query parameter ({@link BadParameter}) or the body member's JSON pointer
 * ({@link BadField}), so the answer is a 400 problem saying exactly which input to fix.
 */
public final class FilterParams {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;
  /** Stream, group and type names are short; a longer value can match nothing and only costs a query. */
  static final int MAX_NAME_LENGTH = 249;
  static final int MAX_KEY_LENGTH = 1024;
  static final int MAX_TEXT_LENGTH = 200;

  public static final List<String> FIELDS =
      List.of("stream", "group", "type", "reason", "status", "from", "to", "key", "q", "fingerprint");

  private FilterParams() {}

  /** A list request: which items, from where, how many. */
  public record ListRequest(ItemFilter filter, Optional<FindCursor> cursor, int limit) {}

  /** {@code GET /api/v1/quarantine}'s parameters: the filter, {@code cursor} and {@code limit}. */
  public static ListRequest listRequest(MultiMap params) {
    ItemFilter filter = fromQuery(params);
    Optional<FindCursor> cursor = single(params, "cursor").map(c -> FindCursor.decode(c)
        .orElseThrow(() -> badParameter("cursor", "not a cursor this API returned (use nextCursor as it is)")));
    int limit = single(params, "limit").map(FilterParams::limit).orElse(DEFAULT_LIMIT);
    return new ListRequest(filter, cursor, limit);
  }

  /** The filter in query parameters; other parameters (cursor, limit) are left to the caller. */
  public static ItemFilter fromQuery(MultiMap params) {
    return read(name -> single(params, name), FilterParams::badParameter);
  }

  /**
   * The filter in a JSON object, e.g. a bulk job's {@code filter}. Members must be strings (or null, meaning absent);
   * an unknown member is refused rather than ignored, so that a misspelt field never widens a bulk redrive to
   * everything.
   *
   * @param pointer where the object sits in the request body, e.g. {@code /filter}, for the problem's pointer
   */
  public static ItemFilter fromJson(JsonObject filter, String pointer) {
    if (filter == null) {
      return ItemFilter.ALL;
    }
    BiFunction<String, String, ConsoleFailure> bad =
        (name, reason) -> new ConsoleFailure(new BadField(pointer + "/" + name, reason));
    for (String name : filter.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new ConsoleFailure(new BadField(pointer + "/" + escape(name),
            "unknown filter field; the fields are " + FIELDS));
      }
    }
    return read(name -> {
      Object v = filter.getValue(name);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof String s)) {
        throw bad.apply(name, "must be a string");
      }
      return Optional.of(s.strip()).filter(x -> !x.isEmpty());
    }, bad);
  }

  /** The filter as a JSON object with only the fields it sets, readable by {@link #fromJson}. */
  public static JsonObject toJson(ItemFilter f) {
    JsonObject json = new JsonObject();
    f.stream().ifPresent(v -> json.put("stream", v));
    f.group().ifPresent(v -> json.put("group", v));
    f.type().ifPresent(v -> json.put("type", v));
    f.reason().ifPresent(v -> json.put("reason", v.name()));
    f.status().ifPresent(v -> json.put("status", v.name()));
    f.from().ifPresent(v -> json.put("from", v.toString()));
    f.to().ifPresent(v -> json.put("to", v.toString()));
    f.key().ifPresent(v -> json.put("key", v));
    f.text().ifPresent(v -> json.put("q", v));
    f.fingerprint().ifPresent(v -> json.put("fingerprint", v));
    return json;
  }

  private static ItemFilter read(Function<String, Optional<String>> get, BiFunction<String, String,
      ConsoleFailure> bad) {
    Optional<String> stream = get.apply("stream").map(v -> bounded("stream", v, MAX_NAME_LENGTH, bad));
    Optional<String> group = get.apply("group").map(v -> bounded("group", v, MAX_NAME_LENGTH, bad));
    Optional<String> type = get.apply("type").map(v -> bounded("type", v, MAX_NAME_LENGTH, bad));
    Optional<QuarantineReason> reason = get.apply("reason")
        .map(v -> constant("reason", v, QuarantineReason.values(), QuarantineReason::valueOf, bad));
    Optional<QuarantineStatus> status = get.apply("status")
        .map(v -> constant("status", v, QuarantineStatus.values(), QuarantineStatus::valueOf, bad));
    Optional<Instant> from = get.apply("from").map(v -> instant("from", v, bad));
    Optional<Instant> to = get.apply("to").map(v -> instant("to", v, bad));
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw bad.apply("to", "must be after from (" + from.get() + "); the range is [from, to)");
    }
    Optional<String> key = get.apply("key").map(v -> bounded("key", v, MAX_KEY_LENGTH, bad));
    Optional<String> q = get.apply("q").map(v -> bounded("q", v, MAX_TEXT_LENGTH, bad));
    Optional<String> fingerprint = get.apply("fingerprint").map(v -> {
      if (!Fingerprint.isId(v)) {
        throw bad.apply("fingerprint", "'" + abbreviate(v) + "' is not a fingerprint (16 lower-case hex digits)");
      }
      return v;
    });
    return new ItemFilter(stream, group, type, reason, status, from, to, key, q, fingerprint);
  }

  private static <E extends Enum<E>> E constant(String name, String value, E[] values, Function<String, E> valueOf,
      BiFunction<String, String, ConsoleFailure> bad) {
    try {
      return valueOf.apply(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad.apply(name, "'" + abbreviate(value) + "' is not one of " + Arrays.toString(values));
    }
  }

  /** ISO-8601 with an offset or Z, e.g. {@code 2026-11-22T21:00:00Z} or {@code 2026-11-22T22:00:00+01:00}. */
  private static Instant instant(String name, String value, BiFunction<String, String, ConsoleFailure> bad) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw bad.apply(name, "'" + abbreviate(value) + "' is not an ISO-8601 time with offset, e.g. "
          + "2026-11-22T21:00:00Z");
    }
  }

  private static String bounded(String name, String value, int max, BiFunction<String, String, ConsoleFailure> bad) {
    if (value.length() > max) {
      throw bad.apply(name, "longer than " + max + " characters");
    }
    return value;
  }

  private static int limit(String value) {
    int limit;
    try {
      limit = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw badParameter("limit", "'" + abbreviate(value) + "' is not an integer");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw badParameter("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    return limit;
  }

  /** A query parameter given at most once (twice is a 400), stripped; empty when absent or blank. */
  public static Optional<String> single(MultiMap params, String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw badParameter(name, "give it at most once");
    }
    return values.stream().map(String::strip).filter(v -> !v.isEmpty()).findFirst();
  }

  private static ConsoleFailure badParameter(String name, String reason) {
    return new ConsoleFailure(new BadParameter(name, reason));
  }

  /** A JSON pointer token for a member name (RFC 6901 escapes), cut short. */
  private static String escape(String name) {
    return abbreviate(name.replace("~", "~0").replace("/", "~1"));
  }

  /** Echoed values are cut short so that a problem document stays small. */
  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}

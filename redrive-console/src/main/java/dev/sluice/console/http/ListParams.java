package dev.sluice.console.http;

import dev.sluice.console.http.ConsoleError.BadParameter;
import dev.sluice.quarantine.store.QuarantineQuery;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code GET /api/v1/quarantine}'s query parameters into a {@link QuarantineQuery}. An empty value means "no
 * filter" (what an HTML select's "All" option sends). Bad values fail with a {@link BadParameter} naming the parameter.
 */
public final class ListParams {
  public static final int DEFAULT_LIMIT = 100;
  /** Streams and groups are short names; a longer filter can match nothing and only costs a query. */
  static final int MAX_NAME_LENGTH = 249;

  private ListParams() {}

  public static QuarantineQuery parse(MultiMap params) {
    Optional<QuarantineStatus> status = single(params, "status").map(ListParams::status);
    Optional<String> stream = single(params, "stream").map(v -> name("stream", v));
    Optional<String> group = single(params, "group").map(v -> name("group", v));
    int limit = single(params, "limit").map(ListParams::limit).orElse(DEFAULT_LIMIT);
    return new QuarantineQuery(status, stream, group, limit);
  }

  private static Optional<String> single(MultiMap params, String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw bad(name, "give it at most once");
    }
    return values.stream().map(String::strip).filter(v -> !v.isEmpty()).findFirst();
  }

  private static QuarantineStatus status(String value) {
    try {
      return QuarantineStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad("status", "'" + abbreviate(value) + "' is not one of " + List.of(QuarantineStatus.values()));
    }
  }

  private static String name(String parameter, String value) {
    if (value.length() > MAX_NAME_LENGTH) {
      throw bad(parameter, "longer than " + MAX_NAME_LENGTH + " characters");
    }
    return value;
  }

  private static int limit(String value) {
    int limit;
    try {
      limit = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw bad("limit", "'" + abbreviate(value) + "' is not an integer");
    }
    if (limit < 1 || limit > QuarantineQuery.MAX_LIMIT) {
      throw bad("limit", "must be between 1 and " + QuarantineQuery.MAX_LIMIT + ", was " + limit);
    }
    return limit;
  }

  private static ConsoleFailure bad(String name, String reason) {
    return new ConsoleFailure(new BadParameter(name, reason));
  }

  /** Echoed values are cut short so that a problem document stays small. */
  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}

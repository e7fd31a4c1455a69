package dev.sluice.ingest.problem;

import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A failure kept as a value that knows how it is told to a client: its problem type and what RFC 9457's members say
 * about this occurrence. Servers render any failure the same way, in one place each, without asking which kind it is.
 */
public interface Failure {
  ProblemType problem();

  /** What went wrong this time, for a human. */
  String detail();

  /** JSON pointers to what is wrong ({@code violations}); empty when the failure has no place in a document. */
  default List<Violation> violations() {
    return List.of();
  }

  /** Extension members of the problem beyond {@code violations} (e.g. {@code offset}); a fresh object each call. */
  default JsonObject members() {
    return new JsonObject();
  }

  /** HTTP headers that belong with the answer (a challenge, when to retry); empty for most failures. */
  default Map<String, String> headers() {
    return Map.of();
  }
}

package dev.sluice.gateway.http;

import dev.sluice.gateway.problem.GatewayProblem;
import dev.sluice.gateway.problem.Problems.Problem;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.ingest.IngestProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The complete answer to a batch whose events all have a result: status, media type, body and extra headers.
 *
 * <ul>
 *   <li>any {@code failed}: 503 (problem+json, Retry-After), since the client must resend some events;
 *   <li>none {@code accepted}: 422 (problem+json), nothing was appended;
 *   <li>some {@code rejected} and some {@code accepted}: 207;
 *   <li>all {@code accepted}: 202.
 * </ul>
 *
 * <p>Each answer lists one result per event, in order ({@link BatchItemResult#toJson()}).
 */
public record BatchAnswer(int status, String contentType, JsonObject body, Map<String, String> headers) {
  public BatchAnswer {
    headers = Map.copyOf(headers);
  }

  public static BatchAnswer of(List<BatchItemResult> results, String instance) {
    long failed = results.stream().filter(r -> r instanceof BatchItemResult.Failed).count();
    long accepted = results.stream().filter(r -> r instanceof BatchItemResult.Accepted).count();
    long rejected = results.stream().filter(r -> r instanceof BatchItemResult.Rejected).count();
    if (failed > 0) {
      boolean keys = results.stream().anyMatch(r -> r instanceof BatchItemResult.Failed f && f.keyUnavailable());
      return problem(Problems.of(keys ? IngestProblem.KEY_UNAVAILABLE : IngestProblem.BROKER_UNAVAILABLE,
          failed + " of " + results.size() + " events were not stored in time (Kafka did not acknowledge them"
          + (keys ? ", or the key for their sensitive values was unavailable" : "") + "); events marked accepted "
          + "are stored, events marked failed may not be. "
          + "Resending the whole batch is safe: the gateway deduplicates events by (source, id), so accepted events "
          + "are not appended twice", instance), results);
    }
    if (accepted == 0) {
      // An all-or-nothing batch with a rejected event, or a partial batch whose events were all rejected.
      boolean aborted = results.stream().anyMatch(r -> r instanceof BatchItemResult.Aborted);
      return problem(Problems.of(GatewayProblem.BATCH_REJECTED, rejected + " of " + results.size()
          + " events were rejected; nothing was appended." + (aborted ? " Events marked aborted are valid; fix or "
          + "drop the rejected ones and resend, or send the batch with ?partial=true to append the valid events alone"
          : ""), instance), results);
    }
    JsonObject body = new JsonObject().put("results", json(results));
    return new BatchAnswer(rejected > 0 ? 207 : 202, "application/json", body, Map.of());
  }

  private static BatchAnswer problem(Problem p, List<BatchItemResult> results) {
    p.body().put("results", json(results));
    return new BatchAnswer(p.status(), Problems.MEDIA_TYPE, p.body(), p.headers());
  }

  private static JsonArray json(List<BatchItemResult> results) {
    JsonArray out = new JsonArray();
    results.forEach(r -> out.add(r.toJson()));
    return out;
  }
}

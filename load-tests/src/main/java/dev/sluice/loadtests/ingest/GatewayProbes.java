package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.Progress;
import dev.sluice.loadtests.ingest.HttpTarget.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Single requests sent before anything is measured, to check that each variant measures what it claims: the gateway
 * accepts the benchmark's events, takes batches, and the two event types differ by validation alone.
 */
final class GatewayProbes {
  private final Vertx vertx;
  private final ProductEvents events;

  GatewayProbes(Vertx vertx, ProductEvents events) {
    this.vertx = vertx;
    this.events = events;
  }

  /** @throws IllegalStateException when the gateway refuses a valid event (wrong API key, say): nothing to measure */
  void requireAccepted(HttpTarget target) {
    Answer a = probe(target, ProductEvents.STRUCTURED, events.structured());
    if (!a.accepted()) {
      throw new IllegalStateException(target.name() + " refused a valid event with " + a.status() + ": " + a.body()
          + (a.status() == 401 || a.status() == 403
              ? " (pass the API key with --api-key, or configure it with --set sluice....=...)" : ""));
    }
  }

  /**
   * Null when the gateway's two types differ exactly by validation: an event without the required {@code brand} is
   * refused with 422 as {@code retail.product.created} and accepted as the unchecked twin ({@code unchecked}'s type),
   * which accepts valid events too; else why (d) cannot be measured.
   */
  String validationDiffers(HttpTarget target, ProductEvents unchecked) {
    Answer offValid = probe(target, ProductEvents.STRUCTURED, unchecked.structured());
    Answer offInvalid = probe(target, ProductEvents.STRUCTURED, unchecked.invalidStructured());
    Answer onInvalid = probe(target, ProductEvents.STRUCTURED, events.invalidStructured());
    if (offValid.accepted() && offInvalid.accepted() && onInvalid.status() == 422) {
      return null;
    }
    return "the two types do not differ by validation alone (a valid " + unchecked.type() + " event got "
        + offValid.status() + "; one without brand got " + offInvalid.status() + " as " + unchecked.type() + " and "
        + onInvalid.status() + " as " + events.type() + "; expected 2xx, 2xx and 422), so (d) was not measured";
  }

  /** Null when the gateway takes a batch as issue 3 specifies (202 with one result per event), else why not. */
  String batchSupport(HttpTarget target) {
    Answer a = probe(target, ProductEvents.BATCH, events.batch(2));
    if (a.status() != 202) {
      return "the gateway answered " + a.status() + " to a batch of 2 valid events (Content-Type "
          + ProductEvents.BATCH + "); expected 202, so batches were not measured";
    }
    try {
      JsonArray results = new JsonObject(a.body()).getJsonArray("results");
      if (results == null || results.size() != 2) {
        return "the gateway's 202 to a batch of 2 did not list 2 results: " + a.body();
      }
    } catch (RuntimeException e) {
      return "the gateway's 202 to a batch was not {\"results\":[...]}: " + a.body();
    }
    return null;
  }

  private Answer probe(HttpTarget target, String contentType, String body) {
    HttpClientAgent client = vertx.createHttpClient();
    try {
      return Progress.await(target.post(client, contentType, body), 60);
    } finally {
      Progress.await(client.close(), 10);
    }
  }
}

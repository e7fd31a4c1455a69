package dev.sluice.gateway.capture;

import io.vertx.core.Future;

/**
 * Where refused ingest requests are kept. The gateway calls it after it has answered, fire-and-forget: capturing
 * never delays or changes an answer. Wrap an implementation in {@link RateCappedRejectSink} so that a flood of bad
 * requests cannot turn into a flood of writes.
 */
public interface RejectSink {
  /** Keeps the rejected event; the Future says whether that worked (for counting only). */
  Future<Void> capture(RejectedEvent e);

  /** Keeps nothing: for streams or deployments that do not capture rejects. */
  RejectSink NONE = e -> Future.succeededFuture();
}

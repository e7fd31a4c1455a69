package dev.sluice.gateway.registry;

import dev.sluice.schemas.contracts.DeclaredReader;
import io.vertx.core.Future;
import java.util.List;

/**
 * The live consumer groups that declared what they read of a type: what a proposed schema change is checked against.
 * Kept by the consumer groups' own registry (their heartbeats), so asking may be I/O; the answer may complete on any
 * thread, and the registry routes go back to their own context before using it.
 */
public interface LiveReaders {
  /** No group declares anything: every proposed change affects no one. */
  LiveReaders NONE = type -> Future.succeededFuture(List.of());

  /** The live groups that declared reads of {@code type}; a failed Future when they cannot be read now. */
  Future<List<DeclaredReader>> of(String type);
}

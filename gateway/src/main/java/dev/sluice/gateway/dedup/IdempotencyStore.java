package dev.sluice.gateway.dedup;

import dev.sluice.ingest.kafka.Appended;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Remembers where accepted events were appended, by their CloudEvents ({@code source}, {@code id}), for a window.
 *
 * <p>Two implementations, chosen by deployment:
 * <ul>
 *   <li>{@link InProcessIdempotencyStore} (default): a bounded LRU map in the gateway's heap. Free and sub-microsecond,
 *       but each replica has its own: a retry that lands on another replica is appended again, and a restart
 *       forgets everything. Entries are evicted early when more than {@code maxEntries} events arrive within the
 *       window, so the guarantee holds for at most {@code maxEntries} recent events.</li>
 *   <li>{@link DynamoIdempotencyStore}: a DynamoDB table shared by every replica, with a conditional put and a TTL
 *       attribute. Survives restarts and covers several replicas, with no memory bound in the gateway; costs one
 *       consistent read before and one write after every append (a few milliseconds of latency each, and DynamoDB
 *       request charges per event).</li>
 * </ul>
 * In both, the first remembered result for a key stands until it expires; a later {@link #remember} for the same key
 * changes nothing.
 */
public interface IdempotencyStore {
  /** Where the event ({@code source}, {@code id}) was appended, if it was within the window. */
  Future<Optional<Appended>> find(String source, String id);

  /** Records where the event was appended; keeps an earlier unexpired record instead, if there is one. */
  Future<Void> remember(String source, String id, Appended appended);
}

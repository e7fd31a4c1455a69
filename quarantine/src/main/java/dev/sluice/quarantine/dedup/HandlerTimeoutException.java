package dev.sluice.quarantine.dedup;

import java.time.Duration;

/**
 * The decorated handler's Future did not complete within the {@link IdempotentHandler}'s handler timeout. The event's
 * key is released so duplicates are not held behind a stuck call; the handler may still complete later. Retryable.
 */
public final class HandlerTimeoutException extends RuntimeException {
  public HandlerTimeoutException(EventKey key, Duration timeout) {
    super("handler did not complete within " + timeout.toMillis() + " ms for event " + key.idForLog(), null, false,
        false);
  }
}

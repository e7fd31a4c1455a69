package dev.sluice.storekit.marks;

import dev.sluice.storekit.dynamo.TtlTable;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a mark's key and the end of its window live in its DynamoDB item, and in which unit. The stores that predate
 * this toolkit wrote two formats, and their items must still be read the same, so both are kept:
 * <ul>
 *   <li>{@link EpochSeconds}: one attribute, epoch seconds, is both the end of the window (what the code compares)
 *       and the table's TTL attribute; the window is rounded up to whole seconds.</li>
 *   <li>{@link EpochMillis}: the end of the window in epoch millis (what the code compares), and a separate TTL
 *       attribute in epoch seconds, rounded up, which only bounds the table's size.</li>
 * </ul>
 * Times are in the layout's unit throughout: "now", the end of a window, and what the conditional put compares.
 */
public sealed interface MarkLayout permits MarkLayout.EpochSeconds, MarkLayout.EpochMillis {
  /** The table's hash key: the {@link StoreKey}. */
  String keyAttribute();

  /** The end of the window, compared on read and by the conditional put. */
  String validUntilAttribute();

  /** DynamoDB's TTL attribute, epoch seconds. */
  String ttlAttribute();

  /** Now, in this layout's unit. */
  long now(InstantSource clock);

  /** The end of a window of {@code length} that starts {@code now}; never sooner than {@code length}. */
  long windowEnd(long now, Duration length);

  /** The TTL attribute's value for a mark whose window ends at {@code windowEnd}. */
  long ttlSeconds(long windowEnd);

  /** The end of the window in {@code expiresAt}, epoch seconds, which is also the TTL attribute. */
  static MarkLayout epochSeconds(String keyAttribute, String expiresAt) {
    return new EpochSeconds(keyAttribute, expiresAt);
  }

  /** The end of the window in {@code validUntil}, epoch millis; the TTL in {@code ttlAttribute}, epoch seconds. */
  static MarkLayout epochMillis(String keyAttribute, String validUntil, String ttlAttribute) {
    return new EpochMillis(keyAttribute, validUntil, ttlAttribute);
  }

  /** The table these items go in: hash key {@link #keyAttribute}, TTL on {@link #ttlAttribute}. */
  default TtlTable table() {
    return TtlTable.keyedBy(keyAttribute()).expiringOn(ttlAttribute());
  }

  /** The key and expiry attributes of the mark on {@code key} whose window ends at {@code windowEnd}. */
  default Map<String, AttributeValue> keyAndExpiry(StoreKey key, long windowEnd) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(keyAttribute(), AttributeValue.fromS(key.value()));
    item.put(ttlAttribute(), AttributeValue.fromN(Long.toString(ttlSeconds(windowEnd))));
    item.put(validUntilAttribute(), AttributeValue.fromN(Long.toString(windowEnd)));
    return item;
  }

  /** Whether a stored mark is still valid {@code now}; one without an end is not. */
  default boolean validAt(Map<String, AttributeValue> item, long now) {
    AttributeValue end = item.get(validUntilAttribute());
    return end != null && end.n() != null && Long.parseLong(end.n()) > now;
  }

  /** The gateway's format: the end of the window, in whole epoch seconds, is the TTL attribute itself. */
  record EpochSeconds(String keyAttribute, String expiresAt) implements MarkLayout {
    public EpochSeconds {
      Objects.requireNonNull(keyAttribute, "keyAttribute");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String validUntilAttribute() {
      return expiresAt;
    }

    @Override
    public String ttlAttribute() {
      return expiresAt;
    }

    @Override
    public long now(InstantSource clock) {
      return clock.instant().getEpochSecond();
    }

    @Override
    public long windowEnd(long now, Duration length) {
      // Rounded up, so a mark is never kept for less than the window.
      return now + (length.toMillis() + 999) / 1000;
    }

    @Override
    public long ttlSeconds(long windowEnd) {
      return windowEnd;
    }
  }

  /** The consumers' format: the end of the window in epoch millis, and a TTL attribute in seconds beside it. */
  record EpochMillis(String keyAttribute, String validUntilAttribute, String ttlAttribute) implements MarkLayout {
    public EpochMillis {
      Objects.requireNonNull(keyAttribute, "keyAttribute");
      Objects.requireNonNull(validUntilAttribute, "validUntilAttribute");
      Objects.requireNonNull(ttlAttribute, "ttlAttribute");
    }

    @Override
    public long now(InstantSource clock) {
      return clock.instant().toEpochMilli();
    }

    @Override
    public long windowEnd(long now, Duration length) {
      return now + length.toMillis();
    }

    @Override
    public long ttlSeconds(long windowEnd) {
      return TtlTable.ttlSeconds(windowEnd);
    }
  }
}

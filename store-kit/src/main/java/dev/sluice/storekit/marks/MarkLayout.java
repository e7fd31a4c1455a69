package dev.sluice.storekit.marks;

import dev.sluice.storekit.dynamo.TtlTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a mark's key and expiry live in its DynamoDB item, and in which unit. The stores that predate this toolkit
 * wrote two formats, and their items must still be read the same, so both are kept:
 * <ul>
 *   <li>{@link #epochSeconds}: one attribute, epoch seconds, is both the end of the window (what the code compares)
 *       and the table's TTL attribute; the window is rounded up to whole seconds.</li>
 *   <li>{@link #epochMillis}: the end of the window in epoch millis (what the code compares), and a separate TTL
 *       attribute in epoch seconds, rounded up, which only bounds the table's size.</li>
 * </ul>
 */
public record MarkLayout(String hashKey, String validUntil, Resolution resolution, String ttlAttribute) {
  /** The unit of the {@link #validUntil} attribute. */
  public enum Resolution {
    EPOCH_SECONDS,
    EPOCH_MILLIS
  }

  public MarkLayout {
    Objects.requireNonNull(hashKey, "hashKey");
    Objects.requireNonNull(validUntil, "validUntil");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(ttlAttribute, "ttlAttribute");
  }

  /** The end of the window in {@code expiresAt}, epoch seconds, which is also the TTL attribute. */
  public static MarkLayout epochSeconds(String hashKey, String expiresAt) {
    return new MarkLayout(hashKey, expiresAt, Resolution.EPOCH_SECONDS, expiresAt);
  }

  /** The end of the window in {@code validUntil}, epoch millis; the TTL in {@code ttlAttribute}, epoch seconds. */
  public static MarkLayout epochMillis(String hashKey, String validUntil, String ttlAttribute) {
    return new MarkLayout(hashKey, validUntil, Resolution.EPOCH_MILLIS, ttlAttribute);
  }

  /** The table these items go in: hash key {@link #hashKey}, TTL on {@link #ttlAttribute}. */
  public TtlTable table() {
    return TtlTable.keyedBy(hashKey).expiringOn(ttlAttribute);
  }

  /** Now, in this layout's unit. */
  long now(Clock clock) {
    Instant now = clock.instant();
    return resolution == Resolution.EPOCH_SECONDS ? now.getEpochSecond() : now.toEpochMilli();
  }

  /** The end of a window of {@code length} that starts {@code now} (this layout's unit). */
  long validUntil(long now, Duration length) {
    // Rounded up in seconds, so a mark is never kept for less than the window.
    return resolution == Resolution.EPOCH_SECONDS ? now + (length.toMillis() + 999) / 1000 : now + length.toMillis();
  }

  /** The key and expiry attributes of a mark valid until {@code validUntil} (this layout's unit). */
  Map<String, AttributeValue> keyAndExpiry(StoreKey key, long validUntil) {
    long ttl = resolution == Resolution.EPOCH_SECONDS ? validUntil : TtlTable.ttlSeconds(validUntil);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(hashKey, AttributeValue.fromS(key.value()));
    item.put(ttlAttribute, AttributeValue.fromN(Long.toString(ttl)));
    item.put(this.validUntil, AttributeValue.fromN(Long.toString(validUntil)));
    return item;
  }

  /** Whether a stored item is still valid {@code now} (this layout's unit); one without an expiry is not. */
  boolean validAt(Map<String, AttributeValue> item, long now) {
    AttributeValue until = item.get(validUntil);
    return until != null && until.n() != null && Long.parseLong(until.n()) > now;
  }
}

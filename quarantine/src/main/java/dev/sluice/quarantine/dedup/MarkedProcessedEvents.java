package dev.sluice.quarantine.dedup;

import dev.sluice.storekit.marks.MarkCodec;
import dev.sluice.storekit.marks.MarkLayout;
import dev.sluice.storekit.marks.MarkTable;
import dev.sluice.storekit.marks.Seen;
import dev.sluice.storekit.marks.StoreKey;
import dev.sluice.storekit.marks.WindowMarks;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/** {@link ProcessedEvents} on the store kit's window marks: one mark per {@link EventKey#storeKey()}. */
final class MarkedProcessedEvents implements ProcessedEvents {
  /**
   * The DynamoDB item: {@code pk} (the key), {@code validUntil} (epoch millis, what the code compares) and
   * {@code expiresAt} (epoch seconds, rounded up: the table's TTL attribute, which only bounds the table's size).
   * The marks carry nothing else. Stored: must not change.
   */
  static final MarkTable<Seen> TABLE =
      MarkTable.of(MarkLayout.epochMillis("pk", "validUntil", "expiresAt"), MarkCodec.SEEN_ONLY);

  private final WindowMarks<Seen> marks;

  MarkedProcessedEvents(WindowMarks<Seen> marks) {
    this.marks = Objects.requireNonNull(marks, "marks");
  }

  @Override
  public Future<Boolean> firstTime(String scope, String eventId) {
    return marks.markFirst(StoreKey.of(scope, eventId), Seen.SEEN);
  }

  @Override
  public Future<Boolean> seen(String scope, String eventId) {
    return marks.find(StoreKey.of(scope, eventId)).map(Optional::isPresent);
  }

  @Override
  public Future<Void> forget(String scope, String eventId) {
    return marks.forget(StoreKey.of(scope, eventId));
  }
}

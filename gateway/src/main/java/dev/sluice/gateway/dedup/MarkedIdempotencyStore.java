package dev.sluice.gateway.dedup;

import dev.sluice.gateway.kafka.Appended;
import dev.sluice.storekit.marks.MarkLayout;
import dev.sluice.storekit.marks.StoreKey;
import dev.sluice.storekit.marks.WindowMarks;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link IdempotencyStore} on the store kit's window marks: one mark per event, keyed by
 * {@link StoreKey#of}({@code source}, {@code id}), carrying where the event was appended.
 */
final class MarkedIdempotencyStore implements IdempotencyStore {
  /**
   * The DynamoDB item: {@code pk} (the key) and {@code expiresAt} (epoch seconds: the end of the window, compared on
   * read, and the table's TTL attribute), with {@link AppendedCodec}'s attributes. Stored: must not change.
   */
  static final MarkLayout LAYOUT = MarkLayout.epochSeconds("pk", "expiresAt");

  private final WindowMarks<Appended> marks;

  MarkedIdempotencyStore(WindowMarks<Appended> marks) {
    this.marks = Objects.requireNonNull(marks, "marks");
  }

  @Override
  public Future<Optional<Appended>> find(String source, String id) {
    return marks.find(StoreKey.of(source, id));
  }

  @Override
  public Future<Void> remember(String source, String id, Appended appended) {
    Objects.requireNonNull(appended, "appended");
    // Losing to an earlier, still valid, record is the point: that first result is the one duplicates get.
    return marks.markFirst(StoreKey.of(source, id), appended).mapEmpty();
  }
}

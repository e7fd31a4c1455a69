package dev.sluice.gateway.http;

import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.kafka.Appended;
import java.util.Objects;

/**
 * What became of one event of a batch. {@code id} is the event's id when it could be read, else null.
 */
public sealed interface BatchItemResult {
  int index();

  String id();

  /** Appended and acknowledged by the broker (acks=all). */
  record Accepted(int index, String id, Appended appended) implements BatchItemResult {
    public Accepted {
      Objects.requireNonNull(appended, "appended");
    }
  }

  /** Refused for what it is; {@code rejection} says why. */
  record Rejected(int index, String id, Rejection rejection) implements BatchItemResult {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
    }
  }

  /** Valid, but not appended because another event of its all-or-nothing batch was rejected. */
  record Aborted(int index, String id) implements BatchItemResult {}

  /** Valid, but the broker did not acknowledge it in time: it may or may not be stored. */
  record Failed(int index, String id) implements BatchItemResult {}
}

package dev.sluice.gateway.dedup;

import dev.sluice.ingest.kafka.Appended;
import java.util.Objects;

/** What {@link Deduplicator#admit} did with an event: appended it now, or found it appended before. */
public sealed interface Dedup {
  /** Where the event is in Kafka: the new append, or the original one. */
  Appended appended();

  /** Not seen within the window: appended now. */
  record Fresh(Appended appended) implements Dedup {
    public Fresh {
      Objects.requireNonNull(appended, "appended");
    }
  }

  /** Accepted before within the window (or being appended right now): nothing was appended again. */
  record Duplicate(Appended original) implements Dedup {
    public Duplicate {
      Objects.requireNonNull(original, "original");
    }

    @Override
    public Appended appended() {
      return original;
    }
  }
}

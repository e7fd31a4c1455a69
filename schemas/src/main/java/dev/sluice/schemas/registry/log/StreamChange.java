package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.catalog.StreamDefinition;
import java.util.List;
import java.util.Objects;

/** The outcome of creating or replacing a stream definition. */
public sealed interface StreamChange
    permits StreamChange.Saved, StreamChange.Refused, StreamChange.Conflict, LogUnavailable {

  /**
   * The stream now has this definition.
   *
   * @param created the stream did not exist before
   * @param changed a record was written (false when the same definition was put again)
   */
  record Saved(StreamDefinition stream, boolean created, boolean changed) implements StreamChange {
    public Saved {
      Objects.requireNonNull(stream, "stream");
    }
  }

  /** The definition is invalid on its own or against the registered types (HTTP 422). */
  record Refused(List<StreamProblem> problems) implements StreamChange {
    public Refused {
      problems = List.copyOf(problems);
    }
  }

  /**
   * The definition conflicts with the current state: the topic of an existing stream cannot change, partitions
   * cannot shrink, a topic belongs to one stream, or a concurrent change won (HTTP 409).
   */
  record Conflict(List<StreamProblem> problems) implements StreamChange {
    public Conflict {
      problems = List.copyOf(problems);
    }
  }
}

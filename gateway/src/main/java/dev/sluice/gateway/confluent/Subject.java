package dev.sluice.gateway.confluent;

import java.util.List;
import java.util.Objects;

/** What a Confluent subject name stands for in Sluice ({@link SubjectMapping} decides). */
sealed interface Subject {
  /** The subject name as the client sent it. */
  String name();

  /**
   * One event type: its own name (RecordNameStrategy), or {@code <topic>-value} of a stream that carries only this
   * type (TopicNameStrategy). Every operation works on the type's versions and compatibility.
   */
  record OfType(String name, String type) implements Subject {
    public OfType {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * {@code <topic>-value} of a stream that carries several types: it has no versions of its own. A schema that is a
   * version of one of them can be looked up (and "registered", which finds it); a new schema must be registered under
   * its type's own subject.
   *
   * @param types the stream's types, sorted
   */
  record OfStream(String name, String stream, List<String> types) implements Subject {
    public OfStream {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(stream, "stream");
      types = List.copyOf(types);
    }
  }

  /**
   * No such subject: {@code <topic>-value} or {@code <topic>-key} where nothing maps. {@code why} tells the client
   * what to do instead.
   */
  record Unmapped(String name, String why) implements Subject {
    public Unmapped {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(why, "why");
    }
  }
}

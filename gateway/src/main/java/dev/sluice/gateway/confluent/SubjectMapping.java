package dev.sluice.gateway.confluent;

import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.RegistryState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps Confluent subject names to Sluice event types, against one registry snapshot. Pure. The rules, in order:
 *
 * <ol>
 *   <li>{@code <topic>-value} where a stream's topic is {@code <topic>} (TopicNameStrategy, the serializers'
 *       default): the stream's type if it carries exactly one, else {@link Subject.OfStream} (no versions of its own;
 *       see there);
 *   <li>{@code <topic>-key} where a stream's topic is {@code <topic>}: unmapped, as Sluice streams have no key
 *       schemas (a record's key is read out of its value);
 *   <li>{@code <something>-value} that is neither a stream's topic subject nor a registered type: unmapped, so that a
 *       serializer pointed at a topic Sluice does not know cannot create a type named after it by accident;
 *   <li>anything else: the event type of that exact name (RecordNameStrategy), registered or to be registered.
 * </ol>
 * A stream's topic subject thus wins over a type that happens to be named {@code <topic>-value}.
 */
public final class SubjectMapping {
  static final String VALUE = "-value";
  static final String KEY = "-key";

  private SubjectMapping() {}

  public static Subject resolve(RegistryState state, String name) {
    if (name.endsWith(VALUE)) {
      Optional<StreamDefinition> stream = streamOfTopic(state, stripped(name, VALUE));
      if (stream.isPresent()) {
        List<String> types = stream.get().types().keySet().stream().sorted().toList();
        return types.size() == 1
            ? new Subject.OfType(name, types.get(0))
            : new Subject.OfStream(name, stream.get().name(), types);
      }
      if (state.latest(name).isEmpty()) {
        return new Subject.Unmapped(name, " No stream has topic '" + stripped(name, VALUE) + "': create the stream "
            + "first (PUT /v1/streams/{name}), or use the event type's name as the subject (RecordNameStrategy).");
      }
    }
    if (name.endsWith(KEY) && streamOfTopic(state, stripped(name, KEY)).isPresent()) {
      return new Subject.Unmapped(name, " Sluice streams have no key schemas: a record's key is read out of its value "
          + "by the stream's partition key.");
    }
    return new Subject.OfType(name, name);
  }

  /**
   * The subjects that exist, sorted: every type with a version under its own name, and {@code <topic>-value} of every
   * stream that carries exactly one type. (A topic subject of a stream with several types has no versions, so it is
   * not listed.)
   */
  public static Set<String> subjects(RegistryState state) {
    Set<String> out = new TreeSet<>(state.types());
    for (String name : state.streamNames()) {
      StreamDefinition s = state.stream(name).orElseThrow();
      if (s.types().size() == 1 && state.latest(s.types().keySet().iterator().next()).isPresent()) {
        out.add(s.topic() + VALUE);
      }
    }
    return out;
  }

  /** The stream writing to {@code topic}; the first by name should several (the registry refuses that) share it. */
  private static Optional<StreamDefinition> streamOfTopic(RegistryState state, String topic) {
    for (String name : state.streamNames()) {
      StreamDefinition s = state.stream(name).orElseThrow();
      if (s.topic().equals(topic)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static String stripped(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }
}

package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.JsonPointers;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.compat.CompatibilityChecker;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.marks.SensitiveMarks;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaCompiler;
import dev.sluice.schemas.registry.SchemaFingerprint;
import dev.sluice.schemas.registry.SchemaProblem;
import dev.sluice.schemas.registry.SchemaVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONPointer;
import org.json.JSONPointerException;

/**
 * What a registry write should do, decided from one {@link RegistryState} snapshot: append a record, or answer
 * without writing. Pure functions, so every rule is testable without Kafka; {@link RegistryAdmin} runs them and
 * appends.
 */
public final class RegistryDecisions {
  /** Longest event type name accepted (CloudEvents sets no limit; the name is part of Kafka keys and URLs). */
  public static final int MAX_TYPE_LENGTH = 255;
  /** Kafka's own rule for topic names; stream names follow it too, as they appear in URLs and usually are topics. */
  private static final Pattern KAFKA_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> SCALAR_TYPES = Set.of("string", "number", "integer");
  /** Bound on local {@code $ref} hops while following a partition-key pointer through a schema. */
  private static final int MAX_REF_HOPS = 32;
  /** The rule of a partition key that points at a value marked sensitive. */
  public static final String PARTITION_KEY_MARKED = "partition-key-marked";

  private RegistryDecisions() {}

  /** Either append {@code record} (then re-read the state), or answer now with {@code answer}. */
  public sealed interface Decision<A> {
    record Append<A>(RegistryRecord record) implements Decision<A> {
      public Append {
        Objects.requireNonNull(record, "record");
      }
    }

    record Answer<A>(A answer) implements Decision<A> {
      public Answer {
        Objects.requireNonNull(answer, "answer");
      }
    }
  }

  /**
   * Registering {@code schemaJson} as the next version of {@code type}: refused if it cannot be registered at all,
   * the existing version if the same schema (by fingerprint) is registered, incompatible if it breaks the type's
   * level, else the record for version {@code latest + 1}.
   */
  public static Decision<Registration> register(RegistryState state, String type, String schemaJson) {
    return register(state, type, schemaJson, List.of());
  }

  /**
   * As {@link #register(RegistryState, String, String)}, and when {@code protectedReads} is not empty (the registry
   * protects declared reads), a schema the level allows is still refused with {@link Registration.DeclaredReadsBroken}
   * when it removes, makes optional or narrows a field one of those groups reads ({@link ContractImpact}), against the
   * latest version of this same state.
   */
  public static Decision<Registration> register(RegistryState state, String type, String schemaJson,
      List<DeclaredReader> protectedReads) {
    Optional<SchemaProblem> badName = typeNameProblem(type);
    if (badName.isPresent()) {
      return new Decision.Answer<>(new Registration.Refused(List.of(badName.get())));
    }
    SchemaCompiler.Result compiled = SchemaCompiler.compile(schemaJson);
    if (compiled instanceof SchemaCompiler.Refused refused) {
      return new Decision.Answer<>(new Registration.Refused(refused.problems()));
    }
    List<SchemaProblem> markedKeys = markedKeyProblems(state, type, ((SchemaCompiler.Compiled) compiled).marks());
    if (!markedKeys.isEmpty()) {
      return new Decision.Answer<>(new Registration.Refused(markedKeys));
    }
    Optional<SchemaVersion> existing = state.byFingerprint(type, SchemaFingerprint.of(schemaJson));
    if (existing.isPresent()) {
      return new Decision.Answer<>(new Registration.Existing(existing.get()));
    }
    List<SchemaVersion> previous = state.versions(type);
    Compatibility level = state.compatibility(type);
    List<BreakingChange> changes = CompatibilityChecker.check(
        level, previous.stream().map(SchemaVersion::schemaJson).toList(), schemaJson);
    if (!changes.isEmpty()) {
      return new Decision.Answer<>(new Registration.Incompatible(level, checkedAgainst(level, previous), changes));
    }
    if (!protectedReads.isEmpty() && !previous.isEmpty()) {
      SchemaVersion latest = previous.get(previous.size() - 1);
      ContractImpact impact =
          ContractImpact.of(Optional.of(latest.schemaJson()), schemaJson, List.of(), protectedReads);
      if (!impact.protectedFieldsBroken().isEmpty()) {
        return new Decision.Answer<>(new Registration.DeclaredReadsBroken(latest.version(), impact));
      }
    }
    return new Decision.Append<>(new RegistryRecord.SchemaRegistered(type, previous.size() + 1, schemaJson));
  }

  /** The version numbers a candidate is compared with under {@code level}, oldest first. */
  public static List<Integer> checkedAgainst(Compatibility level, List<SchemaVersion> previous) {
    if (level == Compatibility.NONE || previous.isEmpty()) {
      return List.of();
    }
    List<SchemaVersion> against = level.transitive() ? previous : previous.subList(previous.size() - 1, previous.size());
    return against.stream().map(SchemaVersion::version).toList();
  }

  /**
   * Setting a type's compatibility level. Refused for a type with no version: the level only governs the second
   * version onward, so nothing is lost by setting it after the first, and a mistyped name cannot leave a setting in
   * the log forever (the registry never deletes). Writes when the level is not already explicitly set to
   * {@code level} (an explicit BACKWARD survives a change of the default).
   */
  public static Decision<CompatibilityChange> setCompatibility(RegistryState state, String type, Compatibility level) {
    if (state.latest(type).isEmpty()) {
      return new Decision.Answer<>(new CompatibilityChange.UnknownType(type));
    }
    if (state.hasCompatibilitySetting(type) && state.compatibility(type) == level) {
      return new Decision.Answer<>(new CompatibilityChange.Set(type, level, false));
    }
    return new Decision.Append<>(new RegistryRecord.CompatibilitySet(type, level));
  }

  /**
   * Creating or replacing a stream. Refused (422) when the definition is invalid: names, an empty type list, a type
   * with no registered schema, a partition-key pointer that is not a JSON pointer or that the type's latest schema
   * shows cannot hold a string or number. Conflict (409) when it contradicts the current state: an existing stream's
   * topic cannot change (its events are there), partitions cannot shrink (Kafka cannot; and key order would break),
   * and one topic belongs to one stream. The same definition again answers without writing.
   *
   * @param registryTopic the registry's own topic, which no stream may use
   */
  public static Decision<StreamChange> putStream(RegistryState state, StreamDefinition stream, String registryTopic) {
    List<StreamProblem> refused = new ArrayList<>();
    if (!KAFKA_NAME.matcher(stream.name()).matches() || stream.name().equals(".") || stream.name().equals("..")) {
      refused.add(new StreamProblem("/name", "stream-name",
          "a stream name is 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-'"));
    }
    if (!KAFKA_NAME.matcher(stream.topic()).matches() || stream.topic().equals(".") || stream.topic().equals("..")) {
      refused.add(new StreamProblem("/topic", "topic-name",
          "a Kafka topic name is 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-'"));
    } else if (stream.topic().startsWith("__") || stream.topic().equals(registryTopic)) {
      refused.add(new StreamProblem("/topic", "topic-reserved",
          "topic '" + stream.topic() + "' is reserved (Kafka internal, or the registry's own topic)"));
    }
    if (stream.types().isEmpty()) {
      refused.add(new StreamProblem("/types", "types-empty", "a stream must accept at least one event type"));
    }
    List<EventTypeBinding> bindings = stream.types().values().stream()
        .sorted(Comparator.comparing(EventTypeBinding::type)).toList();
    for (int i = 0; i < bindings.size(); i++) {
      EventTypeBinding b = bindings.get(i);
      Optional<SchemaVersion> latest = state.latest(b.type());
      if (latest.isEmpty()) {
        refused.add(new StreamProblem("/types/" + i + "/type", "unregistered-type",
            "type '" + b.type() + "' has no registered schema; register one with POST /v1/schemas/{type}/versions "
                + "first"));
      }
      Optional<String> keyProblem = partitionKeyProblem(b, latest);
      Optional<String> markedKey = keyProblem.isPresent() ? Optional.empty()
          : markedKeyProblem(b, state.versions(b.type()));
      if (keyProblem.isPresent()) {
        refused.add(new StreamProblem("/types/" + i + "/partitionKey", "partition-key", keyProblem.get()));
      } else if (markedKey.isPresent()) {
        refused.add(new StreamProblem("/types/" + i + "/partitionKey", PARTITION_KEY_MARKED, markedKey.get()));
      }
    }
    if (!refused.isEmpty()) {
      return new Decision.Answer<>(new StreamChange.Refused(refused));
    }

    List<StreamProblem> conflicts = new ArrayList<>();
    Optional<StreamDefinition> existing = state.stream(stream.name());
    if (existing.isPresent() && !existing.get().topic().equals(stream.topic())) {
      conflicts.add(new StreamProblem("/topic", "topic-immutable", "stream '" + stream.name() + "' writes to topic '"
          + existing.get().topic() + "'; the topic of an existing stream cannot change"));
    }
    if (existing.isPresent() && stream.partitions() < existing.get().partitions()) {
      conflicts.add(new StreamProblem("/partitions", "partitions-shrink", "stream '" + stream.name() + "' has "
          + existing.get().partitions() + " partitions; partitions can be added, never removed"));
    }
    state.catalog().streamForTopic(stream.topic())
        .filter(other -> !other.name().equals(stream.name()))
        .ifPresent(other -> conflicts.add(new StreamProblem("/topic", "topic-taken",
            "topic '" + stream.topic() + "' already belongs to stream '" + other.name() + "'")));
    if (!conflicts.isEmpty()) {
      return new Decision.Answer<>(new StreamChange.Conflict(conflicts));
    }
    if (existing.isPresent() && existing.get().equals(stream)) {
      return new Decision.Answer<>(new StreamChange.Saved(stream, false, false));
    }
    return new Decision.Append<>(new RegistryRecord.StreamPut(stream));
  }

  /**
   * Why a binding's partition key may not be used: some version of its type (any may be pinned by an event) marks the
   * value it points at sensitive, or a value around it. Keys are stored in the clear (Kafka keys, logs, metrics of
   * order), so a key must never be a marked value.
   */
  static Optional<String> markedKeyProblem(EventTypeBinding b, List<SchemaVersion> versions) {
    for (SchemaVersion v : versions) {
      Optional<String> mark = v.marks().markCovering(b.partitionKeyPointer());
      if (mark.isPresent()) {
        return Optional.of(markedKeyMessage(b, "version " + v.version() + " of its schema", mark.get()));
      }
    }
    return Optional.empty();
  }

  /** The streams that key {@code type} by a value that {@code marks} (the candidate's) marks sensitive. */
  private static List<SchemaProblem> markedKeyProblems(RegistryState state, String type, SensitiveMarks marks) {
    List<SchemaProblem> out = new ArrayList<>();
    for (StreamDefinition stream : state.catalog().streams()) {
      Optional<EventTypeBinding> b = stream.type(type);
      Optional<String> mark = b.flatMap(binding -> marks.markCovering(binding.partitionKeyPointer()));
      if (mark.isPresent()) {
        out.add(new SchemaProblem(mark.get() + "/" + SensitiveMarks.SENSITIVE, PARTITION_KEY_MARKED,
            "stream '" + stream.name() + "': " + markedKeyMessage(b.get(), "this schema", mark.get())));
      }
    }
    return out;
  }

  private static String markedKeyMessage(EventTypeBinding b, String schema, String mark) {
    return "partition key " + b.partitionKeyPointer() + " of '" + b.type() + "' points at a value that " + schema
        + " marks sensitive (at " + (mark.isEmpty() ? "the root" : mark) + "); partition keys are stored in the "
        + "clear, so key by an unmarked member, such as the data subject";
  }

  /**
   * Why {@code type} cannot name an event type, if it cannot: 1 to {@value #MAX_TYPE_LENGTH} characters, none of them
   * whitespace, a control character or '/'.
   */
  public static Optional<SchemaProblem> typeNameProblem(String type) {
    boolean ok = !type.isEmpty() && type.length() <= MAX_TYPE_LENGTH
        && type.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '/');
    return ok ? Optional.empty() : Optional.of(new SchemaProblem("", "type-name",
        "an event type name is 1 to " + MAX_TYPE_LENGTH + " characters without whitespace, control characters or '/'"));
  }

  /**
   * Checks a partition-key pointer: it must parse as a JSON pointer, and where the type's latest schema declares the
   * path (through {@code properties} and local {@code $ref}s), it must be declared and may hold a string or number.
   * Where the schema cannot tell (no {@code properties} at some level, {@code allOf}/{@code oneOf},
   * {@code patternProperties} or an {@code additionalProperties} schema), the pointer is accepted.
   */
  static Optional<String> partitionKeyProblem(EventTypeBinding b, Optional<SchemaVersion> latest) {
    String pointer = b.partitionKeyPointer();
    List<String> tokens;
    try {
      new JSONPointer(pointer);
      tokens = JsonPointers.tokens(pointer).orElseThrow(() -> new IllegalArgumentException("bad escape"));
    } catch (JSONPointerException | IllegalArgumentException e) {
      return Optional.of("partition key of '" + b.type() + "' is not a valid JSON pointer: " + pointer);
    }
    if (tokens.isEmpty() || latest.isEmpty()) {
      return tokens.isEmpty()
          ? Optional.of("the partition key of '" + b.type() + "' must point into data, not be data itself")
          : Optional.empty();
    }
    JSONObject root = new JSONObject(latest.get().schemaJson());
    Object node = root;
    for (String token : tokens) {
      JSONObject schema = resolve(root, node);
      if (schema == null) {
        return Optional.empty();
      }
      JSONObject properties = schema.optJSONObject("properties");
      if (properties != null && properties.has(token)) {
        node = properties.get(token);
        continue;
      }
      if (properties == null || schema.has("patternProperties")
          || schema.opt("additionalProperties") instanceof JSONObject) {
        return Optional.empty();
      }
      return Optional.of("partition key " + pointer + " of '" + b.type() + "' names a property ('" + token
          + "') that version " + latest.get().version() + " of its schema does not declare");
    }
    JSONObject leaf = resolve(root, node);
    if (leaf != null && leaf.has("type") && !holdsScalar(leaf.get("type"))) {
      return Optional.of("partition key " + pointer + " of '" + b.type() + "' points at a " + leaf.get("type")
          + "; a partition key must be a string or a number");
    }
    return Optional.empty();
  }

  private static boolean holdsScalar(Object type) {
    if (type instanceof String s) {
      return SCALAR_TYPES.contains(s);
    }
    if (type instanceof JSONArray a) {
      for (Object t : a) {
        if (t instanceof String s && SCALAR_TYPES.contains(s)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  /** The schema object {@code node} stands for, following local {@code $ref}s; null when it cannot tell. */
  private static JSONObject resolve(JSONObject root, Object node) {
    for (int hops = 0; hops < MAX_REF_HOPS; hops++) {
      if (!(node instanceof JSONObject schema)) {
        return null;
      }
      if (!(schema.opt("$ref") instanceof String ref)) {
        return schema;
      }
      if (!ref.startsWith("#")) {
        return null;
      }
      try {
        node = ref.equals("#") ? root : new JSONPointer(ref).queryFrom(root);
      } catch (JSONPointerException | IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}

package dev.sluice.schemas.contracts;

import dev.sluice.schemas.JsonPointers;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one consumer group declares it relies on: per CloudEvent type, the JSON pointers into the event it reads (for
 * example {@code /data/price}), and who to talk to before changing them. Producers see it in the stream catalog and in
 * the registry's answers to a proposed schema change.
 *
 * <p>A pointer is an RFC 6901 pointer into the CloudEvent as delivered, below {@code /data} (the part a type's schema
 * describes); {@code /data} alone is the whole data. The token {@code *} stands for any array item or any member, as in
 * the paths of sensitive marks. Bounds keep a group's heartbeat item far below DynamoDB's 400 KB item limit.
 *
 * <p>Immutable; a bad declaration is an {@link IllegalArgumentException} naming the type and the pointer, thrown when
 * the consumer is built, so it is refused at start-up rather than sent.
 *
 * @param owner the team that owns the consumer group ("" when unstated)
 * @param contact how to reach it, e.g. a channel or an address ("" when unstated)
 * @param reads per CloudEvent type, the pointers read; sorted, unmodifiable
 */
public record ReadContract(String owner, String contact, SortedMap<String, SortedSet<String>> reads) {
  /** A group that declares nothing. */
  public static final ReadContract NONE = new ReadContract("", "", new TreeMap<>());

  public static final int MAX_TEXT_LENGTH = 255;
  public static final int MAX_TYPES = 100;
  public static final int MAX_POINTERS = 500;
  public static final int MAX_POINTER_LENGTH = 200;
  /** The part of a CloudEvent a type's schema describes. */
  public static final String DATA = "/data";

  public ReadContract {
    owner = text("owner", owner);
    contact = text("contact", contact);
    Objects.requireNonNull(reads, "reads");
    if (reads.size() > MAX_TYPES) {
      throw new IllegalArgumentException("a read contract names at most " + MAX_TYPES + " types, got " + reads.size());
    }
    TreeMap<String, SortedSet<String>> copy = new TreeMap<>();
    int pointers = 0;
    for (Map.Entry<String, ? extends SortedSet<String>> e : reads.entrySet()) {
      String type = e.getKey();
      if (type == null || type.isBlank() || type.length() > MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException("a read contract's type must be 1-" + MAX_TEXT_LENGTH
            + " characters, not blank");
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("the read contract of type `" + type + "` names no pointer");
      }
      for (String p : e.getValue()) {
        Optional<String> problem = pointerProblem(p);
        if (problem.isPresent()) {
          throw new IllegalArgumentException("the read contract of type `" + type + "`: " + problem.get());
        }
      }
      pointers += e.getValue().size();
      copy.put(type, Collections.unmodifiableSortedSet(new TreeSet<>(e.getValue())));
    }
    if (pointers > MAX_POINTERS) {
      throw new IllegalArgumentException("a read contract names at most " + MAX_POINTERS + " pointers, got "
          + pointers);
    }
    reads = Collections.unmodifiableSortedMap(copy);
  }

  /** A builder: {@code ReadContract.builder().owner("payments").reads("order.placed", "/data/price").build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the group declares anything it reads. */
  public boolean declaresReads() {
    return !reads.isEmpty();
  }

  /**
   * Why {@code pointer} cannot be declared, or empty when it can: it must be a JSON pointer of at most
   * {@value #MAX_POINTER_LENGTH} characters, {@code /data} or below it, without empty tokens.
   */
  public static Optional<String> pointerProblem(String pointer) {
    if (pointer == null) {
      return Optional.of("a pointer is null");
    }
    if (pointer.length() > MAX_POINTER_LENGTH) {
      return Optional.of("pointer `" + pointer.substring(0, 40) + "…` is longer than " + MAX_POINTER_LENGTH
          + " characters");
    }
    Optional<List<String>> tokens = JsonPointers.tokens(pointer);
    if (tokens.isEmpty()) {
      return Optional.of("`" + pointer + "` is not a JSON pointer (RFC 6901: it starts with / and escapes ~ as ~0)");
    }
    if (tokens.get().isEmpty() || !tokens.get().get(0).equals("data")) {
      return Optional.of("pointer `" + pointer + "` must be " + DATA + " or below it: a type's schema describes only"
          + " the event's data");
    }
    if (tokens.get().stream().anyMatch(String::isEmpty)) {
      return Optional.of("pointer `" + pointer + "` has an empty token");
    }
    return Optional.empty();
  }

  private static String text(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException("a read contract's " + what + " must be at most " + MAX_TEXT_LENGTH
          + " characters");
    }
    return value.strip();
  }

  /** Collects a contract; {@link #build} validates it. */
  public static final class Builder {
    private String owner = "";
    private String contact = "";
    private final TreeMap<String, SortedSet<String>> reads = new TreeMap<>();

    private Builder() {}

    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    public Builder contact(String contact) {
      this.contact = Objects.requireNonNull(contact, "contact");
      return this;
    }

    /** Adds pointers the group reads in events of {@code type}; may be called again for the same type. */
    public Builder reads(String type, String... pointers) {
      Objects.requireNonNull(type, "type");
      SortedSet<String> set = reads.computeIfAbsent(type, t -> new TreeSet<>());
      for (String p : pointers) {
        set.add(Objects.requireNonNull(p, "a pointer of " + type));
      }
      return this;
    }

    public ReadContract build() {
      return new ReadContract(owner, contact, reads);
    }
  }
}

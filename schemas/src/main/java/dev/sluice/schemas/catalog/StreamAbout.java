package dev.sluice.schemas.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.json.JSONObject;

/**
 * What a stream's catalog page says of it besides its mechanics: who owns it, whom to talk to before a breaking change,
 * what it carries, and how fresh its consumers' views should be. A stream is a published product; these are its
 * label. Every part is optional, and none changes how events flow.
 *
 * <p>In JSON (the stream catalog, the registry log and the registry API): {@code "owner"}, {@code "contact"},
 * {@code "description"} (strings) and {@code "stalenessObjective"} (an ISO-8601 duration, e.g. {@code "PT5M"}: a
 * consumer group whose last handled event is older than that, while events wait, breaks it).
 *
 * @param owner the owning team, e.g. {@code "team-catalog"}
 * @param contact where to ask, e.g. a channel or an address
 * @param description what the stream carries, for its readers
 * @param stalenessObjective the longest a consumer's view may lag behind the stream's newest events
 */
public record StreamAbout(Optional<String> owner, Optional<String> contact, Optional<String> description,
    Optional<Duration> stalenessObjective) {
  /** Nothing said. */
  public static final StreamAbout NONE = new StreamAbout(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty());
  /** The longest owner or contact, in characters. */
  public static final int MAX_NAME = 200;
  /** The longest description, in characters. */
  public static final int MAX_DESCRIPTION = 4000;
  /** The shortest and longest staleness objective. */
  public static final Duration MIN_OBJECTIVE = Duration.ofSeconds(1);
  public static final Duration MAX_OBJECTIVE = Duration.ofDays(30);

  public StreamAbout {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(stalenessObjective, "stalenessObjective");
    owner.flatMap(o -> textProblem(o, MAX_NAME, false)).ifPresent(p -> fail("owner " + p));
    contact.flatMap(c -> textProblem(c, MAX_NAME, false)).ifPresent(p -> fail("contact " + p));
    description.flatMap(d -> textProblem(d, MAX_DESCRIPTION, true)).ifPresent(p -> fail("description " + p));
    stalenessObjective.flatMap(StreamAbout::objectiveProblem).ifPresent(p -> fail("stalenessObjective " + p));
  }

  private static void fail(String why) {
    throw new IllegalArgumentException(why);
  }

  /**
   * What is wrong with a text part, if anything: empty or blank, longer than {@code max}, or holding a control
   * character (a description may hold line breaks).
   */
  public static Optional<String> textProblem(String text, int max, boolean lines) {
    if (text.isBlank()) {
      return Optional.of("must not be blank");
    }
    if (text.length() > max) {
      return Optional.of("must be at most " + max + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && !(lines && (c == '\n' || c == '\r' || c == '\t'))) {
        return Optional.of("must not hold control characters");
      }
    }
    return Optional.empty();
  }

  /** What is wrong with a staleness objective, if anything. */
  public static Optional<String> objectiveProblem(Duration objective) {
    return objective.compareTo(MIN_OBJECTIVE) < 0 || objective.compareTo(MAX_OBJECTIVE) > 0
        ? Optional.of("must be between 1 second (PT1S) and 30 days (P30D)") : Optional.empty();
  }

  /**
   * Reads a staleness objective's JSON value.
   *
   * @throws IllegalArgumentException when it is not an ISO-8601 duration within the bounds
   */
  public static Duration parseObjective(String value) {
    Duration d;
    try {
      d = Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("stalenessObjective must be an ISO-8601 duration such as \"PT5M\"");
    }
    objectiveProblem(d).ifPresent(p -> fail("stalenessObjective " + p));
    return d;
  }

  /** Reads the parts a stream definition's JSON holds (absent ones empty). */
  static StreamAbout read(JSONObject s) {
    return new StreamAbout(
        s.has("owner") ? Optional.of(s.getString("owner")) : Optional.empty(),
        s.has("contact") ? Optional.of(s.getString("contact")) : Optional.empty(),
        s.has("description") ? Optional.of(s.getString("description")) : Optional.empty(),
        s.has("stalenessObjective") ? Optional.of(parseObjective(s.getString("stalenessObjective")))
            : Optional.empty());
  }

  /** Writes the parts it holds into a stream definition's JSON. */
  void write(JSONObject json) {
    owner.ifPresent(v -> json.put("owner", v));
    contact.ifPresent(v -> json.put("contact", v));
    description.ifPresent(v -> json.put("description", v));
    stalenessObjective.ifPresent(v -> json.put("stalenessObjective", v.toString()));
  }
}

package dev.sluice.schemas.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a stream's topic keeps its events: part of the stream's contract, because in an event-sourced system the log
 * is the source of truth that every view is rebuilt from, and a replay can only start where the log still has events.
 *
 * <ul>
 *   <li>{@link #FOREVER}: nothing is deleted for age ({@code retention.ms = -1}). With Kafka's tiered storage the old
 *       segments move to object storage, so years stay affordable.
 *   <li>{@link #keep(Duration)}: events older than that are deleted.
 *   <li>{@link #DEPLOYMENT_DEFAULT}: the stream does not say; the deployment's {@code sluice.topics.retention} applies.
 * </ul>
 *
 * <p>In JSON (the stream catalog, the registry log and the registry API) it is {@code "retention": "forever"} or an
 * ISO-8601 duration such as {@code "P30D"}; absent means the deployment's default.
 */
public sealed interface Retention {
  /** The JSON word for keeping everything. */
  String FOREVER_WORD = "forever";

  Retention FOREVER = new Forever();
  Retention DEPLOYMENT_DEFAULT = new DeploymentDefault();

  /** Keep events for {@code age} (at least one hour: a stream is a log, not a buffer). */
  static Retention keep(Duration age) {
    return new Keep(age);
  }

  /** The retention to apply: this one, or {@code deploymentDefault} when the stream leaves it to the deployment. */
  default Retention or(Retention deploymentDefault) {
    return this;
  }

  /** Kafka's {@code retention.ms} for it: -1 for forever. Only for a resolved retention (not the default). */
  long retentionMs();

  /** The JSON value, or empty when the stream leaves retention to the deployment. */
  Optional<String> json();

  /**
   * Reads the JSON value: {@code "forever"}, or an ISO-8601 duration of at least one hour.
   *
   * @throws IllegalArgumentException with a message for the producer of the definition
   */
  static Retention parse(String value) {
    Objects.requireNonNull(value, "value");
    if (value.equals(FOREVER_WORD)) {
      return FOREVER;
    }
    try {
      return keep(Duration.parse(value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("retention must be \"" + FOREVER_WORD
          + "\" or an ISO-8601 duration of at least one hour, such as \"P30D\"; was \"" + value + "\"");
    }
  }

  /** Nothing is deleted for age. */
  record Forever() implements Retention {
    @Override
    public long retentionMs() {
      return -1;
    }

    @Override
    public Optional<String> json() {
      return Optional.of(FOREVER_WORD);
    }
  }

  /** Events older than {@code age} are deleted. */
  record Keep(Duration age) implements Retention {
    public Keep {
      Objects.requireNonNull(age, "age");
      if (age.compareTo(Duration.ofHours(1)) < 0) {
        throw new IllegalArgumentException("retention must be at least one hour (PT1H), was " + age);
      }
    }

    @Override
    public long retentionMs() {
      return age.toMillis();
    }

    /** Whole days as {@code P30D}, as people write them; anything else as {@code Duration} prints it. */
    @Override
    public Optional<String> json() {
      long days = age.toDays();
      return Optional.of(age.equals(Duration.ofDays(days)) ? "P" + days + "D" : age.toString());
    }
  }

  /** The stream leaves retention to the deployment ({@code sluice.topics.retention}). */
  record DeploymentDefault() implements Retention {
    @Override
    public Retention or(Retention deploymentDefault) {
      return Objects.requireNonNull(deploymentDefault, "deploymentDefault");
    }

    @Override
    public long retentionMs() {
      throw new IllegalStateException("the deployment's default retention applies: resolve it with or(...) first");
    }

    @Override
    public Optional<String> json() {
      return Optional.empty();
    }
  }
}

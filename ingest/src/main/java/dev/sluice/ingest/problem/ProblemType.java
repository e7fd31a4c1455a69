package dev.sluice.ingest.problem;

import java.util.Locale;
import java.util.Objects;

/**
 * A kind of problem (RFC 9457): its type URI, the HTTP status it is answered with, and its title. Each vocabulary
 * defines its types once, as an enum implementing this whose constants are named after their slugs; every server
 * renders them the same way.
 */
public interface ProblemType {
  /** Every Sluice problem type URI is this followed by the type's slug. */
  String TYPE_BASE = "https://sluice.dev/problems/";

  /**
   * What does not change from one occurrence of a type to the next.
   *
   * @param status the HTTP status of the problem where it first arises (a server may answer it in another context
   *     otherwise)
   * @param title a short summary
   */
  record Spec(int status, String title) {
    public Spec {
      Objects.requireNonNull(title, "title");
    }
  }

  /** The constant's name, e.g. {@code SCHEMA_VIOLATION} (an enum's {@code name()}). */
  String name();

  Spec spec();

  /** The last segment of the type URI: the name in lower case with hyphens, e.g. {@code schema-violation}. */
  default String slug() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  default int status() {
    return spec().status();
  }

  default String title() {
    return spec().title();
  }

  /** The type URI, e.g. {@code https://sluice.dev/problems/schema-violation}. */
  default String uri() {
    return TYPE_BASE + slug();
  }
}

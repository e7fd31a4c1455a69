package dev.sluice.ingest.problem;

/**
 * A kind of problem (RFC 9457): its type URI, the HTTP status it is answered with, and its title. Each vocabulary
 * defines its types once, as an enum implementing this; every server renders them the same way.
 */
public interface ProblemType {
  /** Every Sluice problem type URI is this followed by the type's slug. */
  String TYPE_BASE = "https://sluice.dev/problems/";

  /** The last segment of the type URI, e.g. {@code schema-violation}. */
  String slug();

  /** The HTTP status of the problem where it first arises (a server may answer it in another context otherwise). */
  int status();

  /** A short summary that does not change from one occurrence to the next. */
  String title();

  /** The type URI, e.g. {@code https://sluice.dev/problems/schema-violation}. */
  default String uri() {
    return TYPE_BASE + slug();
  }
}

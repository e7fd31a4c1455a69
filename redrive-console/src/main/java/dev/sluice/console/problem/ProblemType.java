package dev.sluice.console.problem;

import io.vertx.core.json.JsonObject;

/**
 * A kind of problem: the last segment of its type URI, its HTTP status and its title, the same every time it occurs.
 * The console's own kinds are {@link ConsoleProblem}; a redriven ingress reject is answered with ingest's kinds, which
 * come from where ingest's refusals are defined (the redrive package's {@code EventRefused} is the seam).
 */
public interface ProblemType {
  /** The last segment of the type URI, e.g. {@code redrive-conflict}. */
  String slug();

  int status();

  String title();

  /** An occurrence of this kind of problem. */
  default Problem problem(String detail) {
    return problem(detail, new JsonObject());
  }

  /** An occurrence with extra members (e.g. {@code violations}, {@code parameter}). */
  default Problem problem(String detail, JsonObject members) {
    return new Problem(slug(), title(), status(), detail, members);
  }
}

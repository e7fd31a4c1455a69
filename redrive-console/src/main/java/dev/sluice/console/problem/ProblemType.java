package dev.sluice.console.problem;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A kind of problem, the same every time it occurs: the last segment of its type URI ({@value Problem#TYPE_BASE}
 * {@code <slug>}), its HTTP status and its title. The console's own kinds are {@link ConsoleProblem}'s; a redriven
 * ingress reject is answered with ingest's kinds, which come from where ingest's refusals are defined (the redrive
 * package's {@code EventRefused} is the seam).
 *
 * @param slug e.g. {@code redrive-conflict}; the API documents these URIs, so a published slug never changes
 */
public record ProblemType(String slug, int status, String title) {
  public ProblemType {
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(title, "title");
  }

  /** An occurrence of this kind of problem. */
  public Problem problem(String detail) {
    return problem(detail, new JsonObject());
  }

  /** An occurrence with extra members (e.g. {@code violations}, {@code parameter}). */
  public Problem problem(String detail, JsonObject members) {
    return new Problem(slug, title, status, detail, members);
  }
}

package dev.sluice.console.redrive;

import dev.sluice.console.ingress.IngressRefusal;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.Problem;
import java.util.Objects;

/**
 * A redriven ingress reject would be refused by ingest (it cannot be read, or breaks a rule of its stream); nothing
 * was written. Answered with ingest's own problem type for the refusal ({@link RefusalProblem}), not a console one.
 */
public record EventRefused(IngressRefusal refusal) implements ConsoleError {
  public EventRefused {
    Objects.requireNonNull(refusal, "refusal");
  }

  @Override
  public Problem problem() {
    return RefusalProblem.of(refusal);
  }
}

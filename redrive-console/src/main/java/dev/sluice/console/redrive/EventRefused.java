package dev.sluice.console.redrive;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.Problem;
import dev.sluice.console.problem.ViolationJson;
import dev.sluice.ingest.Rejection;
import java.util.Objects;

/**
 * A redriven ingress reject would be refused by ingest (it cannot be read, or breaks a rule of its stream); nothing
 * was written. Answered with the ingest contract's own problem type, detail and members for the refusal, and always its
 * violations (pointers rooted at the event) for the page to show next to the data.
 */
public record EventRefused(Rejection refusal) implements ConsoleError {
  /** 422 whatever ingest would answer: the redrive request is understood; the event it would append is refused. */
  static final int STATUS = 422;

  public EventRefused {
    Objects.requireNonNull(refusal, "refusal");
  }

  @Override
  public Problem problem() {
    return Problem.of(refusal.problem(), STATUS, refusal.detail(),
        refusal.members().put("violations", ViolationJson.of(refusal.violations())));
  }
}

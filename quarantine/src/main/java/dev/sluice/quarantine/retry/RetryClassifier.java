package dev.sluice.quarantine.retry;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Separates transient handler failures (retry) from poison (quarantine at once), in the Resilience4j manner: a failure
 * is retryable when it matches {@code retryOn}, unless it matches {@code ignore}. "Ignore" always wins. The whole cause
 * chain is examined, so a poison pill wrapped by a framework is still seen as one.
 */
public record RetryClassifier(Predicate<Throwable> retryOn, Predicate<Throwable> ignore) {

  public RetryClassifier {
    Objects.requireNonNull(retryOn, "retryOn");
    Objects.requireNonNull(ignore, "ignore");
  }

  /**
   * Every exception is retryable, except {@link PoisonPill} and {@link IllegalArgumentException}: a handler that says
   * the input is wrong will say so again on every attempt.
   */
  public static RetryClassifier defaults() {
    return new RetryClassifier(t -> true, instanceOfAny(List.of(PoisonPill.class, IllegalArgumentException.class)));
  }

  /** The same classifier, with more failure types that are never retried. */
  public RetryClassifier ignoring(List<Class<? extends Throwable>> types) {
    return new RetryClassifier(retryOn, ignore.or(instanceOfAny(types)));
  }

  public boolean isRetryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (ignore.test(t)) {
        return false;
      }
    }
    return retryOn.test(failure);
  }

  private static Predicate<Throwable> instanceOfAny(List<Class<? extends Throwable>> types) {
    List<Class<? extends Throwable>> copy = List.copyOf(types);
    return t -> copy.stream().anyMatch(c -> c.isInstance(t));
  }
}

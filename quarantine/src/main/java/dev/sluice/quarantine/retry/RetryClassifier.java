package dev.sluice.quarantine.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Separates transient handler failures (retry) from poison (quarantine at once), in the Resilience4j manner: a failure
 * is retryable when it matches {@code retryOn}, unless it matches {@code ignore} (the non-retryable rule). The
 * non-retryable rule always wins. The whole cause chain is examined by both, so a poison pill (or a retryable I/O
 * error) wrapped by a framework is still seen for what it is.
 *
 * <pre>{@code
 * RetryClassifier c = RetryClassifier.builder()
 *     .retryOn(IOException.class, TimeoutException.class)   // only these are retried (none listed: everything is)
 *     .retryIf(e -> e instanceof HttpError h && h.status() >= 500)
 *     .neverRetry(PoisonPill.class, IllegalArgumentException.class)
 *     .neverRetryIf(e -> e instanceof HttpError h && h.status() == 404)
 *     .build();
 * }</pre>
 *
 * @param retryOn failures that may be retried
 * @param ignore failures that are never retried, whatever {@code retryOn} says
 */
public record RetryClassifier(Predicate<Throwable> retryOn, Predicate<Throwable> ignore) {

  public RetryClassifier {
    Objects.requireNonNull(retryOn, "retryOn");
    Objects.requireNonNull(ignore, "ignore");
  }

  /** The failure types the defaults never retry: a handler that says the input is wrong will say so every time. */
  public static final List<Class<? extends Throwable>> DEFAULT_NON_RETRYABLE =
      List.of(PoisonPill.class, IllegalArgumentException.class);

  /**
   * Every handler exception is retryable, except {@link PoisonPill} and {@link IllegalArgumentException} (and their
   * subclasses, such as {@link NumberFormatException}), anywhere in the cause chain.
   */
  public static RetryClassifier defaults() {
    return builder().neverRetry(DEFAULT_NON_RETRYABLE).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The same classifier, with more failure types that are never retried. */
  public RetryClassifier ignoring(List<Class<? extends Throwable>> types) {
    return new RetryClassifier(retryOn, ignore.or(instanceOfAny(types)));
  }

  /** The same classifier, with failures matching {@code predicate} never retried. */
  public RetryClassifier ignoringIf(Predicate<Throwable> predicate) {
    return new RetryClassifier(retryOn, ignore.or(Objects.requireNonNull(predicate, "predicate")));
  }

  public boolean isRetryable(Throwable failure) {
    return !anyInChain(failure, ignore) && anyInChain(failure, retryOn);
  }

  private static boolean anyInChain(Throwable failure, Predicate<Throwable> test) {
    int depth = 0;
    // Bounded: a cause chain with a cycle (possible through initCause) must not loop forever.
    for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }

  private static Predicate<Throwable> instanceOfAny(List<Class<? extends Throwable>> types) {
    List<Class<? extends Throwable>> copy = List.copyOf(types);
    return t -> copy.stream().anyMatch(c -> c.isInstance(t));
  }

  /** Builds a classifier from types and predicates; with no retryable rule at all, every failure is retryable. */
  public static final class Builder {
    private final List<Predicate<Throwable>> retryable = new ArrayList<>();
    private final List<Predicate<Throwable>> nonRetryable = new ArrayList<>();

    private Builder() {}

    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      return retryOn(List.of(types));
    }

    public Builder retryOn(List<Class<? extends Throwable>> types) {
      return retryIf(instanceOfAny(types));
    }

    public Builder retryIf(Predicate<Throwable> predicate) {
      retryable.add(Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    @SafeVarargs
    public final Builder neverRetry(Class<? extends Throwable>... types) {
      return neverRetry(List.of(types));
    }

    public Builder neverRetry(List<Class<? extends Throwable>> types) {
      return neverRetryIf(instanceOfAny(types));
    }

    public Builder neverRetryIf(Predicate<Throwable> predicate) {
      nonRetryable.add(Objects.requireNonNull(predicate, "predicate"));
      return this;
    }

    public RetryClassifier build() {
      List<Predicate<Throwable>> yes = List.copyOf(retryable);
      List<Predicate<Throwable>> no = List.copyOf(nonRetryable);
      Predicate<Throwable> retryOn = yes.isEmpty() ? t -> true : t -> yes.stream().anyMatch(p -> p.test(t));
      return new RetryClassifier(retryOn, t -> no.stream().anyMatch(p -> p.test(t)));
    }
  }
}

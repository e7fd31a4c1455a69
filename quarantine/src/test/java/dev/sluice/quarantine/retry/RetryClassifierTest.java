package dev.sluice.quarantine.retry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RetryClassifierTest {
  private final RetryClassifier defaults = RetryClassifier.defaults();

  @Test
  void ordinaryFailuresAreRetryableByDefault() {
    assertTrue(defaults.isRetryable(new IllegalStateException("not yet")));
    assertTrue(defaults.isRetryable(new UncheckedIOException(new IOException("timeout"))));
  }

  @Test
  void poisonPillsAndIllegalArgumentsAreNotRetryable() {
    assertFalse(defaults.isRetryable(new PoisonPill("price too high")));
    assertFalse(defaults.isRetryable(new IllegalArgumentException("bad")));
    assertFalse(defaults.isRetryable(new NumberFormatException("subclass of IllegalArgumentException")));
  }

  @Test
  void aWrappedPoisonPillIsStillPoison() {
    assertFalse(defaults.isRetryable(new CompletionException(new PoisonPill("inside"))));
  }

  @Test
  void ignoreWinsOverRetryOn() {
    RetryClassifier c = new RetryClassifier(t -> t instanceof IllegalStateException, t -> t instanceof IllegalStateException);
    assertFalse(c.isRetryable(new IllegalStateException()));
  }

  @Test
  void retryOnLimitsWhatIsRetried() {
    RetryClassifier onlyIo = new RetryClassifier(t -> t instanceof UncheckedIOException, t -> false);
    assertTrue(onlyIo.isRetryable(new UncheckedIOException(new IOException())));
    assertFalse(onlyIo.isRetryable(new IllegalStateException()));
  }

  @Test
  void moreIgnoredTypesCanBeAdded() {
    RetryClassifier c = defaults.ignoring(List.of(UnsupportedOperationException.class));
    assertFalse(c.isRetryable(new UnsupportedOperationException()));
    assertFalse(c.isRetryable(new PoisonPill("still")));
    assertTrue(c.isRetryable(new IllegalStateException()));
  }

  @Test
  void typesAndPredicatesCombineAndNonRetryableWins() {
    RetryClassifier c = RetryClassifier.builder()
        .retryOn(UncheckedIOException.class)
        .retryIf(t -> t instanceof IllegalStateException && "busy".equals(t.getMessage()))
        .neverRetry(PoisonPill.class)
        .neverRetryIf(t -> t instanceof UncheckedIOException && t.getMessage() != null
            && t.getMessage().contains("disk full"))
        .build();
    assertTrue(c.isRetryable(new UncheckedIOException(new IOException("reset"))));
    assertTrue(c.isRetryable(new IllegalStateException("busy")));
    assertFalse(c.isRetryable(new IllegalStateException("other")), "not named as retryable");
    assertFalse(c.isRetryable(new UncheckedIOException("disk full", new IOException())), "the predicate vetoes");
    assertFalse(c.isRetryable(new UncheckedIOException(new IOException(new PoisonPill("deep")))),
        "non-retryable anywhere in the chain wins over a retryable outer failure");
    assertTrue(c.isRetryable(new CompletionException(new UncheckedIOException(new IOException()))),
        "a retryable cause inside a wrapper is retryable");
  }

  @Test
  void aBuilderWithNoRetryableRuleRetriesEverythingNotVetoed() {
    RetryClassifier c = RetryClassifier.builder().neverRetryIf(t -> t instanceof ArithmeticException).build();
    assertTrue(c.isRetryable(new RuntimeException()));
    assertFalse(c.isRetryable(new ArithmeticException()));
    assertFalse(defaults.ignoringIf(t -> t instanceof ArithmeticException).isRetryable(new ArithmeticException()));
  }

  @Test
  void aCauseChainWithACycleEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertTrue(defaults.isRetryable(a));
  }
}

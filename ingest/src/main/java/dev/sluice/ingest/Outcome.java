package dev.sluice.ingest;

import java.util.Objects;
import java.util.function.Function;

/** The result of one ingest step: a value to carry on with, or the {@link Rejection} that ends the chain. */
public sealed interface Outcome<T> {

  record Ok<T>(T value) implements Outcome<T> {
    public Ok {
      Objects.requireNonNull(value, "value");
    }
  }

  record Rejected<T>(Rejection rejection) implements Outcome<T> {
    public Rejected {
      Objects.requireNonNull(rejection, "rejection");
    }

    /** The same rejection, as the outcome of a step with another value type. */
    public <U> Outcome<U> as() {
      return new Rejected<>(rejection);
    }
  }

  static <T> Outcome<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Outcome<T> rejected(Rejection rejection) {
    return new Rejected<>(rejection);
  }

  /** Runs the next step only if this one succeeded; a rejection passes through unchanged. */
  default <U> Outcome<U> flatMap(Function<? super T, Outcome<U>> next) {
    return fold(next, Outcome::rejected);
  }

  /** The value changed by {@code f} if this step succeeded; a rejection passes through unchanged. */
  default <U> Outcome<U> map(Function<? super T, ? extends U> f) {
    return flatMap(value -> ok(f.apply(value)));
  }

  /** One of two answers: {@code ok} of the value, or {@code rejected} of the rejection. */
  default <R> R fold(Function<? super T, ? extends R> ok, Function<? super Rejection, ? extends R> rejected) {
    if (this instanceof Ok<T> success) {
      return ok.apply(success.value());
    }
    return rejected.apply(((Rejected<T>) this).rejection());
  }
}

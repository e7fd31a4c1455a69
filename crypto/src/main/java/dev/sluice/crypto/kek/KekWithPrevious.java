package dev.sluice.crypto.kek;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A KEK that is being moved to: it wraps with {@code current} only, and unwraps with {@code current} or, when that one
 * finds the bytes are not its own, with {@code previous}. What every process runs with while the stream keys are
 * re-wrapped from the old KEK to the new one ({@code ./sluice rewrap-keys}): a stream key reads the same before and
 * after its row is re-wrapped, so nothing is held while the move runs.
 *
 * <p>Only a bad ciphertext ({@link GeneralSecurityException}) falls through to {@code previous}. A refusal or an outage
 * of {@code current} is thrown as it is: trying the old KEK then would hide a denial that needs a person, or make a
 * second call where the first one could not be made.
 */
public final class KekWithPrevious implements Kek, AutoCloseable {
  private final Kek current;
  private final Kek previous;

  public KekWithPrevious(Kek current, Kek previous) {
    this.current = Objects.requireNonNull(current, "current");
    this.previous = Objects.requireNonNull(previous, "previous");
    if (current.uri().equals(previous.uri())) {
      throw new IllegalArgumentException("the previous KEK is the current one (" + current.uri() + ")");
    }
  }

  /** The current KEK's: what new rows record as their KEK. */
  @Override
  public String uri() {
    return current.uri();
  }

  public Kek current() {
    return current;
  }

  public Kek previous() {
    return previous;
  }

  @Override
  public byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return current.wrap(plaintext, associatedData);
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    try {
      return current.unwrap(wrapped, associatedData);
    } catch (GeneralSecurityException notCurrents) {
      try {
        return previous.unwrap(wrapped, associatedData);
      } catch (GeneralSecurityException notPrevious) {
        notCurrents.addSuppressed(notPrevious);
        throw notCurrents;
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (current instanceof AutoCloseable c) {
        c.close();
      }
    } finally {
      if (previous instanceof AutoCloseable p) {
        p.close();
      }
    }
  }
}

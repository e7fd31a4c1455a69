package dev.sluice.crypto.keys;

import java.util.Optional;

/**
 * Where wrapped keys are kept ({@link KeyTable} on DynamoDB): strongly consistent reads, and writes that happen only
 * while their condition holds. A write whose condition fails answers false and changes nothing (another process wrote
 * first); the key ring then reads again and goes with what won. Any other failure is thrown.
 *
 * <p>Every method blocks: the key ring calls them on its worker threads only.
 */
public interface KeyRows {
  Optional<SwkRow> swk(String stream);

  /** Writes {@code row} if the stream has no wrapping key yet. */
  boolean createSwk(SwkRow row);

  Optional<DekRow> dek(SubjectRef subject);

  /** Writes {@code row} (a first key at generation 1, or a tombstone at 0) if the subject has no row yet. */
  boolean createDek(DekRow row);

  /**
   * Writes the active {@code row} over a tombstone one generation older: a subject that was forgotten gets a new key.
   */
  boolean recreateDek(DekRow row);

  /** Removes the key of {@code subject} if it is active at {@code generation}, leaving a tombstone. */
  boolean forgetDek(SubjectRef subject, long generation, Forgetting forgetting);
}

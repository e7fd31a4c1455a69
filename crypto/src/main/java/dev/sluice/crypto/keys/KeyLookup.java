package dev.sluice.crypto.keys;

/**
 * What a record's key version turned out to be, for decryption. A key outage is not among them: it fails the Future
 * with {@link KeyUnavailableException}.
 */
public sealed interface KeyLookup {
  /** The key that sealed the record. */
  record Found(SubjectKey key) implements KeyLookup {}

  /** The subject was forgotten since (its key at that generation is gone): the values read as erased. */
  record Forgotten(long generation) implements KeyLookup {}

  /** The table has no row for the subject at all: nothing Sluice sealed, or a table restored without it. */
  record Missing() implements KeyLookup {}

  /** A generation newer than the table's, or a key id its keyset does not have, even on a fresh read. */
  record UnknownKeyVersion(KeyVersion version) implements KeyLookup {}
}

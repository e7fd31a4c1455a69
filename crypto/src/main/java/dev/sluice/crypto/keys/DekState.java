package dev.sluice.crypto.keys;

/** What a process knows of a subject's key: the key itself, or that it was forgotten at a generation. */
public sealed interface DekState permits SubjectKey, DekState.Erased {
  long generation();

  /** The subject's key at {@code generation} was removed (and no newer one was seen). */
  record Erased(long generation) implements DekState {}
}

package dev.sluice.crypto.keys;

import io.vertx.core.Future;

/**
 * The subject keys sealing and unsealing ask for ({@link KeyRing} in a process). A key already in memory comes back as
 * a completed Future, so a caller composing on it carries on synchronously.
 */
public interface SubjectKeys {
  /**
   * No key ring at all: every call fails with {@link KeyUnavailableException}, so a process built without one refuses
   * to seal (and never appends a marked value in the clear) rather than pretending.
   */
  SubjectKeys NONE = new SubjectKeys() {
    @Override
    public Future<SubjectKey> forEncrypt(SubjectRef subject) {
      return Future.failedFuture(new KeyUnavailableException("no key ring is configured in this process"));
    }

    @Override
    public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
      return Future.failedFuture(new KeyUnavailableException("no key ring is configured in this process"));
    }
  };

  /** The subject's current key, made (or made again after a forget) if it has none. */
  Future<SubjectKey> forEncrypt(SubjectRef subject);

  /** The key that sealed a value with {@code version}, or why there is none. Never makes a key. */
  Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version);
}

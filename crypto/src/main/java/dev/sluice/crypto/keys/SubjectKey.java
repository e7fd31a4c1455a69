package dev.sluice.crypto.keys;

import com.google.crypto.tink.Aead;
import java.util.Objects;
import java.util.Set;

/**
 * A subject's data key, unwrapped: the AEAD that seals its values at this generation. Never stored or logged as it is;
 * held in the key cache for at most the DEK TTL.
 *
 * @param keyIds the Tink ids of the keys in this generation's keyset (one, the primary, as made by Sluice)
 */
public record SubjectKey(SubjectRef subject, long generation, int primaryKeyId, Set<Integer> keyIds, Aead aead)
    implements DekState {
  public SubjectKey {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(aead, "aead");
    keyIds = Set.copyOf(keyIds);
    if (generation < 1 || !keyIds.contains(primaryKeyId)) {
      throw new IllegalArgumentException("a subject key has a positive generation and contains its primary key");
    }
  }

  /** The version a value sealed with this key names. */
  public KeyVersion version() {
    return new KeyVersion(generation, primaryKeyId);
  }

  @Override
  public String toString() {
    return "SubjectKey[" + subject.stream() + ", " + version() + "]";
  }
}

package dev.sluice.crypto.seal;

import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.schemas.marks.MarkedValue;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Seals an event's marked values with its subject's key: each value's exact JSON text (a string with its quotes, a
 * number, an object...) is encrypted with AES256_GCM, bound to the event and the value's pointer ({@link FieldAad}),
 * and spliced back in place as a {@link Ciphertext} string; nothing else in the data changes.
 *
 * <p>With the subject's key in memory the Future is complete when {@link #seal} returns. Without it, the key is read or
 * made first; if that cannot be done the Future fails with {@code KeyUnavailableException}, and nothing must be
 * appended.
 */
public final class Sealer {
  /** Up to this many marks, repeated pointers are found by comparing pairs. */
  private static final int SMALL = 8;

  private final SubjectKeys keys;

  public Sealer(SubjectKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  public Future<Sealed> seal(SealInput input) {
    if (input.marks().isEmpty()) {
      return Future.succeededFuture(new Sealed(input.data(), Optional.empty()));
    }
    List<MarkedValue> marks;
    SubjectRef subject;
    try {
      marks = ordered(input.marks(), input.data().length());
      subject = new SubjectRef(input.event().stream(), input.subject());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return keys.forEncrypt(subject).map(key -> sealWith(key, input, marks));
  }

  private static Sealed sealWith(SubjectKey key, SealInput input, List<MarkedValue> marks) {
    FieldAad aad = FieldAad.of(input.event());
    List<DataSplice.Replacement> replacements = new ArrayList<>(marks.size());
    List<String> pointers = new ArrayList<>(marks.size());
    for (MarkedValue mark : marks) {
      byte[] plaintext = mark.text(input.data()).getBytes(StandardCharsets.UTF_8);
      byte[] ciphertext;
      try {
        ciphertext = key.aead().encrypt(plaintext, aad.forPointer(mark.pointer()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM refused to encrypt a field", e);
      }
      replacements.add(new DataSplice.Replacement(mark.start(), mark.end(), Ciphertext.ofOwned(ciphertext).json()));
      pointers.add(mark.pointer());
    }
    return new Sealed(DataSplice.apply(input.data(), replacements),
        Optional.of(SealHeader.of(input.subject(), key.version(), pointers)));
  }

  /**
   * The marks by position, checked: each within the data, none overlapping another, no pointer twice.
   *
   * @throws IllegalArgumentException otherwise (the marks were located wrongly: a bug, not bad input)
   */
  static List<MarkedValue> ordered(List<MarkedValue> marks, int dataLength) {
    List<MarkedValue> sorted = new ArrayList<>(marks);
    sorted.sort(Comparator.comparingInt(MarkedValue::start));
    int end = 0;
    for (MarkedValue mark : sorted) {
      if (mark.start() < end || mark.end() > dataLength) {
        throw new IllegalArgumentException("marked value " + mark.pointer()
            + " lies outside the data, overlaps another, or is marked twice");
      }
      end = mark.end();
    }
    Optional<String> repeated = repeatedPointer(sorted);
    if (repeated.isPresent()) {
      throw new IllegalArgumentException("marked value " + repeated.get()
          + " lies outside the data, overlaps another, or is marked twice");
    }
    return sorted;
  }

  /**
   * A pointer two marks share, if any. An event has a few marked values, and a consumer checks every record's: a
   * pairwise comparison there, rather than a set made per record; a set past a handful.
   */
  private static Optional<String> repeatedPointer(List<MarkedValue> marks) {
    if (marks.size() > SMALL) {
      Set<String> pointers = new HashSet<>();
      for (MarkedValue mark : marks) {
        if (!pointers.add(mark.pointer())) {
          return Optional.of(mark.pointer());
        }
      }
      return Optional.empty();
    }
    for (int i = 1; i < marks.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (marks.get(i).pointer().equals(marks.get(j).pointer())) {
          return Optional.of(marks.get(i).pointer());
        }
      }
    }
    return Optional.empty();
  }
}

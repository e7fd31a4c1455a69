package dev.sluice.crypto.keys;

import java.util.Objects;

/**
 * A data subject within a stream: whose values a key protects. Keys are per (stream, subject), so the same person in
 * two streams has two keys, and forgetting them is per stream.
 *
 * <p>Stream names are Kafka topic names (no {@code #}), so the key table's {@code dek#<stream>#<subject>} is
 * unambiguous. A subject is 1 to {@value #MAX_SUBJECT_LENGTH} characters with no control character; an integer
 * subject is written in decimal.
 */
public record SubjectRef(String stream, String subject) {
  public static final int MAX_SUBJECT_LENGTH = 256;

  public SubjectRef {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(subject, "subject");
    if (!isValidStream(stream)) {
      throw new IllegalArgumentException("not a stream name: " + stream);
    }
    if (!isValidSubject(subject)) {
      throw new IllegalArgumentException("a data subject is 1 to " + MAX_SUBJECT_LENGTH
          + " characters with no control character");
    }
  }

  /**
   * Whether {@code stream} is 1 to 249 of {@code [a-zA-Z0-9._-]}. Checked by a loop rather than a regex: every sealed
   * event and every unsealed record makes a SubjectRef for its key lookup, and the match profiled there.
   */
  public static boolean isValidStream(String stream) {
    if (stream == null || stream.isEmpty() || stream.length() > 249) {
      return false;
    }
    for (int i = 0; i < stream.length(); i++) {
      char c = stream.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
          || c == '_' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  public static boolean isValidSubject(String subject) {
    if (subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
      return false;
    }
    for (int i = 0; i < subject.length(); i++) {
      if (Character.isISOControl(subject.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}

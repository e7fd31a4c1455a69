package dev.sluice.crypto.keys;

import java.util.Objects;
import java.util.regex.Pattern;

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
  private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

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

  public static boolean isValidStream(String stream) {
    return stream != null && STREAM.matcher(stream).matches();
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

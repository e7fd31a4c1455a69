package dev.sluice.schemas.marks;

import java.util.Objects;

/**
 * Whose data an event carries: the value at the schema's {@code x-data-subject} pointer, which chooses the key its
 * marked values are protected with. A subject is a string of 1 to {@value #MAX_LENGTH} characters with no control
 * character, or a JSON integer (its text, at most {@value #MAX_LENGTH} digits).
 */
public sealed interface DataSubject {
  /** Longest subject accepted, in code points. */
  int MAX_LENGTH = 256;

  /** A usable subject: a string's value, or an integer's JSON text. */
  record Valid(String value) implements DataSubject {
    public Valid {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * No usable subject; {@code reason} says why without quoting the value, e.g. "is missing" or "is longer than 256
   * characters".
   */
  record Invalid(String reason) implements DataSubject {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The subject a string value makes. */
  static DataSubject ofString(String value) {
    if (value.isEmpty()) {
      return new Invalid("is an empty string");
    }
    if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
      return new Invalid("is longer than " + MAX_LENGTH + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      return new Invalid("contains a control character");
    }
    return new Valid(value);
  }

  /** The subject an integer's JSON text makes. */
  static DataSubject ofInteger(String text) {
    return text.length() > MAX_LENGTH ? new Invalid("is an integer longer than " + MAX_LENGTH + " digits")
        : new Valid(text);
  }
}

package dev.sluice.schemas.marks;

import java.util.Objects;

/**
 * Where one value marked {@code "x-sensitive": true} sits in an event's data text: its RFC 6901 instance pointer and
 * the {@code [start, end)} span of its exact JSON text (a string with its quotes, a number, an object...) as character
 * offsets into that text.
 *
 * <p>Sealing replaces exactly this span and unsealing splices the original text back, so the bytes of every unmarked
 * part of the data stay as the producer sent them.
 */
public record MarkedValue(String pointer, int start, int end) {
  public MarkedValue {
    Objects.requireNonNull(pointer, "pointer");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("span [" + start + ", " + end + ") is empty or negative");
    }
  }

  /** The value's JSON text within {@code data}. */
  public String text(String data) {
    return data.substring(start, end);
  }
}

package dev.sluice.schemas;

import java.util.Objects;

/**
 * One reason why an event is not acceptable.
 *
 * @param pointer RFC 6901 JSON pointer into the whole CloudEvent, e.g. {@code /data/price} or {@code /type}
 * @param keyword the JSON Schema keyword (or CloudEvents rule) that failed, e.g. {@code required}, {@code format}
 * @param message a human-readable explanation
 */
public record Violation(String pointer, String keyword, String message) {
  public Violation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(message, "message");
  }
}

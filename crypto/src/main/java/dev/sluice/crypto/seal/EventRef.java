package dev.sluice.crypto.seal;

import java.util.Objects;

/**
 * The event a sealed value belongs to: its stream and its CloudEvent {@code source}, {@code id} and {@code type}. Every
 * sealed value is bound to these (and to its pointer), so it cannot be moved to another event, type or stream.
 */
public record EventRef(String stream, String source, String id, String type) {
  public EventRef {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
  }
}

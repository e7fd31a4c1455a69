package dev.sluice.crypto.seal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The associated data a field is sealed with: {@code "sluice-field/v1"}, then the stream, source, id, type and the
 * field's pointer, each as a 4-byte big-endian length and its UTF-8 bytes. The lengths make it unambiguous: no two
 * different (stream, source, id, type, pointer) give the same bytes, however their texts run into each other. The
 * subject is not in it: it is implied by the key.
 *
 * <p>Made once per event; each field then adds only its pointer.
 */
public final class FieldAad {
  static final byte[] LABEL = "sluice-field/v1".getBytes(StandardCharsets.UTF_8);

  private final byte[] eventPart;

  private FieldAad(byte[] eventPart) {
    this.eventPart = eventPart;
  }

  public static FieldAad of(EventRef event) {
    byte[][] parts = {utf8(event.stream()), utf8(event.source()), utf8(event.id()), utf8(event.type())};
    int size = LABEL.length;
    for (byte[] part : parts) {
      size += Integer.BYTES + part.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).put(LABEL);
    for (byte[] part : parts) {
      out.putInt(part.length).put(part);
    }
    return new FieldAad(out.array());
  }

  /** The associated data of the field at {@code pointer} of this event. */
  public byte[] forPointer(String pointer) {
    byte[] p = utf8(pointer);
    return ByteBuffer.allocate(eventPart.length + Integer.BYTES + p.length).put(eventPart).putInt(p.length).put(p)
        .array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

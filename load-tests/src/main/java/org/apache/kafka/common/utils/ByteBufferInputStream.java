package org.apache.kafka.common.utils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Compatibility shim for the peers benchmark only, not part of Sluice: Confluent Parallel Consumer 0.5.3.x reads
 * compressed offset metadata through this class, which kafka-clients 4.x moved (final) to
 * {@code org.apache.kafka.common.utils.internals}; the class verifier needs it as soon as Parallel Consumer's offset
 * codec is loaded. This delegates to the moved class; kafka-clients itself is unchanged.
 */
public final class ByteBufferInputStream extends InputStream {
  private final InputStream moved;

  public ByteBufferInputStream(ByteBuffer buffer) {
    this.moved = new org.apache.kafka.common.utils.internals.ByteBufferInputStream(buffer);
  }

  @Override
  public int read() throws IOException {
    return moved.read();
  }

  @Override
  public int read(byte[] bytes, int off, int len) throws IOException {
    return moved.read(bytes, off, len);
  }

  @Override
  public int available() throws IOException {
    return moved.available();
  }
}

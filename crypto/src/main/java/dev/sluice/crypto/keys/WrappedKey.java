package dev.sluice.crypto.keys;

import java.util.Arrays;
import java.util.Objects;

/** A Tink keyset encrypted by the key above it (a DEK by its stream key, a stream key by the KEK): safe to store. */
public final class WrappedKey {
  private final byte[] bytes;

  private WrappedKey(byte[] bytes) {
    this.bytes = bytes;
  }

  public static WrappedKey of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a wrapped key is not empty");
    }
    return new WrappedKey(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "WrappedKey[" + bytes.length + " bytes]";
  }
}

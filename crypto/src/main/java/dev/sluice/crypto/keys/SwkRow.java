package dev.sluice.crypto.keys;

import java.time.Instant;
import java.util.Objects;

/** The key table's row for a stream wrapping key (SWK): the keyset wrapped by the KEK, and which KEK. */
public record SwkRow(String stream, WrappedKey wrapped, String kekUri, Instant createdAt) {
  public SwkRow {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(wrapped, "wrapped");
    Objects.requireNonNull(kekUri, "kekUri");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}

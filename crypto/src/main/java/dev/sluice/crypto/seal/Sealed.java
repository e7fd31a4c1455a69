package dev.sluice.crypto.seal;

import java.util.Objects;
import java.util.Optional;

/**
 * An event's data with each marked value replaced by its ciphertext, and the {@code sluice-sealed} header to send with
 * it; no header when nothing was marked (the data is then as it was).
 */
public record Sealed(String data, Optional<SealHeader> header) {
  public Sealed {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(header, "header");
  }
}

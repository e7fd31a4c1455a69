package dev.sluice.crypto.seal;

import java.util.List;
import java.util.Objects;

/**
 * A record's data as a reader may have it: each sealed value back in the clear, exactly as the producer sent it; or,
 * for a forgotten subject, each one {@code "sluice:erased"} ({@code erased} lists their pointers).
 */
public record Unsealed(String data, List<String> erased) implements Unsealing {
  public Unsealed {
    Objects.requireNonNull(data, "data");
    erased = List.copyOf(erased);
  }
}

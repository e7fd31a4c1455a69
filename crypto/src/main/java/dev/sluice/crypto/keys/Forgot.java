package dev.sluice.crypto.keys;

import java.util.Objects;

/**
 * What a forget did: the tombstone as stored; whether the subject ever had a key; and whether it was forgotten already
 * (a repeat changes nothing, and keeps the first forget's who and when).
 */
public record Forgot(DekRow tombstone, boolean wasKnown, boolean alreadyForgotten) {
  public Forgot {
    Objects.requireNonNull(tombstone, "tombstone");
    if (tombstone.active()) {
      throw new IllegalArgumentException("a forgotten subject has no key");
    }
  }
}

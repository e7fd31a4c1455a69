package dev.sluice.schemas.compat;

import java.util.Objects;

/**
 * One way in which a reader schema rejects data that a writer schema accepted.
 *
 * @param pointer JSON pointer into the schema document where the change is, e.g. {@code /properties/price}
 * @param rule a stable rule name, e.g. {@code required-added}, {@code type-narrowed}, {@code enum-value-removed},
 *     {@code additional-properties-closed}; documented in docs/schema-compatibility.md
 * @param message a sentence for humans, e.g. "property `price` became required"
 */
public record BreakingChange(String pointer, String rule, String message) {
  public BreakingChange {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }
}

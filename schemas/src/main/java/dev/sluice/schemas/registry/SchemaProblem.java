package dev.sluice.schemas.registry;

import java.util.Objects;

/**
 * Why a schema document cannot be registered.
 *
 * @param pointer JSON pointer into the schema document, e.g. {@code /properties/id/$ref}; empty for the whole document
 * @param rule a stable rule name: {@code json}, {@code draft-07}, {@code remote-ref}, {@code ref-cycle},
 *     {@code unresolvable-ref}, {@code ref-expansion}, {@code pattern}, {@code mark-placement},
 *     {@code data-subject-missing}... (see docs/schema-compatibility.md)
 * @param message a sentence for humans
 */
public record SchemaProblem(String pointer, String rule, String message) {
  public SchemaProblem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }
}

package dev.sluice.schemas.marks;

import java.util.Objects;

/**
 * One thing wrong with the sensitive marks of a schema ({@link MarkRules}), or with how they changed from one version
 * to the next ({@link MarkChanges}). The registry answers the first as a schema problem (422) and the second as a
 * breaking change (409).
 *
 * @param pointer JSON pointer into the schema document, e.g. {@code /properties/email/x-sensitive}; empty for the whole
 *     document
 * @param rule a stable rule name, e.g. {@code mark-placement} or {@code sensitive-unmarked}
 * @param message a sentence for humans; it names schema locations and instance paths, never data
 */
public record MarkProblem(String pointer, String rule, String message) {
  public MarkProblem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }
}

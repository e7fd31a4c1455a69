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
 * @param path for a change of the marks, the data path it is about ({@code *} for any item or undeclared member);
 *     {@code ""} (the whole data) otherwise
 */
public record MarkProblem(String pointer, String rule, String message, String path) {
  public MarkProblem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(path, "path");
  }

  /** A problem about the document as a whole, or about the whole data. */
  public MarkProblem(String pointer, String rule, String message) {
    this(pointer, rule, message, "");
  }
}

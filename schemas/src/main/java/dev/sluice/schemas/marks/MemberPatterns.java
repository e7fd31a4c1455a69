package dev.sluice.schemas.marks;

/**
 * Whether a {@code patternProperties} pattern may apply to a member name. The registry answers with the compiled
 * pattern (it has checked every pattern's size first); {@link #ANY} says "it may" to every name, which only ever makes
 * the analysis more cautious.
 */
@FunctionalInterface
public interface MemberPatterns {
  /** Every pattern may match every name. */
  MemberPatterns ANY = (pattern, name) -> true;

  boolean mayMatch(String pattern, String name);
}

package dev.sluice.schemas.registry;

import java.util.Optional;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.everit.json.schema.regexp.Regexp;
import org.everit.json.schema.regexp.RegexpFactory;
import org.everit.json.schema.regexp.RegexpMatchingFailure;

/**
 * everit's pattern handlers, matching with RE2J (linear time) and charging each match to the validation's
 * {@link CostMeter}: the string's length times the pattern's program size. A match the meter refuses is not run; it
 * counts as a mismatch, and the validation, seeing its meter exhausted, answers with its cost violation instead.
 */
final class MeteredRegexpFactory implements RegexpFactory {
  private static final RE2JRegexpFactory RE2J = new RE2JRegexpFactory();
  /**
   * everit's failure value has no public constructor; a pattern that never matches hands one out. (An empty class
   * matches no character, so no string contains a match.)
   */
  private static final RegexpMatchingFailure REFUSED =
      RE2J.createHandler("[^\\x00-\\x{10FFFF}]").patternMatchingFailure("").orElseThrow();

  @Override
  public Regexp createHandler(String pattern) {
    long instructions = PatternProgram.of(pattern).instructions();
    if (instructions > SchemaCompiler.MAX_PATTERN_INSTRUCTIONS) {
      // The registry refuses such patterns before everit loads a schema; never compile one by another path.
      throw new IllegalArgumentException("pattern program of " + instructions + " instructions is over the limit");
    }
    return new Metered(RE2J.createHandler(pattern), instructions, pattern);
  }

  private record Metered(Regexp re2j, long instructions, String pattern) implements Regexp {
    @Override
    public Optional<RegexpMatchingFailure> patternMatchingFailure(String input) {
      if (!CostMeter.chargeCurrent(Math.max(1, (long) input.length()) * instructions)) {
        return Optional.of(REFUSED);
      }
      return re2j.patternMatchingFailure(input);
    }

    /** everit quotes the pattern in its violation message. */
    @Override
    public String toString() {
      return pattern;
    }
  }
}

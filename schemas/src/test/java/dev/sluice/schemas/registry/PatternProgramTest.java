package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PatternProgramTest {

  /**
   * RE2J's own instruction count, read through its internals (a test-only calibration: the production code never
   * compiles a pattern before measuring it). If RE2J renames these, this test fails loudly rather than passing.
   */
  private static int re2jInstructions(String pattern) throws ReflectiveOperationException {
    com.google.re2j.Pattern compiled = com.google.re2j.Pattern.compile(pattern);
    Field re2 = com.google.re2j.Pattern.class.getDeclaredField("re2");
    re2.setAccessible(true);
    Object engine = re2.get(compiled);
    Field prog = engine.getClass().getDeclaredField("prog");
    prog.setAccessible(true);
    Object program = prog.get(engine);
    Method numInst = program.getClass().getDeclaredMethod("numInst");
    numInst.setAccessible(true);
    return (Integer) numInst.invoke(program);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "abc", "^.{1,1000}$", "^(a{1,30}){1,30}$", "(a|b|c)*x", "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
      "^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,255}\\.[a-z]{2,63}$", "x{0}", "x{3}", "x{2,}", "x{0,}", "x{1,}", "x{0,4}",
      "(?:ab|cd)+?", "(?P<year>\\d{4})-(?<month>\\d{2})", "(?i)straße", "[\\]a-]{2,5}", "[[:alpha:]_]+\\pL\\p{Greek}",
      "\\Qa.b*c\\E{2}", "a|", "|", "", "()", "(?i)(?s:.)*", "\\x{1F600}|\\x41|\\101", "a{,3}", "a{2", "^$\\b\\B\\A\\z",
      "((a{2,3}){2}|b*c?){3,4}", "[^\\n]{0,10}[a-c&&]+", "\\d+(\\.\\d{1,2})?", "a*?b+?c??d{2,3}?"})
  void theMeasureIsAtLeastRe2jsOwnCount(String pattern) throws ReflectiveOperationException {
    long measured = PatternProgram.of(pattern).instructions();
    int actual = re2jInstructions(pattern);
    assertTrue(measured >= actual, () -> pattern + ": measured " + measured + " below RE2J's " + actual);
    // And close to it, or the limit would refuse patterns RE2J handles cheaply.
    assertTrue(measured <= 2L * actual + 4, () -> pattern + ": measured " + measured + " far above RE2J's " + actual);
  }

  @Test
  void nestedCountedRepetitionsMultiply() {
    assertEquals(1_863, PatternProgram.of("^(a{1,30}){1,30}$").instructions());
    // The pattern that froze the gateway: 2 million instructions, measured without compiling it. Inner a{1,1000} is
    // 1 + 999 * 2; its capture adds 2 (2,001); the outer repetition is 2,001 + 999 * 2,002; then ^, $, fail, match.
    assertEquals(2_002_003L, PatternProgram.of("^(a{1,1000}){1,1000}$").instructions());
  }

  @Test
  void measuringHugeOrDeepPatternsNeitherOverflowsNorRecurses() {
    String deep = "(".repeat(200_000) + "a" + ")".repeat(200_000);
    PatternProgram.Size size = PatternProgram.of(deep);
    assertEquals(200_000, size.nesting());
    assertEquals(PatternProgram.SATURATED, PatternProgram.of("((((a{1000}){1000}){1000}){1000}){1000}").instructions());
  }

  @Test
  void unbalancedTextIsStillMeasured() {
    assertTrue(PatternProgram.of("(((a").instructions() >= 4);
    assertTrue(PatternProgram.of("a)))").instructions() >= 4);
    assertTrue(PatternProgram.of("\\Qabc").instructions() >= 3);
    assertTrue(PatternProgram.of("[abc").instructions() >= 1);
  }
}

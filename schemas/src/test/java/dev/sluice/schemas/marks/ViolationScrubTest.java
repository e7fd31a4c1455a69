package dev.sluice.schemas.marks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationScrubTest {
  private static final String DATA = "{\"id\":\"ph-1\",\"email\":\"ann@example\",\"card\":{\"no\":{\"x\":4111},"
      + "\"ann@secret.example\":1},\"name\":\"Ann\"}";
  private static final List<MarkedValue> MARKED = List.of(
      span("/card", "{\"no\":{\"x\":4111},\"ann@secret.example\":1}"), span("/email", "\"ann@example\""));

  /** The marked value at {@code pointer} whose text is {@code text} in {@link #DATA}. */
  private static MarkedValue span(String pointer, String text) {
    int start = DATA.indexOf(text);
    return new MarkedValue(pointer, start, start + text.length());
  }

  @Test
  void theSpansOfTheFixtureAreTheValues() {
    assertEquals("{\"no\":{\"x\":4111},\"ann@secret.example\":1}", MARKED.get(0).text(DATA));
    assertEquals("\"ann@example\"", MARKED.get(1).text(DATA));
  }

  @Test
  void aViolationAtAMarkedValueKeepsItsPointerAndKeywordOnly() {
    Violation v = new Violation("/data/email", "format", "[ann@example] is not a valid email address");
    assertEquals(List.of(new Violation("/data/email", "format", "a sensitive value breaks the schema (format)")),
        ViolationScrub.scrub(List.of(v), DATA, MARKED));
  }

  @Test
  void aViolationInsideAMarkedValuePointsAtTheValueSoNoMemberNameShows() {
    List<Violation> in = List.of(
        new Violation("/data/card/no/x", "maximum", "4111 is not less or equal to 100"),
        new Violation("/data/card/ann@secret.example", "type", "expected type: String, found: Integer"),
        new Violation("/data/card/no/x", "maximum", "again"));
    assertEquals(List.of(new Violation("/data/card", "maximum", ViolationScrub.generic("maximum")),
        new Violation("/data/card", "type", ViolationScrub.generic("type"))), ViolationScrub.scrub(in, DATA, MARKED));
  }

  @Test
  void aViolationElsewhereQuotingAMarkedValueIsMadeGenericInPlace() {
    List<Violation> in = List.of(
        new Violation("/data/name", "enum", "ann@example is not a valid enum value"),
        new Violation("/data/name", "pattern", "string [Ann] does not match pattern x{4111}"),
        new Violation("/type", "enum", "ann@example.org is not allowed"));
    List<Violation> out = ViolationScrub.scrub(in, DATA, MARKED);
    assertEquals(List.of("/data/name", "/data/name", "/type"), out.stream().map(Violation::pointer).toList());
    assertTrue(out.stream().allMatch(v -> v.message().equals(ViolationScrub.generic(v.keyword()))), out::toString);
  }

  @Test
  void otherViolationsAreKeptAsTheyAre() {
    List<Violation> in = List.of(
        new Violation("/data/name", "minLength", "expected minLength: 5, actual: 3"),
        new Violation("/data/emailAddress", "type", "expected type: String, found: Boolean"),
        new Violation("/data", "required", "required key [id] not found"));
    assertEquals(in, ViolationScrub.scrub(in, DATA, MARKED));
  }

  @Test
  void withNothingMarkedTheViolationsAreReturnedAsTheyAre() {
    List<Violation> in = List.of(new Violation("/data/email", "format", "[ann@example] is not valid"));
    assertSame(in, ViolationScrub.scrub(in, DATA, List.of()));
  }

  @Test
  void pastTheComparisonBudgetEveryRemainingViolationIsMadeGeneric() {
    StringBuilder data = new StringBuilder("[");
    List<MarkedValue> marked = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int start = data.length();
      data.append("\"val-").append(i).append('"');
      marked.add(new MarkedValue("/" + i, start, data.length()));
      data.append(',');
    }
    data.append("0]");
    List<Violation> in = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      in.add(new Violation("/data/x" + i, "minLength", "nothing quoted " + i));
    }
    List<Violation> out = ViolationScrub.scrub(in, data.toString(), marked);
    int allowed = ViolationScrub.MAX_COMPARISONS / marked.size();
    assertEquals(in.subList(0, allowed), out.subList(0, allowed));
    assertTrue(out.subList(allowed, out.size()).stream()
        .allMatch(v -> v.message().equals(ViolationScrub.generic("minLength"))), out::toString);
    assertFalse(out.get(allowed).message().contains("quoted"));
  }

  @Test
  void aMarkedNumberIsAlsoFoundInTheCanonicalFormTheValidatorQuotes() {
    String data = "{\"pin\":12345.0,\"other\":1}";
    int start = data.indexOf("12345.0");
    List<MarkedValue> marked = List.of(new MarkedValue("/pin", start, start + "12345.0".length()));
    Violation quoting = new Violation("/data", "enum", "{\"other\":1,\"pin\":12345} is not a valid enum value");
    assertEquals(List.of(new Violation("/data", "enum", ViolationScrub.generic("enum"))),
        ViolationScrub.scrub(List.of(quoting), data, marked));
  }
}

package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.Violation;
import java.util.List;
import org.json.JSONArray;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {
  /** 9,943 instructions: the largest of its family under the limit. */
  private static final String HEAVY = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\","
      + "\"pattern\":\"^(a{1,70}){1,70}$\"}}}";

  private static String data(int length) {
    return "{\"s\":\"" + "a".repeat(length) + "!\"}";
  }

  private static Violation only(Validation v) {
    List<Violation> violations = assertInstanceOf(Validation.Invalid.class, v).violations();
    assertEquals(1, violations.size(), violations::toString);
    return violations.get(0);
  }

  @Test
  void aMatchWithinTheCeilingRunsAndGivesItsOwnVerdict() {
    SchemaVersion version = SchemaVersion.compile("t", 1, HEAVY);
    // 1,000 characters (and the quote-less '!') times 9,943 instructions: within 10 million.
    Violation v = only(version.validate(data(1_000)));
    assertEquals("pattern", v.keyword());
    assertEquals("/data/s", v.pointer());
    // 1,000 matching characters: 9,943,000 steps, within the ceiling, and valid.
    assertInstanceOf(Validation.Valid.class, version.validate("{\"s\":\"" + "a".repeat(1_000) + "\"}"));
  }

  @Test
  void aMatchOverTheCeilingIsNotRunAndTheVerdictIsTheCost() {
    SchemaVersion version = SchemaVersion.compile("t", 1, HEAVY);
    // 5,001 characters times 9,943 instructions is 49.7 million steps: the match that froze an event loop.
    Violation v = only(version.validate(data(5_000)));
    assertEquals(SchemaVersion.COST_KEYWORD, v.keyword());
    assertEquals("/data", v.pointer());
    assertTrue(v.message().contains("more than 10000000 steps"), v.message());
    assertTrue(v.message().contains("49724943 steps"), v.message());
    assertFalse(v.message().contains("aaaa"), "the value is never echoed: " + v.message());
  }

  @Test
  void theVerdictIsTheSameEveryTimeBecauseStepsAreCountedNotTimed() {
    SchemaVersion version = SchemaVersion.compile("t", 1, HEAVY);
    for (int i = 0; i < 3; i++) {
      assertEquals(SchemaVersion.COST_KEYWORD, only(version.validate(data(5_000))).keyword());
      assertEquals("pattern", only(version.validate(data(1_000))).keyword());
    }
  }

  @Test
  void aSharedMeterCountsEveryValidationOfARequest() {
    SchemaVersion version = SchemaVersion.compile("t", 1, HEAVY);
    CostMeter meter = CostMeter.withCeiling(25_000_000);
    // Each costs 1,006 characters times 9,943 = 10,002,658 steps: two fit in 25 million, the third does not.
    String each = "{\"s\":\"" + "a".repeat(1_005) + "!\"}";
    assertEquals("pattern", only(version.validate(each, meter)).keyword());
    assertEquals("pattern", only(version.validate(each, meter)).keyword());
    assertFalse(meter.exhausted());
    assertEquals(SchemaVersion.COST_KEYWORD, only(version.validate(each, meter)).keyword());
    assertTrue(meter.exhausted());
    // Once exhausted, even a cheap validation is refused: the request is over its allowance.
    assertEquals(SchemaVersion.COST_KEYWORD, only(version.validate("{\"s\":\"a\"}", meter)).keyword());
  }

  @Test
  void uniqueItemsIsChargedForEveryPairBeforeEveritComparesThem() {
    SchemaVersion version = SchemaVersion.compile("t", 1,
        "{\"type\":\"object\",\"properties\":{\"ids\":{\"type\":\"array\",\"uniqueItems\":true}}}");
    // 3,000 numbers: 2,999 * 3,000 = 8,997,000 steps, within the ceiling.
    assertInstanceOf(Validation.Valid.class, version.validate("{\"ids\":" + numbers(3_000) + "}"));
    // 200,000 numbers: about 4 * 10^10 steps; everit would compare 2 * 10^10 pairs. Refused at once.
    assertEquals(SchemaVersion.COST_KEYWORD, only(version.validate("{\"ids\":" + numbers(200_000) + "}")).keyword());
    // Duplicates are still found where the cost fits.
    assertEquals("uniqueItems", only(version.validate("{\"ids\":[1,2,1]}")).keyword());
  }

  @Test
  void arraysCostNothingExtraWhenTheSchemaDoesNotUseUniqueItems() {
    SchemaVersion version = SchemaVersion.compile("t", 1, "{\"type\":\"object\"}");
    assertInstanceOf(Validation.Valid.class, version.validate("{\"ids\":" + numbers(200_000) + "}"));
  }

  @Test
  void theUniqueItemsBoundWeighsNestedItems() {
    assertEquals(0, SchemaVersion.uniqueItemsBound(new JSONArray("[1]")));
    assertEquals(2, SchemaVersion.uniqueItemsBound(new JSONArray("[1,2]")));
    // Two objects of weight 2 each (the object and one member): (2 - 1) * 4.
    assertEquals(4, SchemaVersion.uniqueItemsBound(new JSONArray("[{\"a\":1},{\"a\":2}]")));
    // A 64-character string weighs 1 + 2.
    assertEquals(6, SchemaVersion.uniqueItemsBound(new JSONArray("[\"" + "x".repeat(64) + "\",\"" + "y".repeat(64)
        + "\"]")));
  }

  @Test
  void anUnusableVersionAnswersEveryValidationWithWhy() {
    SchemaVersion version = SchemaVersion.compile("t", 3,
        "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"^(a{1,1000}){1,1000}$\"}}}");
    assertFalse(version.usable());
    assertEquals("pattern-size", version.problems().get(0).rule());
    Violation v = only(version.validate("{\"s\":\"a\"}"));
    assertEquals(SchemaVersion.UNUSABLE_KEYWORD, v.keyword());
    assertTrue(v.message().startsWith("schema version 3 of t cannot be used to validate events: "
        + "/properties/s/pattern: pattern compiles to 2002003 matching instructions"), v.message());
    assertTrue(v.message().endsWith("; register a new version"), v.message());
  }

  private static String numbers(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append(i);
    }
    return b.append(']').toString();
  }

  // ---- sensitive marks

  private static final String MARKING = "{\"x-data-subject\":\"/id\",\"required\":[\"id\"],\"properties\":{"
      + "\"id\":{\"type\":\"string\"},\"email\":{\"type\":\"string\",\"format\":\"email\",\"x-sensitive\":true},"
      + "\"name\":{\"type\":\"string\",\"pattern\":\"^[A-Z]\"}}}";

  @Test
  void noViolationOfAMarkingVersionQuotesAMarkedValue() {
    SchemaVersion version = SchemaVersion.compile("t", 1, MARKING);
    List<Violation> violations = assertInstanceOf(Validation.Invalid.class,
        version.validate("{\"id\":\"x\",\"email\":\"ann.secret\",\"name\":\"ann.secret\"}")).violations();
    // The email's violation is at a marked value; the name's quotes one.
    assertEquals(java.util.Set.of(
        new Violation("/data/email", "format", "a sensitive value breaks the schema (format)"),
        new Violation("/data/name", "pattern", "a sensitive value breaks the schema (pattern)")),
        java.util.Set.copyOf(violations));
    // The same data against a version that marks nothing is quoted as the validator says it.
    SchemaVersion unmarked = SchemaVersion.compile("t", 2, MARKING.replace(",\"x-sensitive\":true", ""));
    assertTrue(only(unmarked.validate("{\"id\":\"x\",\"email\":\"ann.secret\"}")).message().contains("ann.secret"));
  }

  @Test
  void malformedDataOfAMarkingVersionIsDescribedWithoutTheParsersExcerpt() {
    String broken = "{\"id\":\"x\",\"email\": annsecret}";
    Validation.Malformed marked = assertInstanceOf(Validation.Malformed.class,
        SchemaVersion.compile("t", 1, MARKING).validate(broken));
    assertFalse(marked.message().contains("annsecret"), marked.message());
    assertTrue(marked.message().contains("at character"), marked.message());
    Validation.Malformed plain = assertInstanceOf(Validation.Malformed.class,
        SchemaVersion.compile("t", 1, MARKING.replace(",\"x-sensitive\":true", "")).validate(broken));
    assertTrue(plain.message().contains("annsecret"), "the parser's words, as before: " + plain.message());
  }

  @Test
  void aVersionWhoseMarksBreakTheRulesIsUnusableButItsMarksAreStillKnown() {
    SchemaVersion old = SchemaVersion.compile("t", 1, MARKING.replace("\"x-data-subject\":\"/id\",", ""));
    assertFalse(old.usable());
    assertEquals("data-subject-missing", old.problems().get(0).rule());
    assertEquals(SchemaVersion.UNUSABLE_KEYWORD, only(old.validate("{\"id\":\"x\"}")).keyword());
    assertEquals(List.of("/email"), old.marks().paths());
    Validation.Malformed malformed = assertInstanceOf(Validation.Malformed.class, old.validate("{\"id\": annsecret}"));
    assertFalse(malformed.message().contains("annsecret"), malformed.message());
  }

  @Test
  void theMarksOfAUsableVersionAreItsCompiledOnes() {
    SchemaVersion version = SchemaVersion.compile("t", 1, MARKING);
    assertEquals(((SchemaCompiler.Compiled) version.compilation()).marks(), version.marks());
    assertEquals(List.of("/email"), version.marks().paths());
  }

  @Test
  void aMarkBehindAnIdIsScrubbedAndRelaxedWhenSealed() {
    SchemaVersion version = SchemaVersion.compile("t", 1, ("{'$id':'urn:example:person','x-data-subject':'/id',"
        + "'required':['id'],'properties':{'id':{'type':'string'},'email':{'$ref':'urn:example:email'}},"
        + "'definitions':{'e':{'$id':'urn:example:email','type':'string','format':'email','x-sensitive':true}}}")
        .replace('\'', '"'));
    assertTrue(version.usable(), version.problems()::toString);
    assertEquals(List.of("/email"), version.marks().paths());
    assertEquals(new Violation("/data/email", "format", "a sensitive value breaks the schema (format)"),
        only(version.validate("{\"id\":\"x\",\"email\":\"ann.secret\"}")));
    // Sealed, the email is a ciphertext object: only the relaxed schema accepts it.
    String sealed = "{\"id\":\"x\",\"email\":{\"sealed\":\"AAAA\"}}";
    assertInstanceOf(Validation.Invalid.class, version.validate(sealed));
    assertInstanceOf(Validation.Valid.class, version.validateSealed(sealed));
  }
}

package dev.sluice.schemas.marks;

import static dev.sluice.schemas.marks.MarkRulesTest.marks;
import static dev.sluice.schemas.marks.MarkRulesTest.root;
import static dev.sluice.schemas.marks.MarkRulesTest.withSubject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.registry.JsonValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkedLocationsTest {
  private static final SensitiveMarks PHOTOGRAPHER = marks(withSubject(
      "'name':{'type':'string','x-sensitive':true},'email':{'type':'string','x-sensitive':true}"));

  /**
   * What the locating pass finds, checked against what a tracker finds alongside the validator's parse of the same
   * data: every case below holds for both ways of locating.
   */
  private static MarkedLocations.Located located(SensitiveMarks marks, String data) {
    MarkedLocations.Located alone = MarkedLocations.locate(marks, data)
        .orElseThrow(() -> new AssertionError("not located: " + data));
    MarkedLocations.Tracker tracker = MarkedLocations.tracker(marks, data);
    try {
      JsonValues.parse(data, tracker);
    } catch (JsonValues.MalformedJsonException e) {
      throw new AssertionError("the validator's parse refused what the locating pass read: " + data, e);
    }
    assertEquals(Optional.of(alone), tracker.located(), "located in the validator's parse: " + data);
    return alone;
  }

  /** Each marked pointer with the exact text its span covers, in the order found. */
  private static Map<String, String> texts(SensitiveMarks marks, String data) {
    Map<String, String> out = new LinkedHashMap<>();
    for (MarkedValue v : located(marks, data).values()) {
      assertEquals(v.text(data), data.substring(v.start(), v.end()));
      out.put(v.pointer(), v.text(data));
    }
    return out;
  }

  @Test
  void theSpansAreTheValuesExactTextSortedByPointer() {
    String data = "{\"id\":\"ph-1\",\"name\":\"Ann Lens\",\"email\":\"ann@example.com\"}";
    assertEquals(Map.of("/email", "\"ann@example.com\"", "/name", "\"Ann Lens\""), texts(PHOTOGRAPHER, data));
    assertEquals(List.of("/email", "/name"),
        located(PHOTOGRAPHER, data).values().stream().map(MarkedValue::pointer).toList());
    assertEquals(new DataSubject.Valid("ph-1"), located(PHOTOGRAPHER, data).subject());
  }

  @Test
  void escapesWhitespaceAndWideCharactersKeepTheSpansExact() {
    String name = "\"A\\\"n\\\\n \\u00e9\\n\\/\"";
    String data = " {\n  \"\\u0069d\" : \"\uD83D\uDE00-1\" ,\n  \"name\"\t:\t" + name
        + " , \"email\":\"\\\"\\\\\"\n}\n";
    Map<String, String> texts = texts(PHOTOGRAPHER, data);
    assertEquals(name, texts.get("/name"));
    assertEquals("\"\\\"\\\\\"", texts.get("/email"));
    assertEquals(new DataSubject.Valid("\uD83D\uDE00-1"), located(PHOTOGRAPHER, data).subject(),
        "the subject's member name was escaped too");
  }

  @Test
  void anyValueMayBeMarkedAndIsSpannedWhole() {
    SensitiveMarks marks = marks(withSubject("'a':{'x-sensitive':true},'b':{'x-sensitive':true},"
        + "'c':{'x-sensitive':true},'d':{'x-sensitive':true},'e':{'x-sensitive':true},'f':{'x-sensitive':true}"));
    String data = "{\"id\":\"x\",\"a\":-12.5e+3,\"b\":{\"n\":[1,{\"x\":\"}\"}],\"m\":\"]\"},\"c\":[],\"d\":null,"
        + "\"e\":true,\"f\":0}";
    assertEquals(Map.of("/a", "-12.5e+3", "/b", "{\"n\":[1,{\"x\":\"}\"}],\"m\":\"]\"}", "/c", "[]", "/d", "null",
        "/e", "true", "/f", "0"), texts(marks, data));
  }

  @Test
  void nestedMarksAreFoundAndAbsentOnesAreNotListed() {
    SensitiveMarks marks = marks(withSubject("'card':{'properties':{'holder':{'properties':{"
        + "'name':{'x-sensitive':true}}},'number':{'x-sensitive':true}}}"));
    assertEquals(Map.of("/card/holder/name", "\"Bo\""),
        texts(marks, "{\"id\":\"x\",\"card\":{\"holder\":{\"name\":\"Bo\",\"age\":3},\"other\":{\"number\":1}}}"));
    assertEquals(Map.of(), texts(marks, "{\"id\":\"x\"}"));
  }

  @Test
  void itemsAreMarkedOneByOneAndATupleByPosition() {
    SensitiveMarks marks = marks(withSubject("'emails':{'items':{'x-sensitive':true}},"
        + "'pair':{'items':[{'type':'string'},{'x-sensitive':true}]},"
        + "'people':{'items':{'properties':{'ssn':{'x-sensitive':true}}}}"));
    String data = "{\"id\":\"x\",\"emails\":[\"a@x\", \"b@x\"],\"pair\":[\"open\",\"closed\",\"more\"],"
        + "\"people\":[{\"ssn\":\"1\"},{},{\"ssn\":\"3\"}]}";
    assertEquals(Map.of("/emails/0", "\"a@x\"", "/emails/1", "\"b@x\"", "/pair/1", "\"closed\"",
        "/people/0/ssn", "\"1\"", "/people/2/ssn", "\"3\""), texts(marks, data));
  }

  @Test
  void additionalPropertiesMarkOnlyTheMembersNoPropertiesDeclare() {
    SensitiveMarks marks = marks(withSubject("'notes':{'properties':{'public':{'type':'string'}},"
        + "'additionalProperties':{'x-sensitive':true}}"));
    assertEquals(Map.of("/notes/a~1b", "\"2\"", "/notes/x", "\"3\""),
        texts(marks, "{\"id\":\"x\",\"notes\":{\"public\":\"1\",\"a/b\":\"2\",\"x\":\"3\"}}"));
  }

  @Test
  void refsAndAllOfAreFollowed() {
    SensitiveMarks marks = marks(root("'home':{'$ref':'#/definitions/address'},"
        + "'work':{'allOf':[{'$ref':'#/definitions/address'}]}",
        "'definitions':{'address':{'properties':{'street':{'x-sensitive':true}}}}"));
    assertEquals(Map.of("/home/street", "\"1 Main\"", "/work/street", "\"2 Side\""),
        texts(marks, "{\"id\":\"x\",\"home\":{\"street\":\"1 Main\"},\"work\":{\"street\":\"2 Side\"}}"));
  }

  @Test
  void aRecursiveSchemaIsFollowedAsDeepAsTheData() {
    SensitiveMarks marks = marks("{'x-data-subject':'/id','required':['id'],'properties':{'id':{'type':'integer'},"
        + "'secret':{'x-sensitive':true},'children':{'items':{'$ref':'#'}}}}");
    String data = "{\"id\":1,\"secret\":\"s0\",\"children\":[{\"id\":2,\"children\":[{\"id\":3,\"secret\":\"s2\"}]}]}";
    assertEquals(Map.of("/children/0/children/0/secret", "\"s2\"", "/secret", "\"s0\""), texts(marks, data));
    assertEquals(new DataSubject.Valid("1"), located(marks, data).subject(), "only the root's id is the subject");
  }

  @Test
  void anIntegerSubjectIsItsText() {
    SensitiveMarks marks = marks("{'x-data-subject':'/owner/id','required':['owner'],'properties':{'owner':{"
        + "'required':['id'],'properties':{'id':{'type':'integer'}}},'email':{'x-sensitive':true}}}");
    assertEquals(new DataSubject.Valid("-42"),
        located(marks, "{\"email\":\"e\",\"owner\":{\"x\":[1],\"id\":-42}}").subject());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\"id\":\"\",", "\"id\":1.5,", "\"id\":{\"a\":1},", "\"id\":[\"a\"],", "\"id\":null,",
      "\"id\":true,", "\"id\":\"a\\u0000b\",", "\"id\":\"tab\\there\","})
  void aMissingOrUnusableSubjectIsInvalid(String member) {
    DataSubject subject = located(PHOTOGRAPHER, "{" + member + "\"email\":\"e\"}").subject();
    assertInstanceOf(DataSubject.Invalid.class, subject, member);
  }

  @Test
  void aSubjectIsAtMost256Characters() {
    String longest = "é".repeat(DataSubject.MAX_LENGTH);
    assertEquals(new DataSubject.Valid(longest), located(PHOTOGRAPHER, "{\"id\":\"" + longest + "\"}").subject());
    assertInstanceOf(DataSubject.Invalid.class, located(PHOTOGRAPHER, "{\"id\":\"" + longest + "x\"}").subject());
    assertInstanceOf(DataSubject.Invalid.class,
        located(PHOTOGRAPHER, "{\"id\":" + "9".repeat(DataSubject.MAX_LENGTH + 1) + "}").subject());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"id\":\"a\",\"id\":\"b\"}", "{\"name\":\"a\"} x", "nul"})
  void textThatIsNotOneJsonValueIsNotLocated(String data) {
    assertEquals(Optional.empty(), MarkedLocations.locate(PHOTOGRAPHER, data));
    // Nor does the validator's parse read it, so a tracker's pass never gets to answer.
    assertThrows(JsonValues.MalformedJsonException.class,
        () -> JsonValues.parse(data, MarkedLocations.tracker(PHOTOGRAPHER, data)));
  }

  @Test
  void dataOfAnotherShapeHasNoMarkedValue() {
    assertEquals(Map.of(), texts(PHOTOGRAPHER, "[{\"name\":\"a\"}]"));
    assertEquals(Map.of(), texts(PHOTOGRAPHER, "\"name\""));
    assertInstanceOf(DataSubject.Invalid.class, located(PHOTOGRAPHER, "[{\"id\":\"a\"}]").subject());
  }

  @Test
  void aSchemaThatMarksNothingFindsNothing() {
    MarkedLocations.Located found = located(SensitiveMarks.NONE, "{\"email\":\"e\"}");
    assertEquals(List.of(), found.values());
    assertTrue(found.subject() instanceof DataSubject.Invalid);
  }
}

package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast parser gives exactly the values org.json's tokenizer gives, so everit judges data the same way. */
class JsonValuesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"id\":\"p-1\",\"price\":49.5,\"qty\":3,\"big\":12345678901,\"huge\":123456789012345678901234567890}",
      "[1,-0,0.1,1e3,-2.5E-3,1.0,true,false,null,\"\\u00e9\\n\\\"x\\\"\"]",
      "{\"a\":{\"b\":[{\"c\":[]},{}]},\"e\":\"\",\"n\":null}",
      "\"just a string\"",
      "42",
      "  {\"spaced\" : [ 1 , 2 ] }  "})
  void givesTheSameValuesAsTheOrgJsonTokenizer(String json) throws Exception {
    Object expected = new JSONTokener(json).nextValue();
    Object actual = JsonValues.parse(json);
    assertEquals(expected.getClass(), actual.getClass());
    if (expected instanceof JSONObject o) {
      assertTrue(o.similar(actual), () -> o + " vs " + actual);
    } else if (expected instanceof JSONArray a) {
      assertTrue(a.similar(actual), () -> a + " vs " + actual);
      for (int i = 0; i < a.length(); i++) {
        assertEquals(a.get(i).getClass(), ((JSONArray) actual).get(i).getClass(), "element " + i);
      }
    } else {
      assertEquals(expected, actual);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1} x", "{\"a\":", "", "[1,]", "{'a':1}"})
  void refusesWhatIsNotOneWellFormedValue(String json) {
    assertThrows(JsonValues.MalformedJsonException.class, () -> JsonValues.parse(json));
  }

  @Test
  void namesEachKindAsJsonSchemaDoes() throws Exception {
    JSONArray values = (JSONArray) JsonValues.parse("[null,true,{},[],\"s\",3,1.0,12345678901234567890,1.5]");
    List<String> kinds = new ArrayList<>();
    values.forEach(v -> kinds.add(JsonValues.kindOf(v)));
    assertEquals(List.of("null", "boolean", "object", "array", "string", "integer", "integer", "integer",
        "number"), kinds);
  }

  @Test
  void theJudgedValuesHaveCanonicalNumbersAndTheWrittenOnesAreAsBefore() throws Exception {
    JsonValues.Parsed parsed = JsonValues.parseJudged("{\"a\":1.0,\"b\":[0.0,-0,1.50,1e2],\"c\":7,\"d\":2.5}");
    JSONObject written = (JSONObject) parsed.written();
    JSONObject judged = (JSONObject) parsed.judged();
    assertEquals(new java.math.BigDecimal("1.0"), written.get("a"), "as org.json's tokenizer gives it");
    assertEquals(1, judged.get("a"));
    assertEquals(List.of(0, 0, new java.math.BigDecimal("1.5"), 100), judged.getJSONArray("b").toList());
    assertEquals(7, judged.get("c"));
    assertEquals(new java.math.BigDecimal("2.5"), judged.get("d"));
  }

  @Test
  void dataWhoseNumbersAreCanonicalIsNotCopied() throws Exception {
    JsonValues.Parsed parsed = JsonValues.parseJudged("{\"a\":1,\"b\":[2.5,-3,1e-2],\"s\":\"1.0\"}");
    org.junit.jupiter.api.Assertions.assertSame(parsed.written(), parsed.judged());
  }

  @Test
  void aHugeIntegralExponentStaysADecimal() throws Exception {
    Object judged = JsonValues.parseJudged("1e1000000000").judged();
    assertEquals(java.math.BigDecimal.class, judged.getClass());
    assertEquals(java.math.BigInteger.TEN.pow(400), JsonValues.parseJudged("1e400").judged());
  }
}

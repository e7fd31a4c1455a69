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
}

package dev.sluice.console.auth;

import static dev.sluice.console.auth.SensitiveFields.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SensitiveFieldsTest {
  private static final JsonObject SCHEMA = new JsonObject("""
      {
        "type": "object",
        "definitions": {
          "contact": {"type": "object", "properties": {
            "email": {"type": "string", "x-sensitive": true},
            "city": {"type": "string"}}}
        },
        "properties": {
          "id": {"type": "string"},
          "customer": {"type": "object", "properties": {
            "name": {"type": "string"},
            "card": {"type": "object", "x-sensitive": true},
            "contact": {"$ref": "#/definitions/contact"}}},
          "lines": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "note": {"type": "string", "x-sensitive": true}}}},
          "pair": {"type": "array", "items": [{"type": "string"}, {"type": "string", "x-sensitive": true}]},
          "meta": {"type": "object", "patternProperties": {"^secret-": {"x-sensitive": true}},
                   "additionalProperties": {"type": "string"}},
          "extra": {"allOf": [{"properties": {"token": {"x-sensitive": true}}}]}
        }
      }""");

  @Test
  void marksAreMaskedAtEveryDepthAndNothingElseIs() {
    JsonObject data = new JsonObject("""
        {"id": "c-1",
         "customer": {"name": "Ada", "card": {"number": "4111", "cvc": 123},
                      "contact": {"email": "ada@example.com", "city": "London"}},
         "lines": [{"sku": "A", "note": "gift for Bob"}, {"sku": "B"}],
         "pair": ["left", "right"],
         "meta": {"secret-pin": 1234, "colour": "red"},
         "extra": {"token": "t0k", "kept": true},
         "unknown": {"email": "not marked here"}}""");
    JsonObject before = data.copy();
    JsonObject masked = (JsonObject) SensitiveFields.mask(SCHEMA, data);

    assertEquals(before, data, "the input is not changed");
    assertEquals("c-1", masked.getString("id"));
    assertEquals("Ada", masked.getJsonObject("customer").getString("name"));
    assertEquals(MASK, masked.getJsonObject("customer").getValue("card"), "an object is masked whole");
    assertEquals(MASK, masked.getJsonObject("customer").getJsonObject("contact").getValue("email"), "through $ref");
    assertEquals("London", masked.getJsonObject("customer").getJsonObject("contact").getString("city"));
    assertEquals(MASK, masked.getJsonArray("lines").getJsonObject(0).getValue("note"), "in array items");
    assertEquals("A", masked.getJsonArray("lines").getJsonObject(0).getString("sku"));
    assertEquals("left", masked.getJsonArray("pair").getString(0));
    assertEquals(MASK, masked.getJsonArray("pair").getValue(1), "tuple items");
    assertEquals(MASK, masked.getJsonObject("meta").getValue("secret-pin"), "patternProperties");
    assertEquals("red", masked.getJsonObject("meta").getString("colour"));
    assertEquals(MASK, masked.getJsonObject("extra").getValue("token"), "allOf branches");
    assertEquals(true, masked.getJsonObject("extra").getBoolean("kept"));
    assertEquals("not marked here", masked.getJsonObject("unknown").getString("email"));
    assertFalse(masked.encode().contains("ada@example.com"));
    assertFalse(masked.encode().contains("4111"));
  }

  @Test
  void wrongShapesAreLeftAsTheyAre() {
    assertEquals("just text", SensitiveFields.mask(SCHEMA, "just text"));
    assertEquals(42, SensitiveFields.mask(SCHEMA, 42));
    JsonObject odd = new JsonObject().put("customer", "not an object").put("lines", 3);
    assertEquals(odd, SensitiveFields.mask(SCHEMA, odd));
  }

  @Test
  void aPointerIntoAMaskedValueIsSensitive() {
    JsonObject masked = (JsonObject) SensitiveFields.mask(SCHEMA, new JsonObject(
        "{\"customer\": {\"card\": {\"number\": \"4111\"}, \"contact\": {\"email\": \"x@y\"}}, \"id\": \"1\"}"));
    assertTrue(SensitiveFields.isMaskedAt(masked, "/customer/card"));
    assertTrue(SensitiveFields.isMaskedAt(masked, "/customer/card/number"), "under a masked object");
    assertTrue(SensitiveFields.isMaskedAt(masked, "/customer/contact/email"));
    assertFalse(SensitiveFields.isMaskedAt(masked, "/id"));
    assertFalse(SensitiveFields.isMaskedAt(masked, "/customer/name"), "absent: nothing to leak");
    assertFalse(SensitiveFields.isMaskedAt(masked, ""));
  }

  @Test
  void onlyATrueMarkCounts() {
    assertTrue(SensitiveFields.marksAnything(SCHEMA));
    assertFalse(SensitiveFields.marksAnything(new JsonObject(
        "{\"properties\": {\"a\": {\"x-sensitive\": false}, \"b\": {\"x-sensitive\": \"yes\"}}}")));
  }
}

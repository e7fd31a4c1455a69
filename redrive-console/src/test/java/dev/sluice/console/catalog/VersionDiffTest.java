package dev.sluice.console.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The changes between two consecutive versions: the structural lines, and what the compatibility checker says. */
class VersionDiffTest {
  private static final String V1 = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
      + "\"note\":{\"type\":\"string\"}},\"required\":[\"id\"]}";
  /** Adds a required {@code name}, drops {@code note}, narrows nothing else. */
  private static final String V2 = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
      + "\"name\":{\"type\":\"string\",\"maxLength\":80}},\"required\":[\"id\",\"name\"]}";

  private static JsonObject diff(String older, String newer) {
    return VersionDiff.between(SchemaVersion.compile("t", 1, older), SchemaVersion.compile("t", 2, newer));
  }

  @Test
  void linesSayWhatWasAddedRemovedAndChangedByPointer() {
    JsonObject d = diff(V1, V2);
    assertEquals(1, d.getInteger("from"));
    assertEquals(2, d.getInteger("to"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("op", "added").put("pointer", "/properties/name")
            .put("after", new JsonObject().put("type", "string").put("maxLength", 80)))
        .add(new JsonObject().put("op", "removed").put("pointer", "/properties/note")
            .put("before", new JsonObject().put("type", "string")))
        .add(new JsonObject().put("op", "changed").put("pointer", "/required")
            .put("before", new JsonArray().add("id")).put("after", new JsonArray().add("id").add("name"))),
        d.getJsonArray("lines"));
  }

  @Test
  void theCheckerSaysWhatBreaksEachWay() {
    JsonObject d = diff(V1, V2);
    assertTrue(d.getBoolean("checked"));
    // Readers on v2 refuse v1 data without a name.
    JsonArray backward = d.getJsonArray("backward");
    assertTrue(backward.stream().map(JsonObject.class::cast).anyMatch(c -> "required-added".equals(c.getString(
        "rule")) && c.getString("message").contains("name")), backward.encode());
    // Readers still on v1 refuse v2 data whose note is not a string: v2 no longer says what a note is.
    assertEquals(new JsonArray().add(new JsonObject().put("pointer", "/properties/note/type")
        .put("rule", "type-narrowed").put("message", "type of `/properties/note` narrowed from any to string")),
        d.getJsonArray("forward"));
  }

  @Test
  void identicalSchemasHaveNoLinesAndNoBreakingChanges() {
    JsonObject d = diff(V1, V1);
    assertTrue(d.getJsonArray("lines").isEmpty());
    assertTrue(d.getJsonArray("backward").isEmpty());
    assertTrue(d.getJsonArray("forward").isEmpty());
  }

  @Test
  void aPointerEscapesItsMemberNames() {
    JsonObject d = diff("{\"properties\":{}}", "{\"properties\":{\"a/b~c\":{}}}");
    assertEquals("/properties/a~1b~0c", d.getJsonArray("lines").getJsonObject(0).getString("pointer"));
  }

  @Test
  void anUnusableVersionIsDiffedButNotChecked() {
    // A remote $ref is refused by today's compiler: such a version is kept, unusable.
    JsonObject d = diff(V1, "{\"$ref\":\"http://example.com/s.json\"}");
    assertFalse(d.getBoolean("checked"));
    assertFalse(d.containsKey("backward"));
    assertFalse(d.getJsonArray("lines").isEmpty());
  }
}

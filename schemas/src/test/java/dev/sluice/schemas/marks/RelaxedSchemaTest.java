package dev.sluice.schemas.marks;

import static dev.sluice.schemas.marks.MarkRulesTest.json;
import static dev.sluice.schemas.marks.MarkRulesTest.marks;
import static dev.sluice.schemas.marks.MarkRulesTest.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.Validation;
import java.util.List;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class RelaxedSchemaTest {
  private static final String SCHEMA = root("'age':{'type':'integer','minimum':0,'x-sensitive':true},"
      + "'card':{'type':'object','required':['number'],'x-sensitive':true},"
      + "'email':{'$ref':'#email'},'tags':{'type':'array','maxItems':2,'items':{'type':'string'}}",
      "'definitions':{'email':{'$id':'#email','type':'string','format':'email','x-sensitive':true}}");
  private static final SchemaVersion VERSION = SchemaVersion.compile("t", 1, json(SCHEMA));
  private static final String SEALED = "\"sluice:v1:AVxK\"";

  private static List<String> pointers(Validation v) {
    return assertInstanceOf(Validation.Invalid.class, v).violations().stream().map(Violation::pointer).toList();
  }

  @Test
  void eachMarkedSubschemaBecomesTrueAndAnAnchorKeepsItsId() {
    JSONObject relaxed = RelaxedSchema.of(new JSONObject(json(SCHEMA)), marks(SCHEMA));
    JSONObject properties = relaxed.getJSONObject("properties");
    assertEquals(Boolean.TRUE, properties.get("age"));
    assertEquals(Boolean.TRUE, properties.get("card"));
    assertEquals("{\"$ref\":\"#email\"}", properties.get("email").toString());
    assertEquals("{\"$id\":\"#email\"}", relaxed.getJSONObject("definitions").get("email").toString());
    assertEquals(new JSONObject(json("{'type':'string'}")).toString(), properties.get("id").toString());
  }

  @Test
  void aSchemaThatMarksNothingIsItsOwnRelaxedForm() {
    JSONObject schema = new JSONObject(json("{'properties':{'a':{'type':'string'}}}"));
    assertSame(schema, RelaxedSchema.of(schema, SensitiveMarks.of(schema, MemberPatterns.ANY)));
  }

  @Test
  void aSealedStringWhereAMarkedIntegerOrObjectWasPassesTheRelaxedSchemaOnly() {
    String sealed = "{\"id\":\"x\",\"age\":" + SEALED + ",\"card\":" + SEALED + ",\"email\":" + SEALED + "}";
    assertInstanceOf(Validation.Valid.class, VERSION.validateSealed(sealed));
    assertEquals(List.of("/data/age", "/data/card", "/data/email"),
        pointers(VERSION.validate(sealed)).stream().sorted().toList());
  }

  @Test
  void unmarkedViolationsAreTheSameWithTheSamePointers() {
    String plain = "{\"age\":41,\"card\":{\"number\":\"4111\"},\"email\":\"a@example.com\",\"tags\":[1,\"b\",\"c\"]}";
    String sealed = "{\"age\":" + SEALED + ",\"card\":" + SEALED + ",\"email\":" + SEALED
        + ",\"tags\":[1,\"b\",\"c\"]}";
    List<String> full = pointers(VERSION.validate(plain));
    assertEquals(List.of("/data/id", "/data/tags", "/data/tags/0"), full.stream().sorted().toList());
    assertEquals(full, pointers(VERSION.validateSealed(sealed)));
  }

  @Test
  void aVersionThatMarksNothingValidatesSealedDataAsAnyData() {
    SchemaVersion plain = SchemaVersion.compile("t", 1, json("{'properties':{'a':{'type':'integer'}}}"));
    assertEquals(pointers(plain.validate("{\"a\":\"x\"}")), pointers(plain.validateSealed("{\"a\":\"x\"}")));
  }
}

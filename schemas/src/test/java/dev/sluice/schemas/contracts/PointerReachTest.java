package dev.sluice.schemas.contracts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.StreamCatalog;
import org.junit.jupiter.api.Test;

/** Which declared pointers a schema reaches: lenient where it leaves room, strict where it is closed. */
class PointerReachTest {
  private static final String PRODUCT = StreamCatalog.readResource("sluice/schemas/retail.product.created.json");

  private static PointerReach reach(String schema) {
    return new PointerReach(schema);
  }

  @Test
  void declaredPropertiesAreReachedAndAnUndeclaredOneOfAnObjectWithPropertiesIsNot() {
    PointerReach product = reach(PRODUCT);
    assertTrue(product.reaches("/data"));
    assertTrue(product.reaches("/data/price"));
    assertTrue(product.reaches("/data/description"), "optional members count too");
    assertFalse(product.reaches("/data/prize"), "a typo: the schema declares properties and not this one");
    assertFalse(product.reaches("/data/price/amount"), "a number has no members");
    assertFalse(product.reaches("/id"), "only the data is described");
  }

  @Test
  void additionalPropertiesFalseClosesAnObjectAndASchemaForThemOpensIt() {
    String closed = "{\"type\":\"object\",\"properties\":{\"a\":{}},\"additionalProperties\":false}";
    assertTrue(reach(closed).reaches("/data/a"));
    assertTrue(reach(closed).reaches("/data/a/anything/below"), "{} says nothing of its members");
    assertFalse(reach(closed).reaches("/data/b"));
    assertFalse(reach(closed).reaches("/data/b/c"), "nor anything below a member that cannot be there");

    String open = "{\"type\":\"object\",\"properties\":{\"a\":{}},"
        + "\"additionalProperties\":{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"number\"}}}}";
    assertTrue(reach(open).reaches("/data/any-name/amount"), "an undeclared name is open, and described below");
    assertFalse(reach(open).reaches("/data/any-name/currency"), "but what is below it is still closed");
  }

  @Test
  void patternPropertiesReachTheNamesTheyMayMatch() {
    String tagged = "{\"type\":\"object\",\"properties\":{\"id\":{}},"
        + "\"patternProperties\":{\"^tag_[a-z]+$\":{\"type\":\"string\"}}}";
    assertTrue(reach(tagged).reaches("/data/tag_colour"));
    assertFalse(reach(tagged).reaches("/data/colour"));
    assertTrue(reach(tagged).reaches("/data/*"));
  }

  @Test
  void aValueThatDescribesNoMembersLeavesEveryMemberOpenUnlessItCannotBeAnObject() {
    String loose = "{\"type\":\"object\",\"properties\":{\"meta\":{\"type\":\"object\"},\"any\":true,"
        + "\"name\":{\"type\":\"string\"},\"either\":{\"type\":[\"string\",\"object\"]},\"gone\":false}}";
    assertTrue(reach(loose).reaches("/data/meta/source/system"));
    assertTrue(reach(loose).reaches("/data/any/x"));
    assertTrue(reach(loose).reaches("/data/either/x"));
    assertFalse(reach(loose).reaches("/data/name/x"), "a string has no members");
    assertFalse(reach(loose).reaches("/data/gone"), "false admits no value");
  }

  @Test
  void itemsAreReachedByStarOrIndex() {
    String order = "{\"type\":\"object\",\"properties\":{\"lines\":{\"type\":\"array\",\"items\":"
        + "{\"type\":\"object\",\"properties\":{\"sku\":{\"type\":\"string\"}}}},"
        + "\"pair\":{\"type\":\"array\",\"items\":[{\"type\":\"string\"},{\"type\":\"object\","
        + "\"properties\":{\"x\":{}}}]}}}";
    assertTrue(reach(order).reaches("/data/lines/*/sku"));
    assertTrue(reach(order).reaches("/data/lines/3/sku"));
    assertFalse(reach(order).reaches("/data/lines/*/price"));
    assertFalse(reach(order).reaches("/data/lines/first/sku"), "an array has no named members");
    assertTrue(reach(order).reaches("/data/pair/1/x"));
    assertFalse(reach(order).reaches("/data/pair/0/x"));
    assertFalse(reach(order).reaches("/data/pair/2"), "a tuple without additionalItems ends");
    assertTrue(reach(order).reaches("/data/*/*"), "* is any member, and any item of it");
  }

  @Test
  void referencesAndCombinatorsAreFollowed() {
    String refs = "{\"definitions\":{\"money\":{\"type\":\"object\",\"properties\":{\"amount\":{},\"currency\":{}}}},"
        + "\"type\":\"object\",\"properties\":{\"price\":{\"$ref\":\"#/definitions/money\"},"
        + "\"payment\":{\"oneOf\":[{\"properties\":{\"card\":{}}},{\"properties\":{\"iban\":{}}}]},"
        + "\"extra\":{\"allOf\":[{\"$ref\":\"#/definitions/money\"},{\"properties\":{\"rate\":{}}}]},"
        + "\"cond\":{\"if\":{\"properties\":{\"hidden\":{}}},\"then\":{\"properties\":{\"shown\":{}}}}}}";
    assertTrue(reach(refs).reaches("/data/price/currency"));
    assertFalse(reach(refs).reaches("/data/price/cents"));
    assertTrue(reach(refs).reaches("/data/payment/iban"));
    assertTrue(reach(refs).reaches("/data/extra/amount"));
    assertTrue(reach(refs).reaches("/data/extra/rate"));
    assertTrue(reach(refs).reaches("/data/cond/shown"));
    assertFalse(reach(refs).reaches("/data/cond/hidden"), "if only tests a value, it does not describe it");
    assertFalse(reach(refs).reaches("/data/definitions/money"), "definitions are not data");
  }

  @Test
  void recursiveSchemasEnd() {
    String tree = "{\"$id\":\"urn:t\",\"type\":\"object\",\"properties\":{\"name\":{},"
        + "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}}}";
    assertTrue(reach(tree).reaches("/data/children/*/children/0/children/*/name"));
    assertFalse(reach(tree).reaches("/data/children/*/children/0/label"));
  }

  @Test
  void whatCannotBeJudgedReachesEverything() {
    assertTrue(reach("not json").reaches("/data/x"));
    assertTrue(reach("{\"properties\":{\"a\":{\"$ref\":\"#/nowhere\"}}}").reaches("/data/a/b/c"));
    assertTrue(reach("{\"patternProperties\":{\"(\":{}}}").reaches("/data/x"), "a pattern that does not compile");
  }
}

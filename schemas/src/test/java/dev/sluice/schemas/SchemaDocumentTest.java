package dev.sluice.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.SchemaDocument.Followed;
import dev.sluice.schemas.SchemaDocument.Node;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Following {@code $ref}: to a schema, or to none, telling a loop from a reference that names nothing. */
class SchemaDocumentTest {
  private static final SchemaDocument DOC = new SchemaDocument("{\"definitions\":{"
      + "\"money\":{\"type\":\"number\"},\"alias\":{\"$ref\":\"#/definitions/money\"},"
      + "\"a\":{\"$ref\":\"#/definitions/b\"},\"b\":{\"$ref\":\"#/definitions/a\"},"
      + "\"lost\":{\"$ref\":\"#/definitions/nowhere\"},\"text\":{\"$ref\":\"#/definitions/n\"},\"n\":5,"
      + "\"odd\":{\"$ref\":7}}}");

  private static Followed follow(String name) {
    String pointer = "/definitions/" + name;
    return DOC.follow(new Node(JsonPointers.valueAt(DOC.json(), pointer), pointer));
  }

  @Test
  void aChainEndsAtTheSchemaItNames() {
    assertEquals(Optional.of("/definitions/money"), follow("alias").target().map(Node::pointer));
    assertFalse(follow("alias").dangling());
    assertEquals(follow("alias").target(), DOC.dereference(new Node(JsonPointers.valueAt(DOC.json(),
        "/definitions/alias"), "/definitions/alias")));
  }

  @Test
  void aLoopEndsNowhereWithoutDangling() {
    assertEquals(new Followed(Optional.empty(), false), follow("a"));
  }

  @Test
  void aReferenceToNothingOrToANonSchemaOrNotAStringDangles() {
    assertEquals(new Followed(Optional.empty(), true), follow("lost"));
    assertEquals(new Followed(Optional.empty(), true), follow("text"));
    assertEquals(new Followed(Optional.empty(), true), follow("odd"));
    assertTrue(DOC.dereference(new Node(JsonPointers.valueAt(DOC.json(), "/definitions/lost"), "/definitions/lost"))
        .isEmpty());
  }
}

package dev.sluice.schemas.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.SchemaDocument;
import dev.sluice.schemas.contracts.ApplicableSchemas.Gathered;
import dev.sluice.schemas.contracts.ApplicableSchemas.InPlace;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The schemas gathered for one value: which keywords are followed, in what order, always or not, within bounds. */
class ApplicableSchemasTest {
  private static final SchemaDocument DOC = new SchemaDocument("{\"definitions\":{\"x\":{\"type\":\"object\"},"
      + "\"loop\":{\"$ref\":\"#/definitions/loop\"}},"
      + "\"allOf\":[{\"$ref\":\"#/definitions/x\"},{\"anyOf\":[{\"$ref\":\"#/definitions/x\"},true]}],"
      + "\"oneOf\":[{\"$ref\":\"#/definitions/loop\"}],\"then\":{},\"dependencies\":{\"a\":{},\"b\":[\"a\"]}}");

  private static List<String> gathered(Set<InPlace> inPlace, int limit) {
    ApplicableSchemas walk = new ApplicableSchemas(DOC, inPlace, limit);
    return walk.gather(List.of(walk.root())).schemas().stream()
        .map(a -> a.node().pointer() + (a.always() ? " always" : "")).toList();
  }

  @Test
  void combinatorsAreFollowedBreadthFirstEachSchemaOnceAlwaysThroughAllOfOnly() {
    assertEquals(List.of(" always", "/definitions/x always", "/allOf/1 always", "/allOf/1/anyOf/1"),
        gathered(InPlace.COMBINATORS, 100), "x is reached through allOf first; the loop in oneOf applies nothing");
  }

  @Test
  void conditionalBranchesAndDependenciesOnlyWhenAsked() {
    assertEquals(List.of(" always", "/definitions/x always", "/allOf/1 always", "/then", "/dependencies/a",
        "/allOf/1/anyOf/1"), gathered(EnumSet.allOf(InPlace.class), 100));
  }

  @Test
  void theLimitCapsOneValue() {
    assertEquals(List.of(" always", "/definitions/x always"), gathered(InPlace.COMBINATORS, 2));
  }

  @Test
  void aDanglingReferenceIsReportedAndPassedOver() {
    ApplicableSchemas walk = new ApplicableSchemas(new SchemaDocument("{\"anyOf\":[{\"$ref\":\"#/nowhere\"},{}]}"),
        InPlace.COMBINATORS, 100);
    Gathered gathered = walk.gather(List.of(walk.root()));
    assertTrue(gathered.dangling());
    assertEquals(List.of("", "/anyOf/1"), gathered.schemas().stream().map(a -> a.node().pointer()).toList());
  }
}

package dev.sluice.gateway.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.problem.Problems.Problem;
import dev.sluice.gateway.registry.RegistryFailure;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryProblemsTest {
  private static final String PATH = "/v1/schemas/t/versions";

  @Test
  void anIncompatibleSchemaListsAndNamesEachBreakingChange() {
    Problem p = Problems.of(new RegistryFailure.Incompatible("t", Compatibility.FULL_TRANSITIVE, List.of(1, 2),
        List.of(new BreakingChange("/required", "required-added", "property `price` became required", "/price"),
            new BreakingChange("/properties/id/type", "type-narrowed", "type of `/properties/id` narrowed"))), PATH);
    JsonObject body = p.body();
    assertEquals("FULL_TRANSITIVE", body.getString("compatibility"));
    assertEquals(2, body.getJsonArray("changes").size());
    assertEquals(new JsonObject().put("pointer", "/required").put("rule", "required-added")
        .put("message", "property `price` became required").put("paths", new JsonArray().add("/price")),
        body.getJsonArray("changes").getJsonObject(0));
    assertEquals(new JsonArray(), body.getJsonArray("changes").getJsonObject(1).getJsonArray("paths"));
    assertEquals(new JsonArray(), body.getJsonArray("affects"), "no declared reads: nobody is known to be affected");
    assertTrue(body.getString("detail").contains("property `price` became required"), body.getString("detail"));
    assertTrue(body.getString("detail").contains("versions 1, 2"), body.getString("detail"));
  }

  @Test
  void aRefusedSchemaListsViolationsWithTheRuleAsKeyword() {
    JsonObject body = Problems.of(new RegistryFailure.SchemaRefused("t",
        List.of(new SchemaProblem("/properties/a/$ref", "remote-ref", "remote $ref is not allowed"))), PATH).body();
    assertEquals(new JsonObject().put("pointer", "/properties/a/$ref").put("keyword", "remote-ref")
        .put("message", "remote $ref is not allowed"), body.getJsonArray("violations").getJsonObject(0));
  }

  @Test
  void unavailableSaysWhenToRetry() {
    assertEquals("5", Problems.of(new RegistryFailure.Unavailable("x"), PATH).headers().get("Retry-After"));
  }
}

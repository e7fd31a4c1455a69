package dev.sluice.gateway.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.problem.Problems.Problem;
import dev.sluice.gateway.registry.RegistryFailure;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.problem.Failure;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryProblemsTest {
  private static final String PATH = "/v1/schemas/t/versions";

  static List<Arguments> everyFailure() {
    Violation v = new Violation("/topic", "topic-immutable", "m");
    return List.of(
        Arguments.of(new RegistryFailure.UnknownType("t"), 404, "unknown-type"),
        Arguments.of(new RegistryFailure.UnknownVersion("t", "9"), 404, "unknown-version"),
        Arguments.of(new RegistryFailure.InvalidVersion("x"), 400, "invalid-version"),
        Arguments.of(new Rejection.UnknownStream("s"), 404, "unknown-stream"),
        Arguments.of(new RegistryFailure.UnsupportedMediaType(null), 415, "unsupported-media-type"),
        Arguments.of(new Rejection.Malformed("bad", List.of()), 400, "malformed-json"),
        Arguments.of(new Rejection.TooLarge(10), 413, "payload-too-large"),
        Arguments.of(new RegistryFailure.SchemaRefused("t", List.of(new SchemaProblem("/a", "remote-ref", "m"))), 422,
            "schema-refused"),
        Arguments.of(new RegistryFailure.Incompatible("t", Compatibility.BACKWARD, List.of(1),
            List.of(new BreakingChange("/required", "required-added", "property `price` became required"))), 409,
            "incompatible-schema"),
        Arguments.of(new RegistryFailure.InvalidBody("bad", List.of(v)), 422, "invalid-body"),
        Arguments.of(new RegistryFailure.StreamRefused("s", List.of(v)), 422, "stream-refused"),
        Arguments.of(new RegistryFailure.StreamConflict("s", List.of(v)), 409, "stream-conflict"),
        Arguments.of(new RegistryFailure.Unavailable("timeout"), 503, "registry-unavailable"));
  }

  @ParameterizedTest
  @MethodSource("everyFailure")
  void everyFailureIsAProblemWithTheRfc9457Members(Failure failure, int status, String slug) {
    Problem p = Problems.of(failure, PATH);
    assertEquals(status, p.status());
    JsonObject body = p.body();
    assertEquals(Problems.TYPE_BASE + slug, body.getString("type"));
    assertEquals(status, body.getInteger("status"));
    assertEquals(PATH, body.getString("instance"));
    assertFalse(body.getString("title").isBlank());
    assertFalse(body.getString("detail").isBlank());
  }

  @Test
  void anIncompatibleSchemaListsAndNamesEachBreakingChange() {
    Problem p = Problems.of(new RegistryFailure.Incompatible("t", Compatibility.FULL_TRANSITIVE, List.of(1, 2),
        List.of(new BreakingChange("/required", "required-added", "property `price` became required"),
            new BreakingChange("/properties/id/type", "type-narrowed", "type of `/properties/id` narrowed"))), PATH);
    JsonObject body = p.body();
    assertEquals("FULL_TRANSITIVE", body.getString("compatibility"));
    assertEquals(2, body.getJsonArray("changes").size());
    assertEquals(new JsonObject().put("pointer", "/required").put("rule", "required-added")
        .put("message", "property `price` became required"), body.getJsonArray("changes").getJsonObject(0));
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

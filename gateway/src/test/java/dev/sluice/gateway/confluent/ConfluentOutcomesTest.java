package dev.sluice.gateway.confluent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.auth.AccessFailure;
import dev.sluice.gateway.auth.ApiKey;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.AffectedReader;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.contracts.TouchedRead;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaProblem;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.log.CompatibilityChange;
import dev.sluice.schemas.registry.log.LogUnavailable;
import dev.sluice.schemas.registry.log.Registration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The converters from registry outcomes, access refusals and versions to Confluent's shapes. */
class ConfluentOutcomesTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}";
  private static final RegistryState STATE =
      RegistryState.empty().apply(new RegistryRecord.SchemaRegistered("t.a", 1, SCHEMA));
  private static final SchemaVersion V1 = STATE.version("t.a", 1).orElseThrow();
  private static final int ID = STATE.ids().id(V1.fingerprint()).orElseThrow();
  private static final ApiKey KEY = new ApiKey("reader", "0".repeat(64), Set.of("*"), false, 2, 1);

  private static ConfluentError error(ConfluentAnswer a) {
    return assertInstanceOf(ConfluentAnswer.Failed.class, a).error();
  }

  @Test
  void aCreatedOrExistingRegistrationAnswersTheSchemasId() {
    assertEquals(new ConfluentAnswer.Ok(new JsonObject().put("id", ID)),
        ConfluentOutcomes.registered(new Registration.Created(V1), STATE));
    assertEquals(new ConfluentAnswer.Ok(new JsonObject().put("id", ID)),
        ConfluentOutcomes.registered(new Registration.Existing(V1), STATE));
  }

  @Test
  void anIncompatibleRegistrationIs409WithEveryBreakingChange() {
    ConfluentError e = error(ConfluentOutcomes.registered(new Registration.Incompatible(Compatibility.BACKWARD,
        List.of(1), List.of(new BreakingChange("/required", "required-added", "property `id` became required"))),
        STATE));
    assertEquals(409, e.status());
    assertEquals(409, e.code());
    assertTrue(e.message().contains("BACKWARD compatibility with version 1 is broken: /required: property `id` became "
        + "required (required-added)"), e.message());
  }

  @Test
  void anIncompatibleOrReadsBreakingRegistrationNamesTheAffectedGroups() {
    BreakingChange narrowed = new BreakingChange("/properties/price/type", "type-narrowed", "price narrowed", "/price");
    ContractImpact impact = new ContractImpact(List.of(new AffectedReader("billing", "payments", "#pay",
        List.of(new TouchedRead("/data/price", List.of(narrowed))))), List.of());
    ConfluentError incompatible = error(ConfluentOutcomes.registered(new Registration.Incompatible(
        Compatibility.BACKWARD, List.of(1), List.of(narrowed)), STATE, impact));
    assertEquals(409, incompatible.status());
    assertTrue(incompatible.message().endsWith("; affects group `billing` (owner `payments`, contact `#pay`): "
        + "/data/price (type-narrowed)"), incompatible.message());

    ContractImpact removed = new ContractImpact(List.of(), List.of(new AffectedReader("notes", "", "",
        List.of(new TouchedRead("/data/note", List.of(new BreakingChange("/properties/note",
            "declared-field-removed", "note removed", "/note")))))));
    ConfluentError broken = error(ConfluentOutcomes.registered(new Registration.DeclaredReadsBroken(3, removed),
        STATE));
    assertEquals(409, broken.status());
    assertEquals(ConfluentError.INCOMPATIBLE, broken.code());
    assertTrue(broken.message().contains("against version 3: breaks group `notes`: /data/note "
        + "(declared-field-removed)"), broken.message());
  }

  @Test
  void aRefusedSchemaIs42201AndAnUnconfirmedWriteIs50002() {
    ConfluentError refused = error(ConfluentOutcomes.registered(new Registration.Refused(
        List.of(new SchemaProblem("/$ref", "remote-ref", "only local references"))), STATE));
    assertEquals(422, refused.status());
    assertEquals(ConfluentError.INVALID_SCHEMA, refused.code());
    assertTrue(refused.message().contains("/$ref: only local references (remote-ref)"), refused.message());
    ConfluentError late = error(ConfluentOutcomes.registered(new LogUnavailable("broker away"), STATE));
    assertEquals(500, late.status());
    assertEquals(ConfluentError.OPERATION_TIMEOUT, late.code());
    assertTrue(late.message().contains("retrying the same request is safe"));
  }

  @Test
  void compatibilitySettings() {
    assertEquals(new ConfluentAnswer.Ok(new JsonObject().put("compatibility", "FULL")),
        ConfluentOutcomes.compatibilitySet("s", new CompatibilityChange.Set("t.a", Compatibility.FULL, true)));
    ConfluentError unknown = error(ConfluentOutcomes.compatibilitySet("s-value",
        new CompatibilityChange.UnknownType("t.z")));
    assertEquals(ConfluentError.SUBJECT_NOT_FOUND, unknown.code());
    assertTrue(unknown.message().startsWith("Subject 's-value' not found."), unknown.message());
  }

  @Test
  void accessRefusalsUseConfluentsAuthCodesAndKeepTheirHeaders() {
    ConfluentError missing = ConfluentOutcomes.denied(new AccessFailure.MissingCredentials());
    assertEquals(401, missing.status());
    assertEquals(ConfluentError.UNAUTHORIZED, missing.code());
    assertEquals(Map.of("WWW-Authenticate", AccessFailure.CHALLENGE), missing.headers());
    assertEquals(ConfluentError.UNAUTHORIZED, ConfluentOutcomes.denied(new AccessFailure.UnknownKey()).code());
    ConfluentError forbidden = ConfluentOutcomes.denied(new AccessFailure.AdminRequired(KEY));
    assertEquals(403, forbidden.status());
    assertEquals(ConfluentError.FORBIDDEN, forbidden.code());
    ConfluentError limited = ConfluentOutcomes.denied(new AccessFailure.RateLimited(KEY, 3));
    assertEquals(429, limited.status());
    assertEquals(ConfluentError.RATE_LIMITED, limited.code());
    assertEquals("3", limited.headers().get("Retry-After"));
  }

  @Test
  void theErrorBodyIsConfluents() {
    assertEquals(new JsonObject().put("error_code", 40401).put("message", "Subject 'x' not found."),
        ConfluentReply.body(ConfluentError.subjectNotFound("x", "")));
  }

  @Test
  void answerBodiesHaveConfluentsShapes() {
    assertEquals(new JsonObject().put("subject", "t.a-value").put("version", 1).put("id", ID).put("schemaType", "JSON")
        .put("schema", SCHEMA), ConfluentResponses.version("t.a-value", V1, ID));
    assertEquals(new JsonObject().put("schema", SCHEMA).put("schemaType", "JSON"), ConfluentResponses.schema(V1));
    assertEquals(new JsonArray().add(1), ConfluentResponses.versions(STATE.versions("t.a")));
    assertEquals(new JsonObject().put("compatibilityLevel", "BACKWARD"),
        ConfluentResponses.config(Compatibility.BACKWARD));
    assertEquals(new JsonObject().put("is_compatible", true), ConfluentResponses.compatibility(List.of(), false));
    JsonObject verbose = ConfluentResponses.compatibility(
        List.of(new BreakingChange("", "type-narrowed", "the type narrowed")), true);
    assertEquals(false, verbose.getBoolean("is_compatible"));
    assertEquals(new JsonArray().add("the type narrowed (type-narrowed)"), verbose.getJsonArray("messages"));
  }

  @Test
  void basicCredentialsCarryTheKeyAsTheirPassword() {
    String basic = "Basic " + Base64.getEncoder().encodeToString("anyone:dev-admin".getBytes(StandardCharsets.UTF_8));
    assertEquals("Bearer dev-admin", ConfluentAuth.asBearer(basic));
    assertEquals("Bearer a:b", ConfluentAuth.asBearer("basic " + Base64.getEncoder()
        .encodeToString("u:a:b".getBytes(StandardCharsets.UTF_8))));
    assertEquals("Bearer t", ConfluentAuth.asBearer("Bearer t"));
    assertNull(ConfluentAuth.asBearer("Basic not-base64!"));
    assertNull(ConfluentAuth.asBearer("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())));
    assertNull(ConfluentAuth.asBearer(null));
  }
}

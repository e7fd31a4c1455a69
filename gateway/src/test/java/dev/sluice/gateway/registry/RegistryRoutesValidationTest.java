package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.Rejection;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.CostMeter;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The validate route's answers for the demo photographer, whose name and email are marked sensitive. */
class RegistryRoutesValidationTest {
  private static final SchemaVersion PHOTOGRAPHER = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state()
      .latest("retail.photographer.registered").orElseThrow();

  @Test
  void aViolationOfAMarkedValueIsAnsweredWithoutTheValue() {
    RegistryAnswer answer = RegistryRoutes.validation(PHOTOGRAPHER,
        "{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"ann.secret.example\"}", CostMeter.forOneEvent());
    JsonObject body = assertInstanceOf(RegistryAnswer.Ok.class, answer).body();
    assertEquals(false, body.getBoolean("valid"));
    JsonObject violation = body.getJsonArray("violations").getJsonObject(0);
    assertEquals("/data/email", violation.getString("pointer"));
    assertEquals("format", violation.getString("keyword"));
    assertFalse(body.encode().contains("ann.secret"), body.encode());
  }

  @Test
  void malformedDataIsAnsweredWithoutTheParsersExcerpt() {
    RegistryAnswer answer = RegistryRoutes.validation(PHOTOGRAPHER, "{\"id\":\"ph-1\",\"email\": annsecret}",
        CostMeter.forOneEvent());
    Rejection.Malformed malformed = assertInstanceOf(Rejection.Malformed.class,
        assertInstanceOf(RegistryAnswer.Failed.class, answer).failure());
    assertFalse(malformed.detail().contains("annsecret"), malformed.detail());
    assertTrue(malformed.detail().contains("at character"), malformed.detail());
  }
}

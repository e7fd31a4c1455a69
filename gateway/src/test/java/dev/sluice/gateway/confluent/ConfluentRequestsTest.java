package dev.sluice.gateway.confluent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.confluent.ConfluentRequests.Read;
import dev.sluice.gateway.confluent.ConfluentRequests.VersionRef;
import dev.sluice.schemas.registry.Compatibility;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConfluentRequestsTest {
  private static final String MEDIA = ConfluentReply.MEDIA_TYPE;
  private static final String SCHEMA = "{\"type\":\"object\"}";

  private static Read<String> schema(String contentType, JsonObject body) {
    return ConfluentRequests.schema(contentType, Buffer.buffer(body.encode()), 1024);
  }

  private static ConfluentError error(Read<?> read) {
    return assertInstanceOf(Read.Failed.class, read).error();
  }

  @Test
  void aJsonSchemaIsReadFromEitherMediaTypeAndItsTextKeptVerbatim() {
    JsonObject body = new JsonObject().put("schema", SCHEMA).put("schemaType", "JSON").putNull("references")
        .put("metadata", new JsonObject());
    assertEquals(new Read.Ok<>(SCHEMA), schema(MEDIA, body));
    assertEquals(new Read.Ok<>(SCHEMA), schema("application/json", body));
    assertEquals(new Read.Ok<>(SCHEMA), schema(MEDIA, body.put("references", new io.vertx.core.json.JsonArray())));
  }

  @Test
  void avroProtobufAndNoSchemaTypeAtAllAreRefusedAsInvalidSchemas() {
    for (String type : new String[] {"AVRO", "PROTOBUF"}) {
      ConfluentError e = error(schema(MEDIA, new JsonObject().put("schema", SCHEMA).put("schemaType", type)));
      assertEquals(422, e.status());
      assertEquals(ConfluentError.INVALID_SCHEMA, e.code());
      assertTrue(e.message().contains("JSON schemas only"), e.message());
    }
    // Confluent's default schema type is AVRO.
    ConfluentError none = error(schema(MEDIA, new JsonObject().put("schema", SCHEMA)));
    assertEquals(ConfluentError.INVALID_SCHEMA, none.code());
    assertTrue(none.message().contains("AVRO (the default"), none.message());
  }

  @Test
  void referencesASchemaThatIsNotJsonAndAMissingSchemaAreInvalid() {
    JsonObject json = new JsonObject().put("schemaType", "JSON");
    assertEquals(ConfluentError.INVALID_SCHEMA, error(schema(MEDIA, json.copy().put("schema", SCHEMA)
        .put("references", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "x"))))).code());
    assertEquals(ConfluentError.INVALID_SCHEMA, error(schema(MEDIA, json.copy().put("schema", "{\"type\":"))).code());
    assertEquals(ConfluentError.INVALID_SCHEMA,
        error(schema(MEDIA, json.copy().put("schema", "{\"a\":1,\"a\":2}"))).code());
    assertEquals(ConfluentError.INVALID_SCHEMA, error(schema(MEDIA, json.copy())).code());
  }

  @Test
  void bodyFaultsKeepTheirHttpStatusAsCode() {
    JsonObject ok = new JsonObject().put("schema", SCHEMA).put("schemaType", "JSON");
    assertEquals(415, error(schema("text/plain", ok)).code());
    assertEquals(400, error(ConfluentRequests.schema(MEDIA, Buffer.buffer("{\"schema\":"), 1024)).code());
    assertEquals(422, error(ConfluentRequests.schema(MEDIA, Buffer.buffer("[1]"), 1024)).code());
    ConfluentError big = error(ConfluentRequests.schema(MEDIA, Buffer.buffer(ok.encode()), 5));
    assertEquals(413, big.status());
  }

  @Test
  void aCompatibilityLevelIsOneOfTheNamesElse42203() {
    assertEquals(new Read.Ok<>(Compatibility.FULL_TRANSITIVE),
        ConfluentRequests.compatibility(MEDIA, Buffer.buffer("{\"compatibility\":\"FULL_TRANSITIVE\"}")));
    ConfluentError e = error(ConfluentRequests.compatibility(MEDIA, Buffer.buffer("{\"compatibility\":\"SOME\"}")));
    assertEquals(422, e.status());
    assertEquals(ConfluentError.INVALID_COMPATIBILITY_LEVEL, e.code());
    assertEquals(ConfluentError.INVALID_COMPATIBILITY_LEVEL,
        error(ConfluentRequests.compatibility(MEDIA, Buffer.buffer("{}"))).code());
  }

  @Test
  void versionsAreLatestMinusOneOrAPositiveIntElse42202() {
    assertEquals(new Read.Ok<>(VersionRef.LATEST), ConfluentRequests.version("latest"));
    assertEquals(new Read.Ok<>(VersionRef.LATEST), ConfluentRequests.version("-1"));
    assertEquals(new Read.Ok<>(new VersionRef(false, 7)), ConfluentRequests.version("7"));
    assertEquals(new Read.Ok<>(new VersionRef(false, Integer.MAX_VALUE)), ConfluentRequests.version("2147483647"));
    for (String bad : new String[] {"0", "-2", "01", "2147483648", "one", ""}) {
      assertEquals(ConfluentError.INVALID_VERSION, error(ConfluentRequests.version(bad)).code(), bad);
    }
  }

  @Test
  void anIdThatIsNoPositiveIntNamesNoSchema() {
    assertEquals(new Read.Ok<>(42), ConfluentRequests.id("42"));
    assertEquals(ConfluentError.SCHEMA_NOT_FOUND, error(ConfluentRequests.id("0")).code());
    assertEquals(ConfluentError.SCHEMA_NOT_FOUND, error(ConfluentRequests.id("x")).code());
    assertEquals(404, error(ConfluentRequests.id("9999999999")).status());
  }
}

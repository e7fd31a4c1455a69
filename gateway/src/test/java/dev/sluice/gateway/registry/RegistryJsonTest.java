package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.registry.RegistryJson.Parsed;
import dev.sluice.gateway.registry.RegistryJson.ParsedStream;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.problem.Failure;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamAbout;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.log.StreamProblem;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryJsonTest {
  private static Failure failure(Parsed<?> p) {
    return assertInstanceOf(Parsed.Failed.class, p).failure();
  }

  private static <T> T value(Parsed<T> p) {
    @SuppressWarnings("unchecked")
    Parsed.Ok<T> ok = assertInstanceOf(Parsed.Ok.class, p, () -> p.toString());
    return ok.value();
  }

  private static Parsed<String> body(String contentType, String text) {
    return RegistryJson.jsonBody(contentType, Buffer.buffer(text));
  }

  @Test
  void jsonBodiesAreReadAsText() {
    assertEquals("{\"a\":1}", value(body("application/json", "{\"a\":1}")));
    assertEquals("[1]", value(body("application/schema+json; charset=utf-8", "[1]")));
    assertEquals(" 1 ", value(body("application/json", " 1 ")));
  }

  @Test
  void onlyJsonMediaTypesAreTaken() {
    assertInstanceOf(Rejection.UnsupportedMediaType.class, failure(body(null, "{}")));
    assertInstanceOf(Rejection.UnsupportedMediaType.class, failure(body("text/plain", "{}")));
  }

  @Test
  void malformedBodiesAreRefusedWithAReason() {
    for (String bad : List.of("", "{", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "[".repeat(65) + "]".repeat(65),
        "{'a':1}", "nope")) {
      var f = assertInstanceOf(Rejection.Malformed.class, failure(body("application/json", bad)), bad);
      assertFalse(f.detail().isBlank());
    }
    assertEquals("[".repeat(64) + "]".repeat(64),
        value(body("application/json", "[".repeat(64) + "]".repeat(64))));
    assertEquals("[".repeat(256) + "]".repeat(256),
        value(RegistryJson.schemaBody("application/json", Buffer.buffer("[".repeat(256) + "]".repeat(256)))));
    assertInstanceOf(Rejection.Malformed.class, failure(
        RegistryJson.schemaBody("application/json", Buffer.buffer("[".repeat(257) + "]".repeat(257)))));
    byte[] notUtf8 = {'"', (byte) 0xC3, (byte) 0x28, '"'};
    var f = assertInstanceOf(Rejection.Malformed.class,
        failure(RegistryJson.jsonBody("application/json", Buffer.buffer(notUtf8))));
    assertTrue(f.detail().contains("UTF-8"));
  }

  @Test
  void compatibilityBodies() {
    assertEquals(Compatibility.FULL_TRANSITIVE, value(RegistryJson.compatibility("{\"compatibility\":\"FULL_TRANSITIVE\"}")));
    for (String bad : List.of("{\"compatibility\":\"full\"}", "{\"compatibility\":1}", "{}")) {
      var f = assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.compatibility(bad)));
      assertEquals("/compatibility", f.violations().get(0).pointer());
      assertEquals("enum", f.violations().get(0).keyword());
    }
    var notObject = assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.compatibility("[]")));
    assertEquals("", notObject.violations().get(0).pointer());
  }

  @Test
  void streamBodiesTakeDefaultsAndTheNameFromThePath() {
    ParsedStream s = value(RegistryJson.stream("orders",
        "{\"types\":[{\"type\":\"b\",\"partitionKey\":\"/id\"},{\"type\":\"a\",\"partitionKey\":\"/k\"}]}"));
    assertEquals("orders", s.definition().name());
    assertEquals("orders", s.definition().topic());
    assertEquals(1, s.definition().partitions());
    assertEquals(OrderingPolicy.KEY_ORDERED, s.definition().ordering());
    assertFalse(s.definition().partitionKeyExtension());
    assertEquals(List.of("b", "a"), s.typeOrder());
  }

  @Test
  void streamBodiesAreCheckedWithPointers() {
    var f = assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.stream("orders",
        "{\"name\":\"other\",\"topic\":5,\"partitions\":0,\"ordering\":\"SOMETIMES\",\"partitionKeyExtension\":\"yes\","
            + "\"types\":[{\"type\":\"a\",\"partitionKey\":\"id\"},{\"type\":\"a\",\"partitionKey\":\"/id\"},7,"
            + "{\"partitionKey\":\"/x\",\"schema\":1}]}")));
    assertEquals(List.of("/name", "/topic", "/partitions", "/ordering", "/partitionKeyExtension",
        "/types/0/partitionKey", "/types/1/type", "/types/2", "/types/3/type", "/types/3/schema"),
        f.violations().stream().map(Violation::pointer).toList());
    var noTypes = assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.stream("o", "{}")));
    assertEquals("/types", noTypes.violations().get(0).pointer());
    assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.stream("o", "[]")));
  }

  @Test
  void aStreamSaysWhoOwnsItWhomToAskWhatItCarriesAndHowFreshItsReadersShouldBe() {
    ParsedStream s = value(RegistryJson.stream("orders", "{\"owner\":\"team-orders\",\"contact\":\"#orders\","
        + "\"description\":\"Orders as placed.\\nOne event per order.\",\"stalenessObjective\":\"PT5M\","
        + "\"types\":[{\"type\":\"a\",\"partitionKey\":\"/id\"}]}"));
    StreamAbout about = s.definition().about();
    assertEquals(Optional.of("team-orders"), about.owner());
    assertEquals(Optional.of("#orders"), about.contact());
    assertEquals(Optional.of("Orders as placed.\nOne event per order."), about.description());
    assertEquals(Optional.of(Duration.ofMinutes(5)), about.stalenessObjective());
    // Kept as written through the catalog's JSON (the registry log's form), and left out when not said.
    assertEquals(s.definition(), StreamCatalog.parseStream(StreamCatalog.toJson(s.definition())));
    ParsedStream bare = value(RegistryJson.stream("o", "{\"types\":[{\"type\":\"a\",\"partitionKey\":\"/id\"}]}"));
    assertEquals(StreamAbout.NONE, bare.definition().about());
    assertFalse(StreamCatalog.toJson(bare.definition()).has("owner"));
  }

  @Test
  void aStreamsCatalogPartsAreCheckedWithPointers() {
    var f = assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.stream("orders",
        "{\"owner\":\" \",\"contact\":7,\"description\":\"" + "x".repeat(StreamAbout.MAX_DESCRIPTION + 1) + "\","
            + "\"stalenessObjective\":\"five minutes\",\"types\":[{\"type\":\"a\",\"partitionKey\":\"/id\"}]}")));
    assertEquals(List.of("/owner", "/contact", "/description", "/stalenessObjective"),
        f.violations().stream().map(Violation::pointer).toList());
    var tooLong = assertInstanceOf(RegistryFailure.InvalidBody.class, failure(RegistryJson.stream("orders",
        "{\"stalenessObjective\":\"P31D\",\"owner\":\"a\\u0007b\",\"types\":[{\"type\":\"a\",\"partitionKey\":\"/id\"}]}")));
    assertEquals(List.of("/owner", "/stalenessObjective"), tooLong.violations().stream().map(Violation::pointer)
        .toList());
  }

  @Test
  void streamProblemsArePointedBackIntoTheBody() {
    ParsedStream s = value(RegistryJson.stream("orders",
        "{\"types\":[{\"type\":\"b\",\"partitionKey\":\"/id\"},{\"type\":\"a\",\"partitionKey\":\"/k\"}]}"));
    List<Violation> v = RegistryJson.intoBody(List.of(
        new StreamProblem("/types/0/type", "unregistered-type", "a"),
        new StreamProblem("/types/1/partitionKey", "partition-key", "b"),
        new StreamProblem("/topic", "topic-immutable", "t")), s);
    assertEquals(List.of("/types/1/type", "/types/0/partitionKey", "/topic"),
        v.stream().map(Violation::pointer).toList());
  }

  @Test
  void versionsAreNumbersOrLatest() {
    RegistryState state = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("t", 1, "{}"))
        .apply(new RegistryRecord.SchemaRegistered("t", 2, "{\"type\":\"object\"}"));
    assertEquals(2, value(RegistryJson.version(state, "t", "latest")).version());
    assertEquals(1, value(RegistryJson.version(state, "t", "1")).version());
    assertInstanceOf(RegistryFailure.UnknownVersion.class, failure(RegistryJson.version(state, "t", "3")));
    assertInstanceOf(RegistryFailure.UnknownType.class, failure(RegistryJson.version(state, "u", "1")));
    for (String bad : List.of("0", "-1", "01", "one", "99999999999")) {
      assertInstanceOf(RegistryFailure.InvalidVersion.class, failure(RegistryJson.version(state, "t", bad)), bad);
    }
  }
}

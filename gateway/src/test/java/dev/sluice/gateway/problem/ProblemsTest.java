package dev.sluice.gateway.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.problem.Problems.Problem;
import dev.sluice.gateway.registry.RegistryFailure;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.problem.Failure;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProblemsTest {
  private static final String PATH = "/v1/streams/retail/events";

  static List<Arguments> everyRejection() {
    return List.of(
        Arguments.of(new Rejection.UnknownStream("nope"), 404, "unknown-stream"),
        Arguments.of(new Rejection.UnsupportedMediaType("text/plain"), 415, "unsupported-media-type"),
        Arguments.of(new Rejection.Malformed("bad", List.of()), 400, "malformed-json"),
        Arguments.of(new Rejection.NotACloudEvent("no specversion"), 400, "not-a-cloudevent"),
        Arguments.of(new Rejection.InvalidAttributes(List.of(new Violation("/id", "required", "m"))), 400,
            "invalid-cloudevent"),
        Arguments.of(new Rejection.TypeNotAccepted("retail", "x", Set.of("a")), 422, "type-not-accepted"),
        Arguments.of(new Rejection.SchemaViolation("t", 1, List.of(new Violation("/data/price", "minimum", "m"))),
            422, "schema-violation"),
        Arguments.of(new Rejection.MalformedData("Unexpected end"), 422, "malformed-data"),
        Arguments.of(new Rejection.MissingPartitionKey("t", "/data/id"), 422, "missing-partition-key"),
        Arguments.of(new Rejection.InvalidDataSubject("t", "/data/id", "is missing"), 422, "invalid-data-subject"),
        Arguments.of(new Rejection.TooLarge(1024), 413, "payload-too-large"),
        Arguments.of(new Rejection.BrokerUnavailable("timeout"), 503, "broker-unavailable"),
        Arguments.of(new Rejection.ValidationBusy(), 503, "validation-busy"),
        Arguments.of(new Rejection.KeyUnavailable(), 503, "key-unavailable"),
        Arguments.of(new Rejection.RecordTooLarge("too big for Kafka"), 413, "record-too-large"),
        Arguments.of(new Rejection.InvalidUtf8(7), 400, "invalid-utf8"),
        Arguments.of(new Rejection.NestingTooDeep(64, "/data/a"), 400, "nesting-too-deep"),
        Arguments.of(new Rejection.NumberTooLong(100, "/data/n"), 400, "number-too-long"),
        Arguments.of(new Rejection.StringTooLong(1024, "/data/s", false), 400, "string-too-long"),
        Arguments.of(new Rejection.DuplicateKey("/data/price"), 400, "duplicate-key"),
        Arguments.of(new Rejection.TrailingContent(12), 400, "trailing-content"),
        Arguments.of(new Rejection.InputLimitExceeded(), 400, "input-limit-exceeded"),
        Arguments.of(new Rejection.NotABatch("an object"), 400, "not-a-batch"),
        Arguments.of(new Rejection.EmptyBatch(), 400, "empty-batch"),
        Arguments.of(new Rejection.BatchTooLarge(500), 413, "batch-too-large"),
        Arguments.of(new Rejection.InvalidParameter("partial", "yes", "true or false"), 400, "invalid-parameter"),
        Arguments.of(new Rejection.UnsupportedDataschema("urn:x", "why"), 422, "unsupported-dataschema"),
        Arguments.of(new Rejection.UnknownSchemaVersion("t", 9, 2), 422, "unknown-schema-version"),
        Arguments.of(new Rejection.NoSchema("t"), 422, "no-schema"),
        Arguments.of(new Rejection.PartitionKeyExtensionNotAllowed("retail", "t", "/data/id"), 422,
            "partition-key-extension-not-allowed"),
        Arguments.of(new Rejection.Unreadable("no envelope", List.of()), 422, "unreadable-event"));
  }

  /** The registry API's failures; where it meets a fault ingest has too, it answers with the ingest rejection. */
  static List<Arguments> everyRegistryFailure() {
    Violation v = new Violation("/topic", "topic-immutable", "m");
    return List.of(
        Arguments.of(new RegistryFailure.UnknownType("t"), 404, "unknown-type"),
        Arguments.of(new RegistryFailure.UnknownVersion("t", "9"), 404, "unknown-version"),
        Arguments.of(new RegistryFailure.InvalidVersion("x"), 400, "invalid-version"),
        Arguments.of(new Rejection.UnknownStream("s"), 404, "unknown-stream"),
        Arguments.of(new Rejection.UnsupportedMediaType(null, "a JSON body"), 415, "unsupported-media-type"),
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
  @MethodSource({"everyRejection", "everyRegistryFailure"})
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
  void schemaViolationListsEveryViolation() {
    Problem p = Problems.of(new Rejection.SchemaViolation("retail.product.created", 1, List.of(
        new Violation("/data/price", "exclusiveMinimum", "-3 is not greater than 0"),
        new Violation("/data/brand", "required", "required key [brand] not found"))), PATH);
    JsonArray v = p.body().getJsonArray("violations");
    assertEquals(2, v.size());
    assertEquals(new JsonObject().put("pointer", "/data/price").put("keyword", "exclusiveMinimum")
        .put("message", "-3 is not greater than 0"), v.getJsonObject(0));
    assertEquals("/data/brand", v.getJsonObject(1).getString("pointer"));
    assertEquals("required", v.getJsonObject(1).getString("keyword"));
  }

  @Test
  void typeNotAcceptedPointsAtType() {
    Problem p = Problems.of(new Rejection.TypeNotAccepted("retail", "retail.order.placed",
        Set.of("retail.product.created", "retail.photographer.registered")), PATH);
    JsonObject v = p.body().getJsonArray("violations").getJsonObject(0);
    assertEquals("/type", v.getString("pointer"));
    assertTrue(p.body().getString("detail").contains("retail.photographer.registered, retail.product.created"),
        p.body().getString("detail"));
  }

  @Test
  void missingPartitionKeyPointsAtTheKey() {
    Problem p = Problems.of(new Rejection.MissingPartitionKey("retail.product.photographed", "/data/productId"), PATH);
    JsonObject v = p.body().getJsonArray("violations").getJsonObject(0);
    assertEquals("/data/productId", v.getString("pointer"));
    assertEquals("partitionKey", v.getString("keyword"));
  }

  @Test
  void malformedDataPointsAtData() {
    Problem p = Problems.of(new Rejection.Malformed("the event's data is not valid JSON",
        List.of(new Violation("/data", "json", "Unexpected end"))), PATH);
    assertEquals("/data", p.body().getJsonArray("violations").getJsonObject(0).getString("pointer"));
    // Without violations the member is absent rather than an empty list.
    assertNull(Problems.of(new Rejection.Malformed("x", List.of()), PATH).body().getJsonArray("violations"));
  }

  @Test
  void brokerUnavailableSaysWhenToRetry() {
    Problem p = Problems.of(new Rejection.BrokerUnavailable("timeout"), PATH);
    assertEquals(Map.of("Retry-After", Integer.toString(Problems.RETRY_AFTER_SECONDS)), p.headers());
  }

  @Test
  void validationBusySaysWhenToRetry() {
    Problem p = Problems.of(new Rejection.ValidationBusy(), PATH);
    assertEquals(Map.of("Retry-After", Integer.toString(Problems.RETRY_AFTER_SECONDS)), p.headers());
  }

  @Test
  void unsupportedMediaTypeNamesWhatWasSent() {
    assertTrue(Problems.of(new Rejection.UnsupportedMediaType(null), PATH).body().getString("detail")
        .contains("absent"));
    assertTrue(Problems.of(new Rejection.UnsupportedMediaType("text/csv"), PATH).body().getString("detail")
        .contains("'text/csv'"));
  }

  @Test
  void routingProblems() {
    assertEquals(404, Problems.notFound("/x").status());
    assertEquals(Problems.TYPE_BASE + "not-found", Problems.notFound("/x").body().getString("type"));
    Problem p = Problems.methodNotAllowed(PATH, "GET", "POST");
    assertEquals(405, p.status());
    assertEquals(Map.of("Allow", "POST"), p.headers());
    Problem internal = Problems.internalError("/x");
    assertEquals(500, internal.status());
    assertEquals(Set.of("type", "title", "status", "detail", "instance"), internal.body().fieldNames());
    Problem other = Problems.forStatus(400, "/x");
    assertEquals("about:blank", other.body().getString("type"));
    assertEquals("Bad Request", other.body().getString("title"));
    assertEquals(500, Problems.forStatus(200, "/x").status());
  }

  @Test
  void everyRejectionHasItsOwnProblemType() {
    List<String> types = everyRejection().stream()
        .map(a -> Problems.of((Rejection) a.get()[0], PATH).body().getString("type")).toList();
    assertEquals(types.size(), Set.copyOf(types).size(), types.toString());
  }

  @Test
  void hardLimitsPointAtTheOffendingValue() {
    assertEquals("/3/data/a/b", Problems.of(new Rejection.NestingTooDeep(64, "/3/data/a/b"), PATH).body()
        .getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals("/data/price", Problems.of(new Rejection.DuplicateKey("/data/price"), PATH).body()
        .getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals("/data/n", Problems.of(new Rejection.NumberTooLong(100, "/data/n"), PATH).body()
        .getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals(7L, Problems.of(new Rejection.InvalidUtf8(7), PATH).body().getLong("offset"));
    assertEquals(12L, Problems.of(new Rejection.TrailingContent(12), PATH).body().getLong("offset"));
    assertEquals("/dataschema", Problems.of(new Rejection.UnknownSchemaVersion("t", 9, 2), PATH).body()
        .getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals("/partitionkey",
        Problems.of(new Rejection.PartitionKeyExtensionNotAllowed("retail", "t", "/data/id"), PATH).body()
            .getJsonArray("violations").getJsonObject(0).getString("pointer"));
  }

  @Test
  void everyKindOfRejectionIsCoveredAbove() {
    Set<Class<?>> covered = new java.util.HashSet<>();
    everyRejection().forEach(a -> covered.add(a.get()[0].getClass()));
    assertEquals(Set.of(Rejection.class.getPermittedSubclasses()), covered);
  }
}

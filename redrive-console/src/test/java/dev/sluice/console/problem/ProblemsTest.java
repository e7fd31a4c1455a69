package dev.sluice.console.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.metrics.RedriveMetrics.Outcome;
import dev.sluice.console.problem.ConsoleError.BadBody;
import dev.sluice.console.problem.ConsoleError.BadParameter;
import dev.sluice.console.problem.ConsoleError.BodyTooLarge;
import dev.sluice.console.problem.ConsoleError.InvalidData;
import dev.sluice.console.problem.ConsoleError.ItemNotFound;
import dev.sluice.console.problem.ConsoleError.MethodNotAllowed;
import dev.sluice.console.problem.ConsoleError.NoEventType;
import dev.sluice.console.problem.ConsoleError.NotRedrivable;
import dev.sluice.console.problem.ConsoleError.RecordTooLarge;
import dev.sluice.console.problem.ConsoleError.RouteNotFound;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.console.problem.ConsoleError.UnknownEventType;
import dev.sluice.console.redrive.EventRefused;
import dev.sluice.ingest.Rejection;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.StoreException;
import dev.sluice.schemas.Violation;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class ProblemsTest {

  @Test
  void rendersTheRfc9457Members() {
    JsonObject json = Problems.of(new ItemNotFound("abc")).toJson("/api/v1/quarantine/abc");

    assertEquals("https://sluice.dev/problems/item-not-found", json.getString("type"));
    assertEquals("Quarantine item not found", json.getString("title"));
    assertEquals(404, json.getInteger("status"));
    assertTrue(json.getString("detail").contains("abc"), json.encode());
    assertEquals("/api/v1/quarantine/abc", json.getString("instance"));
  }

  @Test
  void badParameterNamesTheParameter() {
    Problem p = Problems.of(new BadParameter("limit", "must be between 1 and 500, was 0"));
    JsonObject json = p.toJson("/api/v1/quarantine");

    assertEquals(400, p.status());
    assertEquals("https://sluice.dev/problems/bad-parameter", json.getString("type"));
    assertEquals("limit", json.getString("parameter"));
    assertTrue(json.getString("detail").contains("limit"), json.encode());
  }

  @Test
  void invalidDataListsEveryViolation() {
    List<Violation> violations = List.of(
        new Violation("/data/price", "exclusiveMinimum", "-1 is not greater than 0"),
        new Violation("/data/name", "required", "required key [name] not found"));
    JsonObject json = Problems.of(new InvalidData(violations)).toJson("/x");

    assertEquals(422, json.getInteger("status"));
    assertEquals("https://sluice.dev/problems/invalid-data", json.getString("type"));
    JsonArray out = json.getJsonArray("violations");
    assertEquals(2, out.size());
    assertEquals(new JsonObject().put("pointer", "/data/price").put("keyword", "exclusiveMinimum")
        .put("message", "-1 is not greater than 0"), out.getJsonObject(0));
    assertEquals("/data/name", out.getJsonObject(1).getString("pointer"));
  }

  @Test
  void conflictNamesTheCurrentStatus() {
    JsonObject fromValue = Problems.of(new NotRedrivable("id-1", QuarantineStatus.RESOLVED)).toJson("/x");
    assertEquals(409, fromValue.getInteger("status"));
    assertEquals("https://sluice.dev/problems/redrive-conflict", fromValue.getString("type"));
    assertEquals("RESOLVED", fromValue.getString("currentStatus"));
    assertTrue(fromValue.getString("detail").contains("RESOLVED"), fromValue.encode());

    JsonObject fromStore = Problems.of(
        new StoreException.StatusConflict("id-1", QuarantineStatus.QUARANTINED, QuarantineStatus.REDRIVEN))
        .toJson("/x");
    assertEquals(409, fromStore.getInteger("status"));
    assertEquals("REDRIVEN", fromStore.getString("currentStatus"));
  }

  @Test
  void storeNotFoundIs404() {
    Problem p = Problems.of(new StoreException.NotFound("id-2"));
    assertEquals(404, p.status());
    assertEquals("item-not-found", p.slug());
  }

  @Test
  void consoleFailureUnwrapsItsError() {
    Problem p = Problems.of(new ConsoleFailure(new BadBody("the body is not JSON")));
    assertEquals(400, p.status());
    assertEquals("malformed-body", p.slug());
    assertEquals("the body is not JSON", p.detail());
  }

  @Test
  void unreachableEnginesAre503() {
    for (Throwable t : List.of(
        SdkClientException.create("Unable to execute HTTP request: Connection refused"),
        new NoStackTraceTimeoutException("timed out"),
        new RedriveQueue.NoQueueForGroup("g"))) {
      Problem p = Problems.of(t);
      assertEquals(503, p.status(), t.toString());
      assertEquals("engine-unavailable", p.slug());
    }
    assertEquals(503, Problems.of(new Unavailable("queue down")).status());
  }

  @Test
  void anythingElseIsAnInternalErrorThatLeaksNoMessage() {
    Problem p = Problems.of(new IllegalStateException("secret internals"));
    assertEquals(500, p.status());
    assertFalse(p.toJson("/x").encode().contains("secret internals"));
  }

  @Test
  void everyErrorHasAStatusAndATypeAndMapsToAnOutcome() {
    List<ConsoleError> all = List.of(
        new BadParameter("status", "x"), new BadBody("x"), new BodyTooLarge(1024), new ItemNotFound("i"),
        new RouteNotFound("/nope"), new MethodNotAllowed("DELETE", "/metrics"),
        new NotRedrivable("i", QuarantineStatus.REDRIVEN), new InvalidData(List.of()), new NoEventType("i"),
        new UnknownEventType("t"), new Unavailable("x"));
    List<Integer> statuses = List.of(400, 400, 413, 404, 404, 405, 409, 422, 422, 422, 503);
    List<Outcome> outcomes = List.of(Outcome.INVALID, Outcome.INVALID, Outcome.INVALID, Outcome.NOT_FOUND,
        Outcome.NOT_FOUND, Outcome.INVALID, Outcome.CONFLICT, Outcome.INVALID, Outcome.INVALID, Outcome.INVALID,
        Outcome.UNAVAILABLE);
    for (int i = 0; i < all.size(); i++) {
      Problem p = Problems.of(all.get(i));
      assertEquals(statuses.get(i), p.status(), all.get(i).toString());
      assertTrue(p.type().startsWith(Problem.TYPE_BASE), p.type());
      assertEquals(outcomes.get(i), Outcome.ofStatus(p.status()), all.get(i).toString());
    }
  }

  @Test
  void everyIngressRefusalIs422WithTheGatewaysProblemTypeAndItsViolations() {
    List<Rejection> all = List.of(
        new Rejection.Unreadable("no envelope", List.of()),
        new Rejection.InvalidAttributes(List.of(new Violation("/id", "required", "id"))),
        new Rejection.UnknownStream("gone"),
        new Rejection.TypeNotAccepted("retail", "x", java.util.Set.of("b", "a")),
        new Rejection.PartitionKeyExtensionNotAllowed("retail", "t", "/data/id"),
        new Rejection.UnsupportedDataschema("urn:x", "not a pin"),
        new Rejection.UnknownSchemaVersion("t", 9, 2),
        new Rejection.NoSchema("t"),
        new Rejection.MalformedData("not JSON"),
        new Rejection.SchemaViolation("t", 2, List.of(new Violation("/data/price", "minimum", "low"))),
        new Rejection.MissingPartitionKey("t", "/data/id"),
        new Rejection.InvalidDataSubject("t", "/data/id", "is missing"));
    List<String> slugs = List.of("unreadable-event", "invalid-cloudevent", "unknown-stream", "type-not-accepted",
        "partition-key-extension-not-allowed", "unsupported-dataschema", "unknown-schema-version", "no-schema",
        "malformed-data", "schema-violation", "missing-partition-key", "invalid-data-subject");
    for (int i = 0; i < all.size(); i++) {
      Problem p = Problems.of(new EventRefused(all.get(i)));
      assertEquals(422, p.status(), all.get(i).toString());
      assertEquals(Problem.TYPE_BASE + slugs.get(i), p.type());
      assertEquals(ViolationJson.of(all.get(i).violations()), p.toJson("/x").getJsonArray("violations"));
    }
    JsonObject schema = Problems.of(new EventRefused(all.get(9))).toJson("/x");
    assertEquals("/data/price", schema.getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals(2, schema.getInteger("schemaVersion"));
    assertEquals(new JsonArray().add("a").add("b"),
        Problems.of(new EventRefused(all.get(3))).toJson("/x").getJsonArray("acceptedTypes"));
    assertEquals(413, Problems.of(new RecordTooLarge("big")).status());
  }

  @Test
  void extensionsCannotOverrideStandardMembers() {
    Problem p = new Problem("x", "X", 400, "d", new JsonObject().put("status", 200).put("extra", true));
    JsonObject json = p.toJson("/i");
    assertEquals(400, json.getInteger("status"));
    assertTrue(json.getBoolean("extra"));
  }
}

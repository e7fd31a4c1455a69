package dev.sluice.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.problem.Problems;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How per-event results become one HTTP answer (the appends themselves are covered against Kafka in BatchIngestIT). */
class BatchIngestHandlerTest {
  private static final String PATH = "/v1/streams/retail/events";

  private static BatchItemResult accepted(int i, long offset) {
    return new BatchItemResult.Accepted(i, "e-" + i, new Appended("retail", 2, offset));
  }

  private static BatchItemResult rejected(int i) {
    return new BatchItemResult.Rejected(i, "e-" + i, new Rejection.SchemaViolation("retail.product.created", 1,
        List.of(new Violation("/data/price", "exclusiveMinimum", "-1 is not greater than 0"))));
  }

  private static JsonArray results(BatchAnswer a) {
    return a.body().getJsonArray("results");
  }

  @Test
  void allAcceptedIs202WithOffsetsInOrder() {
    BatchAnswer a = BatchAnswer.of(List.of(accepted(0, 10), accepted(1, 11)), PATH);
    assertEquals(202, a.status());
    assertEquals("application/json", a.contentType());
    assertEquals(new JsonObject().put("index", 0).put("id", "e-0").put("status", "accepted").put("partition", 2)
        .put("offset", 10L), results(a).getJsonObject(0));
    assertEquals(11L, results(a).getJsonObject(1).getLong("offset"));
    assertEquals(Map.of(), a.headers());
  }

  @Test
  void anAllOrNothingBatchWithARejectedEventIs422WithAbortedOnes() {
    BatchAnswer a = BatchAnswer.of(List.of(new BatchItemResult.Aborted(0, "e-0"), rejected(1)), PATH);
    assertEquals(422, a.status());
    assertEquals(Problems.MEDIA_TYPE, a.contentType());
    assertEquals(Problems.TYPE_BASE + "batch-rejected", a.body().getString("type"));
    assertEquals(PATH, a.body().getString("instance"));
    JsonObject aborted = results(a).getJsonObject(0);
    assertEquals("aborted", aborted.getString("status"));
    assertNull(aborted.getValue("offset"));
    JsonObject rej = results(a).getJsonObject(1);
    assertEquals("rejected", rej.getString("status"));
    assertEquals(Problems.TYPE_BASE + "schema-violation", rej.getString("problem"));
    assertEquals("/data/price", rej.getJsonArray("violations").getJsonObject(0).getString("pointer"));
  }

  @Test
  void aPartialBatchWithSomeAcceptedIs207() {
    BatchAnswer a = BatchAnswer.of(List.of(accepted(0, 5), rejected(1), accepted(2, 6)), PATH);
    assertEquals(207, a.status());
    assertEquals("application/json", a.contentType());
    assertEquals(List.of("accepted", "rejected", "accepted"),
        results(a).stream().map(o -> ((JsonObject) o).getString("status")).toList());
    assertEquals(6L, results(a).getJsonObject(2).getLong("offset"));
  }

  @Test
  void aPartialBatchWithNothingAcceptedIs422() {
    assertEquals(422, BatchAnswer.of(List.of(rejected(0), rejected(1)), PATH).status());
  }

  @Test
  void anyUnacknowledgedAppendIs503WithRetryAfterAndEveryResult() {
    BatchAnswer a = BatchAnswer.of(
        List.of(accepted(0, 7), new BatchItemResult.Failed(1, "e-1"), rejected(2)), PATH);
    assertEquals(503, a.status());
    assertEquals(Problems.MEDIA_TYPE, a.contentType());
    assertEquals(Map.of("Retry-After", "5"), a.headers());
    assertEquals(Problems.TYPE_BASE + "broker-unavailable", a.body().getString("type"));
    assertTrue(a.body().getString("detail").contains("(source, id)"), a.body().getString("detail"));
    assertEquals(List.of("accepted", "failed", "rejected"),
        results(a).stream().map(o -> ((JsonObject) o).getString("status")).toList());
    assertEquals(7L, results(a).getJsonObject(0).getLong("offset"));
  }

  @Test
  void anEventWhoseKeyWasUnavailableIs503KeyUnavailableAndSaysItWasNotAppended() {
    BatchAnswer a = BatchAnswer.of(List.of(accepted(0, 7), new BatchItemResult.Failed(1, "e-1", true)), PATH);
    assertEquals(503, a.status());
    assertEquals(Map.of("Retry-After", "5"), a.headers());
    assertEquals(Problems.TYPE_BASE + "key-unavailable", a.body().getString("type"));
    JsonObject failed = results(a).getJsonObject(1);
    assertEquals("failed", failed.getString("status"));
    assertTrue(failed.getString("detail").contains("was not appended"), failed.getString("detail"));
  }

  @Test
  void aRejectionWithoutPointersStillNamesAViolationOfTheWholeEvent() {
    BatchAnswer a = BatchAnswer.of(List.of(new BatchItemResult.Rejected(0, null,
        new Rejection.NotACloudEvent("a structured-mode CloudEvent is a JSON object, this item is a JSON number"))),
        PATH);
    JsonObject r = results(a).getJsonObject(0);
    assertNull(r.getString("id"));
    assertTrue(r.containsKey("id"), "id is present, as null");
    JsonObject v = r.getJsonArray("violations").getJsonObject(0);
    assertEquals("", v.getString("pointer"));
    assertEquals("not-a-cloudevent", v.getString("keyword"));
  }

  @Test
  void thePartialParameterIsTrueFalseOrAbsent() {
    assertEquals(Outcome.ok(false), BatchIngestHandler.partialParameter(null));
    assertEquals(Outcome.ok(true), BatchIngestHandler.partialParameter("true"));
    assertEquals(Outcome.ok(true), BatchIngestHandler.partialParameter("TRUE"));
    assertEquals(Outcome.ok(false), BatchIngestHandler.partialParameter("false"));
    Outcome.Rejected<Boolean> r =
        assertInstanceOf(Outcome.Rejected.class, BatchIngestHandler.partialParameter("yes"));
    assertEquals(new Rejection.InvalidParameter("partial", "yes", "true or false"), r.rejection());
    assertInstanceOf(Outcome.Rejected.class, BatchIngestHandler.partialParameter(""));
  }
}

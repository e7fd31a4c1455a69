package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.CloudEventHttpReader.BatchItem;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.CloudEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code application/cloudevents-batch+json}: one result per item, or one refusal of the whole body. */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class CloudEventHttpReaderBatchTest {
  private static final String BATCH = "application/cloudevents-batch+json";
  private final CloudEventHttpReader reader = new CloudEventHttpReader(new ReadLimits(4, 10, 300, 3));

  private Outcome<List<BatchItem>> batch(String body) {
    return reader.readBatch(HttpEventRequest.of(BATCH, Map.of(), body));
  }

  private static String event(String id, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/s\",\"type\":\"t\",\"data\":" + data + "}";
  }

  private static List<BatchItem> items(Outcome<List<BatchItem>> outcome) {
    Outcome.Ok<List<BatchItem>> ok = assertInstanceOf(Outcome.Ok.class, outcome, () -> "expected items: " + outcome);
    return ok.value();
  }

  private static <R extends Rejection> R rejected(Outcome<?> outcome, Class<R> kind) {
    Outcome.Rejected<?> r = assertInstanceOf(Outcome.Rejected.class, outcome, () -> "expected a rejection");
    return assertInstanceOf(kind, r.rejection());
  }

  @Test
  void everyItemIsReadInOrder() {
    List<BatchItem> items = items(batch(" [ " + event("a", "{\"x\":1}") + " , " + event("b", "2") + " ] "));
    assertEquals(2, items.size());
    assertEquals(0, items.get(0).index());
    assertEquals("a", items.get(0).id());
    CloudEvent a = ((Outcome.Ok<CloudEvent>) items.get(0).event()).value();
    assertEquals("{\"x\":1}", a.data());
    assertEquals(1, items.get(1).index());
    assertEquals("b", items.get(1).id());
  }

  @Test
  void badItemsAreRejectedOneByOneAndKeepTheirIdWhenTheyHaveOne() {
    List<BatchItem> items = items(batch("[" + event("ok", "1") + ", 42, {\"specversion\":\"1.0\",\"id\":\"no-type\","
        + "\"source\":\"/s\"}]"));
    assertEquals(3, items.size());
    assertTrue(items.get(0).event() instanceof Outcome.Ok);
    assertNull(items.get(1).id());
    assertTrue(rejected(items.get(1).event(), Rejection.NotACloudEvent.class).detail().contains("number"));
    assertEquals("no-type", items.get(2).id());
    assertEquals(List.of("/type"), rejected(items.get(2).event(), Rejection.InvalidAttributes.class).violations()
        .stream().map(Violation::pointer).toList());
  }

  @Test
  void anEmptyArrayIsRefused() {
    rejected(batch("[]"), Rejection.EmptyBatch.class);
    rejected(batch(" [ \n ] "), Rejection.EmptyBatch.class);
  }

  @Test
  void aBodyThatIsNotAnArrayIsRefused() {
    assertTrue(rejected(batch(event("a", "1")), Rejection.NotABatch.class).detail().contains("object"));
    rejected(batch(""), Rejection.Malformed.class);
  }

  @Test
  void brokenJsonRefusesTheWholeBatch() {
    rejected(batch("[" + event("a", "1")), Rejection.Malformed.class);
    rejected(batch("[" + event("a", "1") + ",]"), Rejection.Malformed.class);
    rejected(batch("[" + event("a", "{") + "]"), Rejection.Malformed.class);
  }

  @Test
  void theLimitIsInclusiveAndOneMoreIsRefused() {
    assertEquals(3, items(batch("[" + event("a", "1") + "," + event("b", "1") + "," + event("c", "1") + "]")).size());
    assertEquals(3, rejected(batch("[" + event("a", "1") + "," + event("b", "1") + "," + event("c", "1") + ","
        + event("d", "1") + "]"), Rejection.BatchTooLarge.class).limit());
  }

  @Test
  void readingStopsAtTheFirstEventOverTheLimit() {
    // Broken JSON after the fourth item: never parsed, so the answer is the size, not the syntax.
    String body = "[" + event("a", "1") + "," + event("b", "1") + "," + event("c", "1") + "," + event("d", "1")
        + ", {{{{ not json";
    rejected(batch(body), Rejection.BatchTooLarge.class);
  }

  @Test
  void hardLimitsInsideAnItemRefuseTheWholeBodyWithThePointerFromTheArray() {
    String body = "[" + event("a", "1") + "," + event("b", "{\"n\":12345678901}") + "]";
    assertEquals("/1/data/n", rejected(batch(body), Rejection.NumberTooLong.class).pointer());
    assertEquals("/0/data/p", rejected(batch("[" + event("a", "{\"p\":1,\"p\":2}") + "]"),
        Rejection.DuplicateKey.class).pointer());
  }

  @Test
  void depthIsCountedFromTheEventNotFromTheArray() {
    // The same event as alone: data nested to level 4 passes, level 5 does not.
    assertEquals(1, items(batch("[" + event("a", "{\"a\":{\"b\":[1]}}") + "]")).size());
    assertEquals("/0/data/a/b/0", rejected(batch("[" + event("a", "{\"a\":{\"b\":[[1]]}}") + "]"),
        Rejection.NestingTooDeep.class).pointer());
    // A non-object item is read within the limits too.
    assertEquals("/0/0/0/0/0", rejected(batch("[[[[[[1]]]]]]"), Rejection.NestingTooDeep.class).pointer());
  }

  @Test
  void trailingContentAfterTheArrayIsRefused() {
    String body = "[" + event("a", "1") + "]";
    assertEquals(body.length() + 1, rejected(batch(body + " []"), Rejection.TrailingContent.class).byteOffset());
  }

  @Test
  void invalidUtf8RefusesTheWholeBody() {
    byte[] body = ("[" + event("a", "\"x\"") + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    body[body.length - 4] = (byte) 0xFE;
    assertEquals(body.length - 4, rejected(reader.readBatch(new HttpEventRequest(BATCH, List.of(), body)),
        Rejection.InvalidUtf8.class).byteOffset());
  }

  @Test
  void theBatchMediaTypeIsRecognisedWithParameters() {
    assertTrue(CloudEventHttpReader.isBatch("Application/CloudEvents-Batch+JSON; charset=utf-8"));
    assertTrue(!CloudEventHttpReader.isBatch("application/cloudevents+json"));
    assertTrue(!CloudEventHttpReader.isBatch(null));
    assertEquals(1, items(reader.readBatch(HttpEventRequest.of("application/cloudevents-batch+json; charset=UTF-8",
        Map.of(), "[" + event("a", "1") + "]"))).size());
  }
}

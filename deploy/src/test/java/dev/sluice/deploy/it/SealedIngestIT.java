package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.SealedRecords;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.deploy.testing.StoredText;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values a schema marks sensitive never reach the ledger in the clear: the demo's photographer type marks name and
 * e-mail, so the gateway seals them with the photographer's key before the append, and a reader holding the key ring
 * opens them again byte for byte. A refused photographer is kept without them.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class SealedIngestIT {
  private static final String CE = "application/cloudevents+json";
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private final Http http = Http.producer();
  private final Http operator = Http.operator();

  private static String url(Stack stack) {
    return stack.gatewayUrl() + "/v1/streams/retail/events";
  }

  /** A photographer whose name and e-mail are unique to this test, so a search for them finds only this run's. */
  private static JsonObject photographer(String id, String secret) {
    return new JsonObject().put("id", id).put("name", "Name " + secret).put("email", secret + "@example.com");
  }

  @Test
  void aPhotographersNameAndEmailAreSealedOnTheLedgerAndOpenForTheKeyRing(Stack stack) throws Exception {
    String id = Events.uid("ph");
    String secret = "s" + UUID.randomUUID().toString().replace("-", "");
    JsonObject data = photographer(id, secret);
    Http.Response r = http.post(url(stack), CE, Events.structured(PHOTOGRAPHER, data));
    assertEquals(202, r.status(), r.body());

    ConsumerRecord<String, byte[]> record = RetailTopic.read(stack, r.json().getInteger("partition"),
        r.json().getLong("offset"));
    String value = new String(record.value(), StandardCharsets.UTF_8);
    assertFalse(value.contains(secret), "no marked value in the clear on the ledger: " + value);
    assertEquals(id, record.key(), "the partition key is the photographer's id, which is not marked");
    assertTrue(new JsonObject(value).getString("name").startsWith("sluice:v1:"), value);
    SealHeader header = SealedRecords.header(record);
    assertEquals(id, header.subject());
    assertEquals(List.of("/email", "/name"), header.fields());
    for (var h : record.headers()) {
      assertFalse(new String(h.value(), StandardCharsets.UTF_8).contains(secret), "nor in header " + h.key());
    }

    // A reader with the key ring (the same table and KEK) opens them again, exactly as posted.
    assertEquals(data.encode(), SealedRecords.open(stack, record, "retail", PHOTOGRAPHER));

    // And nothing in the broker's files holds them either (the gateway's producer does not compress, so the bytes
    // of any record in the clear would be there as such).
    assertTrue(filesContaining(stack.engines().kafkaDataDir(), secret).isEmpty(),
        "broker files holding a marked value: " + filesContaining(stack.engines().kafkaDataDir(), secret));
  }

  @Test
  void everyPhotographerOfABatchIsSealedWithItsOwnSubject(Stack stack) {
    String a = Events.uid("ph");
    String b = Events.uid("ph");
    String secret = "b" + UUID.randomUUID().toString().replace("-", "");
    String batch = "[" + Events.structured(PHOTOGRAPHER, photographer(a, secret)) + ","
        + Events.structured(PHOTOGRAPHER, photographer(b, secret)) + "]";
    Http.Response r = http.post(url(stack), "application/cloudevents-batch+json", batch);
    assertEquals(202, r.status(), r.body());
    JsonArray results = r.json().getJsonArray("results");
    List<String> subjects = new java.util.ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      ConsumerRecord<String, byte[]> record = RetailTopic.read(stack, results.getJsonObject(i).getInteger("partition"),
          results.getJsonObject(i).getLong("offset"));
      assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains(secret));
      subjects.add(SealedRecords.header(record).subject());
    }
    assertEquals(List.of(a, b), subjects);
  }

  @Test
  void aRefusedPhotographerIsKeptWithItsMarkedValuesWithheld(Stack stack) {
    String id = UUID.randomUUID().toString();
    String secret = "r" + UUID.randomUUID().toString().replace("-", "");
    // The e-mail breaks its format: refused (and captured), and the answer does not quote it either.
    JsonObject data = photographer(Events.uid("ph"), secret).put("email", "not-an-address-" + secret);
    String body = new JsonObject().put("specversion", "1.0").put("id", id).put("source", "/it/sealed")
        .put("type", PHOTOGRAPHER).put("data", data).encode();
    Http.Response r = http.post(url(stack), CE, body);
    assertEquals(422, r.status(), r.body());
    assertFalse(r.body().contains(secret), r.body());

    // The item's id is made from the body as kept (without the values), so it is found by the event's id.
    JsonObject item = Eventually.await("ingress item of event " + id, Duration.ofSeconds(20), () -> Optional.of(
        operator.get(stack.consoleUrl() + "/api/v1/quarantine?group=" + QuarantineItem.INGRESS_GROUP + "&q=" + id))
        .filter(x -> x.status() == 200).map(x -> x.json().getJsonArray("items")).filter(items -> items.size() == 1)
        .map(items -> items.getJsonObject(0)));
    assertEquals(id, item.getString("eventId"), item.encode());
    // Its detail, with the request as kept (an operator sees it in the clear, so a value kept would show here).
    item = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + item.getString("id")).json();
    assertFalse(item.encode().contains(secret), "the kept reject holds no marked value: " + item.encode());
    assertTrue(item.encode().contains("sluice:withheld"), item.encode());
    // The stored item itself, as DynamoDB holds it, not only the console's view of it.
    assertTrue(StoredText.items(stack.dynamo(), stack.quarantineTable()).noneMatch(i -> i.contains(secret)),
        "no marked value in the quarantine table");
    // The search can find what is there: the kept reject's event id, in its stored body.
    assertTrue(StoredText.items(stack.dynamo(), stack.quarantineTable()).anyMatch(i -> i.contains(id)));
  }

  private static List<Path> filesContaining(Path dir, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> contains(f, needle)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(Path file, byte[] needle) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      outer:
      for (int i = 0; i + needle.length <= bytes.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (bytes[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (IOException e) {
      // A segment rolled or deleted while walking: nothing to find in it.
      return false;
    }
  }
}

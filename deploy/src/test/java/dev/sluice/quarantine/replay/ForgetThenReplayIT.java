package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.replay.ReplayRecorder.Handled;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Forgetting a data subject, then replaying the stream from its beginning, on the whole stack: photographers posted
 * through the gateway (name and e-mail sealed), a granted group that saw them in the clear and quarantined one of the
 * subject's events, then an admin forgets the subject. A new granted group cold-started from history by a replay sees
 * that subject's name and e-mail as {@code "sluice:erased"} in every event, however old, and the other subject's as
 * posted; the item quarantined before the forget shows them erased in the console too.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
@Timeout(180)
class ForgetThenReplayIT {
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private final Http producer = Http.producer();
  private final Http admin = Http.withKey(Http.DEV_ADMIN);

  /**
   * Posts a photographer through the gateway, which seals its name and e-mail before the append; answers where it was
   * appended.
   */
  private static JsonObject post(Stack stack, Http producer, ReplayStream s, String id, String name) {
    JsonObject data = new JsonObject().put("id", id).put("name", name).put("email", id + "@example.com");
    String event = new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
        .put("source", "/it/forget-replay").put("type", PHOTOGRAPHER).put("data", data).encode();
    Http.Response r = producer.post(stack.gatewayUrl() + "/v1/streams/" + s.stream + "/events",
        "application/cloudevents+json", event);
    assertEquals(202, r.status(), r.body());
    return r.json();
  }

  private static List<Handled> of(ReplayRecorder recorder, String subject) {
    return recorder.ofProduct(subject);
  }

  @Test
  void afterAForgetAReplayFromTheBeginningSeesTheSubjectErasedAndSoDoesTheConsole(Stack stack) throws Exception {
    try (ReplayStream s = new ReplayStream(stack, 2, PHOTOGRAPHER);
        KeyRing ring = KeyRing.onDynamo(s.vertx, stack.dynamo(), stack.crypto(), Clock.systemUTC())) {
      String forgotten = "ph-f-" + UUID.randomUUID().toString().substring(0, 8);
      String kept = "ph-k-" + UUID.randomUUID().toString().substring(0, 8);
      post(stack, producer, s, forgotten, "Fay Forgotten");
      post(stack, producer, s, kept, "Kim Kept");
      // The recorder refuses an event named "reject" as poison: the forgotten subject's second event, quarantined.
      JsonObject reject = post(stack, producer, s, forgotten, "reject");
      post(stack, producer, s, kept, "Kim Kept, again");

      // A live group, granted, saw every value in the clear and quarantined the "reject".
      String live = ReplayStream.newGroup();
      ReplayRecorder before = new ReplayRecorder();
      JsonObject first = s.started(live, "earliest");
      s.startConsumer(live, before, new SimpleMeterRegistry(), b -> b.unsealWith(ring));
      s.awaitState(first.getString("id"), "DONE");
      Eventually.await("the live group saw both subjects", ReplayStream.WAIT,
          () -> of(before, kept).size() == 2 && of(before, forgotten).size() == 1 ? Optional.of(true)
              : Optional.empty());
      assertEquals("Fay Forgotten", of(before, forgotten).get(0).name());
      String refusedId = QuarantineItem.idFor(live, s.stream, reject.getInteger("partition"),
          reject.getLong("offset"));
      QuarantineItem refused = Eventually.await("the reject quarantined", ReplayStream.WAIT,
          () -> s.quarantine.get(refusedId).toCompletionStage().toCompletableFuture().join());
      assertEquals(QuarantineReason.HANDLER_REJECTED, refused.reason());
      JsonObject shown = item(stack, refused.id());
      assertEquals("reject", shown.getJsonObject("data").getString("name"), "opened for an operator");

      // The admin forgets the subject.
      Http.Response forget = admin.post(stack.consoleUrl() + "/api/v1/subjects/" + s.stream + "/" + forgotten
          + "/forget", "application/json", "");
      assertEquals(200, forget.status(), forget.body());

      // A new group, granted, cold-started from the beginning of the stream.
      String fresh = ReplayStream.newGroup();
      JsonObject replay = s.started(fresh, "earliest");
      ReplayRecorder after = new ReplayRecorder();
      try (KeyRing freshRing = KeyRing.onDynamo(s.vertx, stack.dynamo(), stack.crypto(), Clock.systemUTC())) {
        s.startConsumer(fresh, after, new SimpleMeterRegistry(), b -> b.unsealWith(freshRing));
        s.awaitState(replay.getString("id"), "DONE");
        Eventually.await("the replay handed over every event", ReplayStream.WAIT,
            () -> of(after, kept).size() == 2 && of(after, forgotten).size() == 2 ? Optional.of(true)
                : Optional.empty());
        for (Handled h : of(after, forgotten)) {
          assertTrue(h.replay(), "replayed from history");
          assertEquals("sluice:erased", h.name(), "the forgotten subject's name, in every replayed event");
        }
        assertEquals(List.of("Kim Kept", "Kim Kept, again"), of(after, kept).stream().map(Handled::name).toList(),
            "another subject's values as posted");
      }

      // The item quarantined before the forget: its sealed values read as erased in the console now.
      JsonObject erased = item(stack, refused.id());
      assertEquals("sluice:erased", erased.getJsonObject("data").getString("name"), erased.encode());
      assertEquals("sluice:erased", erased.getJsonObject("data").getString("email"), erased.encode());
      assertEquals("erased", erased.getJsonObject("sealedValues").getString("data"), erased.encode());
      // Nothing of the forgotten values is left (the handler's own message names the product, not the value).
      assertFalse(erased.encode().contains("\\\"reject\\\"") || erased.getJsonObject("data").encode()
          .contains("reject"), erased.encode());
      assertEquals(QuarantineStatus.QUARANTINED.name(), erased.getString("status"));
    }
  }

  private static JsonObject item(Stack stack, String id) {
    Http.Response r = Http.operator().get(stack.consoleUrl() + "/api/v1/quarantine/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }
}

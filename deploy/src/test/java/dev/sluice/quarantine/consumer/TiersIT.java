package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three tiers against the real engines: in place (the partition paused, others flowing), delayed through the
 * group's SQS retry queue (the offset moves on; the event comes back with its id and a generation), and dead.
 * UNORDERED streams, so that the ordering guard stays out of the way.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(60)
class TiersIT {

  /** How this class's consumers handle a partition's records; {@code ConcurrentTiersIT} runs every test again by key. */
  Handling handling() {
    return Handling.ORDERED;
  }
  private static final Duration WAIT = Duration.ofSeconds(30);
  private WrapperHarness h;

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private WrapperHarness start(Engines engines, java.util.function.UnaryOperator<WrapperConfig> tune)
      throws Exception {
    h = new WrapperHarness(engines, OrderingPolicy.UNORDERED, 2, handling().tune(tune));
    h.startConsumer();
    return h;
  }

  @Test
  void aFailureThatClearsWithinTheInPlaceRoundLeavesNoItem(Engines engines) throws Exception {
    start(engines, c -> c);
    RecordMetadata w = h.produce(0, "p1", "fail-2");
    h.awaitCommitted(0, w.offset() + 1, WAIT);

    List<ScriptedHandler.Call> calls = h.handler.callsFor("p1");
    assertEquals(3, calls.size());
    assertTrue(calls.stream().allMatch(c -> c.delivery() == ConsumedEvent.Delivery.KAFKA && c.generation() == 0
        && c.generationHeader() == null));
    assertEquals(Optional.empty(), h.item(w), "handled in place: nothing recorded");
  }

  @Test
  void inPlaceRetriesHoldOnlyTheirOwnPartition(Engines engines) throws Exception {
    // 4 attempts 400 ms apart: the first record of partition 0 spends over a second in the in-place tier.
    start(engines, c -> c.with(d -> d.backoff =
        BackoffPolicy.decorrelated(Duration.ofMillis(400), Duration.ofMillis(400), 4, Optional.empty())));
    h.produce(0, "slow", "fail-3");
    Eventually.await("slow in its retries", WAIT,
        () -> h.handler.callsFor("slow").isEmpty() ? Optional.empty() : Optional.of(true));
    h.produce(1, "fast", "ok");

    Eventually.await("slow applied", WAIT, () -> h.handler.applied("slow") ? Optional.of(true) : Optional.empty());
    assertEquals(List.of("fast", "slow"), h.handler.applied, "partition 1 flowed while partition 0 retried in place");
    assertEquals(4, h.handler.callsFor("slow").size());
  }

  @Test
  void aRecordStillFailingAfterTheInPlaceRoundIsRetriedLaterAndThePartitionMovesOn(Engines engines)
      throws Exception {
    start(engines, c -> c);
    RecordMetadata a = h.produce(0, "a", "fail-4");
    RecordMetadata b = h.produce(0, "b", "ok");

    QuarantineItem retrying = h.awaitItem(a, QuarantineStatus.RETRYING, WAIT);
    assertEquals(QuarantineReason.HANDLER_FAILED, retrying.reason());
    assertEquals(3, retrying.attempts());
    assertTrue(retrying.nextAttemptAt().isPresent());
    h.awaitCommitted(0, b.offset() + 1, WAIT);
    assertTrue(h.handler.applied("b"), "the record behind it was handled: the partition did not wait");

    QuarantineItem resolved = h.awaitItem(a, QuarantineStatus.RESOLVED, WAIT);
    assertEquals(List.of("b", "a"), h.handler.applied);
    assertEquals(List.of(HandlerAttempt.Tier.IN_PLACE, HandlerAttempt.Tier.IN_PLACE, HandlerAttempt.Tier.IN_PLACE,
        HandlerAttempt.Tier.DELAYED, HandlerAttempt.Tier.DELAYED),
        resolved.attemptLog().stream().map(HandlerAttempt::tier).toList(), "every attempt is kept, with its tier");
    assertEquals(ScriptedHandler.NotYet.class.getName(), resolved.attemptLog().get(3).errorClass());
    assertTrue(resolved.attemptLog().get(4).succeededAttempt());
    assertEquals(5, resolved.attempts());
    assertEquals(2, resolved.generation());
    assertFalse(resolved.lane().isEmpty());

    List<ScriptedHandler.Call> calls = h.handler.callsFor("a");
    assertEquals(1, calls.stream().map(ScriptedHandler.Call::eventId).distinct().count(),
        "every delivery carries the original CloudEvent id");
    assertEquals(List.of(0, 0, 0, 1, 2), calls.stream().map(ScriptedHandler.Call::generation).toList());
    assertEquals(List.of("1", "2"), calls.subList(3, 5).stream().map(ScriptedHandler.Call::generationHeader).toList(),
        "the sluice-redrive-generation header");
    assertNull(calls.get(0).generationHeader());
    assertTrue(calls.subList(3, 5).stream().allMatch(c -> c.delivery() == ConsumedEvent.Delivery.RETRY));
  }

  @Test
  void retriesUsedUpEndInTheQuarantineWithTheirHistory(Engines engines) throws Exception {
    start(engines, c -> c);
    RecordMetadata w = h.produce(1, "never", "fail-forever");

    QuarantineItem dead = h.awaitItem(w, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.RETRIES_EXHAUSTED, dead.reason());
    assertEquals(5, dead.attempts(), "3 in place, 2 delayed");
    assertEquals(5, dead.attemptLog().size());
    assertTrue(dead.attemptLog().stream().allMatch(a -> a.errorClass().equals(ScriptedHandler.NotYet.class.getName())
        && a.message().startsWith("product never never works")));
    assertTrue(dead.attemptLog().stream().allMatch(a -> a.stackTrace().isEmpty()),
        "NotYet is made without a stack trace: there is none to keep");
    assertTrue(dead.nextAttemptAt().isEmpty());
    assertTrue(dead.history().stream().anyMatch(e -> e.action().equals("RETRY_SCHEDULED")));
  }

  @Test
  void aNonRetryableFailureIsDeadAtOnce(Engines engines) throws Exception {
    start(engines, c -> c);
    RecordMetadata w = h.produce(0, "bad", "reject");

    QuarantineItem dead = h.awaitItem(w, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.HANDLER_REJECTED, dead.reason());
    assertEquals(1, dead.attempts());
    assertEquals(1, h.handler.callsFor("bad").size());
    // The attempt keeps the handler's stack trace, read back from the stored item.
    String trace = dead.attemptLog().get(0).stackTrace().orElseThrow();
    assertTrue(trace.startsWith("dev.sluice.quarantine.retry.PoisonPill: product bad is rejected\n"), trace);
    assertTrue(trace.contains("\tat dev.sluice.quarantine.consumer.ScriptedHandler.handle(ScriptedHandler.java:"),
        trace);
    h.awaitCommitted(0, w.offset() + 1, WAIT);
  }

  @Test
  void withTheDelayedTierOffTheInPlaceRoundIsAll(Engines engines) throws Exception {
    start(engines, c -> c.withDelayed(DelayedRetry.disabled()));
    RecordMetadata w = h.produce(0, "never", "fail-forever");

    QuarantineItem dead = h.awaitItem(w, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.RETRIES_EXHAUSTED, dead.reason());
    assertEquals(3, dead.attempts());
  }

  @Test
  void aRetryReceivedBeforeItIsDueIsSentOnWithTheRestOfItsWait(Engines engines) throws Exception {
    start(engines, c -> c);
    // A RETRYING item due in 3 s whose message arrives at once: the last hop of a chain longer than SQS allows.
    CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), "/it", "retail.product.created",
        "application/json", null, null, null, java.util.Map.of(), WrapperHarness.product("later", "ok").encode());
    RecordMetadata w = h.produceRaw(0, "later", e.data().getBytes(StandardCharsets.UTF_8),
        CloudEventKafkaBinding.headers(e));
    // The record itself is handled at once (ok); the retry below is about a separate, hand-made item.
    Instant now = Instant.now();
    Instant due = now.plusSeconds(3);
    String id = "chain-" + UUID.randomUUID();
    QuarantineItem item = new QuarantineItem(id, QuarantineStatus.RETRYING, h.topic, h.group, h.topic, 0,
        w.offset(), Optional.of("later"), e.data().getBytes(StandardCharsets.UTF_8),
        CloudEventKafkaBinding.headers(e), Optional.of(e.id()), Optional.of(e.type()), QuarantineReason.HANDLER_FAILED,
        "x", "x", List.of(), 3, now, now, Optional.empty(), 0, List.of(), List.of(
            HandlerAttempt.failed(now, HandlerAttempt.Tier.IN_PLACE, new IllegalStateException("x"))),
        Optional.of(due), Optional.empty(), 0);
    h.store.consumer().createIfAbsent(item).toCompletionStage().toCompletableFuture().get();
    String url = h.sqs.getQueueUrl(b -> b.queueName(h.retryQueue.queueName(h.group))).queueUrl();
    h.sqs.sendMessage(b -> b.queueUrl(url).delaySeconds(0).messageBody(new JsonObject().put("id", id)
        .put("attempts", 3).put("due", due.toEpochMilli()).put("delayMs", 3000).encode()));

    QuarantineItem resolved = Eventually.await("chained retry resolved", WAIT, () -> {
      try {
        return h.store.get(id).toCompletionStage().toCompletableFuture().get()
            .filter(i -> i.status() == QuarantineStatus.RESOLVED);
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    });
    HandlerAttempt last = resolved.attemptLog().get(resolved.attemptLog().size() - 1);
    assertEquals(HandlerAttempt.Tier.DELAYED, last.tier());
    assertFalse(last.at().isBefore(due), "the retry ran at " + last.at() + ", not before it was due at " + due);
  }

  @Test
  void aRedriveComesBackWithTheOriginalIdAndTheNextGeneration(Engines engines) throws Exception {
    start(engines, c -> c);
    RecordMetadata w = h.produce(0, "fixme", "reject");
    QuarantineItem dead = h.awaitItem(w, QuarantineStatus.QUARANTINED, WAIT);

    h.store.operator().requestRedrive(dead.id(), Optional.of(WrapperHarness.product("fixme", "ok").encode()),
        "it-operator")
        .compose(redriven -> h.redriveQueue.send(h.group, redriven.id()))
        .toCompletionStage().toCompletableFuture().get();

    QuarantineItem resolved = h.awaitItem(w, QuarantineStatus.RESOLVED, WAIT);
    assertEquals(1, resolved.generation());
    assertEquals(HandlerAttempt.Tier.REDRIVE, resolved.attemptLog().get(resolved.attemptLog().size() - 1).tier());
    List<ScriptedHandler.Call> calls = h.handler.callsFor("fixme");
    assertEquals(2, calls.size());
    assertEquals(calls.get(0).eventId(), calls.get(1).eventId(), "the redriven event keeps its CloudEvent id");
    assertEquals(ConsumedEvent.Delivery.REDRIVE, calls.get(1).delivery());
    assertEquals(1, calls.get(1).generation());
    assertEquals("1", calls.get(1).generationHeader());
  }
}

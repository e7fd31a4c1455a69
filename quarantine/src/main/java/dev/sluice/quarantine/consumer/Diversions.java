package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.event.KafkaHeader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Turns what happened to an event (a triage verdict, a handler outcome) into what is written: the tier decisions, in
 * one place for every path (a record from Kafka, a released parked event, a delayed retry, a redrive). Pure apart
 * from reading the injected clock and random source.
 */
final class Diversions {
  private final WrapperConfig config;
  private final Clock clock;
  private final RandomGenerator random;
  private final String actor;

  Diversions(WrapperConfig config, Clock clock, RandomGenerator random) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.actor = "consumer:" + config.group();
  }

  String actor() {
    return actor;
  }

  /**
   * The record an item is made of. {@code pass}: the rewind that reads the record again, if one does (its item gets
   * an id of its own, {@link QuarantineItem#idFor(String, String, int, long, Optional)}).
   */
  record Source(String stream, String topic, int partition, long offset, Optional<String> key, byte[] payload,
      List<KafkaHeader> headers, Optional<String> pass) {}

  /** A settlement, and for a scheduled retry the wait it was drawn with (the next wait grows from it). */
  record Decided(Settlement settlement, Duration delay) {}

  /**
   * After a first delivery's in-place round (from Kafka, or released from parking): resolved, quarantined (rejected),
   * or, when retryable failures used up the round, a delayed retry if the delayed tier allows one, else quarantined
   * as RETRIES_EXHAUSTED.
   */
  Decided afterInPlace(HandlerInvoker.Outcome outcome, int generation) {
    Instant firstAttempt = outcome.log().isEmpty() ? clock.instant() : outcome.log().get(0).at();
    // A first delivery's item (new, or released from parking) has no attempts yet.
    return decide(outcome, HandlerAttempt.withinTraceBudget(List.of(), outcome.log()), generation, 1, firstAttempt,
        Duration.ZERO);
  }

  /** After one delayed attempt of a RETRYING item: the chain so far is the in-place round plus the delayed ones. */
  Decided afterDelayed(HandlerInvoker.Outcome outcome, QuarantineItem item, Duration lastDelay, int generation) {
    long delayedSoFar = item.attemptLog().stream().filter(a -> a.tier() == HandlerAttempt.Tier.DELAYED).count();
    Instant firstAttempt = item.attemptLog().isEmpty() ? item.quarantinedAt() : item.attemptLog().get(0).at();
    return decide(outcome, HandlerAttempt.withinTraceBudget(item.attemptLog(), outcome.log()), generation,
        1 + (int) delayedSoFar + 1, firstAttempt, lastDelay);
  }

  /**
   * After a redrive of {@code item}: resolved or quarantined again; a redrive never goes back to the delayed tier.
   */
  Settlement afterRedrive(HandlerInvoker.Outcome outcome, QuarantineItem item, int generation) {
    List<HandlerAttempt> log = HandlerAttempt.withinTraceBudget(item.attemptLog(), outcome.log());
    if (outcome instanceof HandlerInvoker.Handled) {
      return new Settlement.Resolved(log, generation, "the handler accepted the redriven event");
    }
    boolean rejected = outcome instanceof HandlerInvoker.Rejected;
    return quarantined(rejected ? QuarantineReason.HANDLER_REJECTED : QuarantineReason.RETRIES_EXHAUSTED,
        causeOf(outcome), log, generation);
  }

  /** {@code log} is the outcome's attempts as they will be stored (within the item's trace budget). */
  private Decided decide(HandlerInvoker.Outcome outcome, List<HandlerAttempt> log, int generation, int chainAttempts,
      Instant firstAttempt, Duration lastDelay) {
    if (outcome instanceof HandlerInvoker.Handled) {
      return new Decided(new Settlement.Resolved(log, generation,
          "the handler accepted the event"), Duration.ZERO);
    }
    Throwable cause = causeOf(outcome);
    if (outcome instanceof HandlerInvoker.Rejected) {
      return new Decided(quarantined(QuarantineReason.HANDLER_REJECTED, cause, log, generation),
          Duration.ZERO);
    }
    DelayedRetry delayed = config.delayed();
    if (delayed.enabled()) {
      Instant now = clock.instant();
      BackoffPolicy.Decision next = delayed.backoff().next(
          new BackoffPolicy.Progress(chainAttempts, Duration.between(firstAttempt, now), lastDelay), random);
      if (next instanceof BackoffPolicy.RetryAfter retry) {
        return new Decided(new Settlement.Retrying(cause.getClass().getName(), String.valueOf(cause.getMessage()),
            now.plus(retry.delay()), log, generation), retry.delay());
      }
    }
    return new Decided(quarantined(QuarantineReason.RETRIES_EXHAUSTED, cause, log, generation),
        Duration.ZERO);
  }

  static Throwable causeOf(HandlerInvoker.Outcome outcome) {
    if (outcome instanceof HandlerInvoker.Rejected r) {
      return r.cause();
    }
    if (outcome instanceof HandlerInvoker.Exhausted e) {
      return e.cause();
    }
    throw new IllegalArgumentException("a handled event has no failure");
  }

  private static Settlement.Quarantined quarantined(
      QuarantineReason reason, Throwable cause, List<HandlerAttempt> log, int generation) {
    return new Settlement.Quarantined(reason, cause.getClass().getName(), String.valueOf(cause.getMessage()),
        List.of(), log, generation);
  }

  /** A new item for a record, in the state a settlement describes (a first delivery: QUARANTINED or RETRYING). */
  QuarantineItem itemFor(Source src, Optional<String> eventId, Optional<String> eventType,
      Settlement s) {
    if (s instanceof Settlement.Retrying r) {
      return item(src, QuarantineStatus.RETRYING, eventId, eventType, QuarantineReason.HANDLER_FAILED,
          r.errorClass(), r.message(), List.of(), r.attempts(), Optional.of(r.nextAttemptAt()), Optional.empty(),
          "RETRY_SCHEDULED", "next attempt at " + r.nextAttemptAt() + " after " + r.errorClass() + ": " + r.message());
    }
    Settlement.Quarantined q = (Settlement.Quarantined) s;
    return item(src, QuarantineStatus.QUARANTINED, eventId, eventType, q.reason(), q.errorClass(), q.message(),
        q.violations(), q.attempts(), Optional.empty(), Optional.empty(), "QUARANTINED", q.reason() + ": " + q.message());
  }

  /** A new QUARANTINED item for poison (never reached the handler). */
  QuarantineItem poisonItem(Source src, Triage.Poison poison) {
    return item(src, QuarantineStatus.QUARANTINED, poison.eventId(), poison.eventType(), poison.reason(),
        poison.errorClass(), poison.message(), poison.violations(), List.of(), Optional.empty(), Optional.empty(),
        "QUARANTINED", poison.reason() + ": " + poison.message());
  }

  /**
   * A new PARKED item behind {@code head}. Poison is judged once, now: the item keeps the poison verdict as its
   * reason, so that its release quarantines it without reading it again. Otherwise its reason is KEY_BLOCKED.
   */
  QuarantineItem parkedItem(Source src, Triage.Verdict verdict, Optional<String> head) {
    if (verdict instanceof Triage.Poison p) {
      return item(src, QuarantineStatus.PARKED, p.eventId(), p.eventType(), p.reason(), p.errorClass(), p.message(),
          p.violations(), List.of(), Optional.empty(), head, "PARKED", "behind " + head.orElse("?") + "; "
              + p.reason() + ": " + p.message());
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    return item(src, QuarantineStatus.PARKED, Optional.of(ready.event().id()), Optional.of(ready.event().type()),
        QuarantineReason.KEY_BLOCKED, "", "an earlier event with key " + src.key().orElse("") + " is open",
        List.of(), List.of(), Optional.empty(), head, "PARKED", "behind " + head.orElse("?"));
  }

  private QuarantineItem item(Source src, QuarantineStatus status, Optional<String> eventId,
      Optional<String> eventType, QuarantineReason reason, String errorClass, String message,
      List<Violation> violations, List<HandlerAttempt> log, Optional<Instant> nextAttemptAt,
      Optional<String> parkedBehind, String action, String detail) {
    Instant now = clock.instant();
    return new QuarantineItem(
        QuarantineItem.idFor(config.group(), src.topic(), src.partition(), src.offset(), src.pass()),
        status, src.stream(), config.group(), src.topic(), src.partition(), src.offset(), src.key(), src.payload(),
        src.headers(), eventId, eventType, reason, errorClass, message, violations, log.size(), now, now,
        Optional.empty(), 0, List.of(new AuditEntry(now, action, actor, detail)), log, nextAttemptAt, parkedBehind,
        0);
  }
}

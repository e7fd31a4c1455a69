package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics.RetryOutcome;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.quarantine.store.StoreException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delayed tier's worker: drains the group's retry queue and gives each due RETRYING item one more handler call,
 * with its original CloudEvent id and the next redrive generation. Then, as one conditional write on the item's
 * status and attempt count: RESOLVED on success; on a retryable failure, RETRYING again with the next wait (a new
 * message), or QUARANTINED as RETRIES_EXHAUSTED when the attempts or the time budget are used up; QUARANTINED as
 * HANDLER_REJECTED on a non-retryable one.
 *
 * <p>Ordering of writes, as for redrives: the item first, then the next message (if any), then the deletion of the
 * message in hand. A crash in between leaves a message that finds the item's attempt count moved on, and is dropped.
 * A message received before it is due (a wait longer than SQS's 15-minute limit) is sent on with the rest of the wait.
 * A periodic sweep resends items RETRYING well past their due time (a crash between the item write and the send).
 */
final class RetryDrainer implements QueueDrainLoop.Queue<RetryQueue.Received> {
  private static final Logger LOG = LoggerFactory.getLogger(RetryDrainer.class);
  private static final int BATCH = 10;

  private final ConsumerParts parts;
  private final WrapperConfig config;
  private final RetryQueue queue;
  private final Consumer<QuarantineItem> changed;
  private final QueueDrainLoop<RetryQueue.Received> drain;

  RetryDrainer(ConsumerParts parts, Consumer<QuarantineItem> changed) {
    this.parts = parts;
    this.config = parts.config();
    this.queue = parts.retryQueue();
    this.changed = changed;
    this.drain = new QueueDrainLoop<>(parts, this);
  }

  void start() {
    drain.start();
  }

  Future<Void> stop() {
    return drain.stop();
  }

  @Override
  public String what() {
    return "retry queue";
  }

  @Override
  public Future<List<RetryQueue.Received>> receive() {
    return queue.receive(config.group(), BATCH, (int) config.delayed().receiveWait().toSeconds());
  }

  @Override
  public Duration resendAfter() {
    return config.delayed().resendAfter();
  }

  @Override
  public Future<Void> handle(RetryQueue.Received message) {
    if (message.request().isEmpty()) {
      LOG.warn("group {}: dropping an unreadable retry message", config.group());
      return queue.delete(config.group(), message.receiptHandle());
    }
    RetryQueue.Request request = message.request().get();
    if (!queue.isDue(request)) {
      // A wait longer than SQS allows: send it on with the rest, then drop this hop.
      return queue.schedule(config.group(), request).compose(v -> queue.delete(config.group(), message.receiptHandle()));
    }
    return parts.store().get(request.itemId())
        .compose(found -> {
          if (found.isEmpty() || found.get().status() != QuarantineStatus.RETRYING
              || found.get().attempts() != request.attempts() || !found.get().group().equals(config.group())) {
            parts.metrics().retry(found.map(QuarantineItem::stream).orElse("unknown"), RetryOutcome.STALE);
            return Future.<Void>succeededFuture();
          }
          return retry(found.get(), request.delay());
        })
        .compose(v -> queue.delete(config.group(), message.receiptHandle()));
  }

  private Future<Void> retry(QuarantineItem item, Duration lastDelay) {
    int generation = item.generation() + 1;
    Triage.Verdict verdict = parts.triage().triage(item.topic(), item.headers(), item.payload());
    if (verdict instanceof Triage.Poison poison) {
      // The registry changed since the event was first read: it no longer fits, and never will by retrying.
      return settle(item, poison.quarantined(generation), Duration.ZERO);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    // A key outage fails the handling: the message stays in the queue and comes back, the item stays RETRYING.
    return parts.unsealer().open(ready).compose(opened -> {
      if (opened instanceof EventUnsealer.Failed failed) {
        return settle(item, failed.poison().quarantined(generation), Duration.ZERO);
      }
      ConsumedEvent event = ConsumedEvent.fromStore((EventUnsealer.Open) opened, item, ConsumedEvent.Delivery.RETRY,
          generation, parts.replays());
      return parts.invoker().invokeOnce(event, HandlerAttempt.Tier.DELAYED).compose(outcome -> {
        if (outcome instanceof HandlerInvoker.Handled) {
          parts.metrics().handled(ready.stream());
        }
        Diversions.Decided decided = parts.diversions().afterDelayed(outcome, item, lastDelay, generation);
        return settle(item, decided.settlement(), decided.delay());
      });
    });
  }

  private Future<Void> settle(QuarantineItem item, Settlement settlement, Duration delay) {
    return parts.writes().settle(item.id(), QuarantineStatus.RETRYING, OptionalInt.of(item.attempts()), settlement,
            parts.diversions().actor())
        .compose(updated -> {
          RetryOutcome outcome = switch (updated.status()) {
            case RESOLVED -> RetryOutcome.RESOLVED;
            case RETRYING -> RetryOutcome.RESCHEDULED;
            default -> RetryOutcome.QUARANTINED;
          };
          parts.metrics().retry(item.stream(), outcome);
          if (updated.status() == QuarantineStatus.QUARANTINED) {
            parts.metrics().quarantined(item.stream(), updated.reason());
          }
          LOG.info("group {}: delayed retry of {} -> {}", config.group(), item.id(), updated.status());
          changed.accept(updated);
          if (updated.status() != QuarantineStatus.RETRYING) {
            return Future.<Void>succeededFuture();
          }
          return queue.schedule(config.group(), new RetryQueue.Request(updated.id(), updated.attempts(),
              updated.nextAttemptAt().orElse(parts.clock().instant()), delay));
        })
        .recover(err -> {
          if (err instanceof StoreException) {
            // Someone else moved the item first (a duplicate message, an operator's discard): nothing to do.
            parts.metrics().retry(item.stream(), RetryOutcome.STALE);
            return Future.succeededFuture();
          }
          return Future.failedFuture(err);
        });
  }

  /**
   * Finds this group's items RETRYING for well past their due time (their message was lost between the item write
   * and the send, or with a queue restarted without persistence) and sends them again. A duplicate is harmless.
   */
  @Override
  public void resendLost() {
    Instant cutoff = parts.clock().instant().minus(config.delayed().resendAfter());
    QueueDrainLoop.resendEach(parts, QuarantineStatus.RETRYING,
            i -> i.nextAttemptAt().orElse(i.updatedAt()).isBefore(cutoff),
            i -> queue.schedule(config.group(), new RetryQueue.Request(i.id(), i.attempts(), parts.clock().instant(),
                Duration.ZERO)).onSuccess(v ->
                LOG.warn("group {}: item {} was RETRYING past its due time by over {}; its retry was resent",
                    config.group(), i.id(), config.delayed().resendAfter())))
        .onFailure(err -> LOG.warn("group {}: could not look for lost retries: {}", config.group(), err.toString()));
  }
}

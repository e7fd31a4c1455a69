package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.metrics.ConsumerMetrics.RedriveOutcome;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.Settlement;
import dev.sluice.quarantine.store.StoreException;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import org.slf4j.LoggerFactory;

/**
 * Drains the group's redrive queue and hands each redriven event to the same handler, with the same in-place retries.
 * The event keeps its CloudEvent id, and comes with the next redrive generation.
 *
 * <p>Ordering of writes: the item's new status (RESOLVED, or QUARANTINED again) is stored first, and only then is the
 * SQS message deleted. A crash in between leaves the message to come back after its visibility timeout; it then finds
 * the item no longer REDRIVEN and is dropped as stale. So a redrive is never lost, and never applied twice by status.
 * A resolved head of a key-ordered lane is reported to the partition's owner, which releases the events parked
 * behind it.
 */
final class RedriveDrainer implements QueueDrainLoop.Queue<RedriveQueue.Request> {
  private static final Logger LOG = LoggerFactory.getLogger(RedriveDrainer.class);
  private static final int BATCH = 10;

  private final ConsumerParts parts;
  private final WrapperConfig config;
  private final RedriveQueue queue;
  private final Consumer<QuarantineItem> changed;
  /** Items this process is redriving right now: the lost-redrive sweep never resends those. */
  private final Set<String> inFlight = new HashSet<>();
  private final QueueDrainLoop<RedriveQueue.Request> drain;

  RedriveDrainer(ConsumerParts parts, Consumer<QuarantineItem> changed) {
    this.parts = parts;
    this.config = parts.config();
    this.queue = parts.redriveQueue();
    this.changed = changed;
    this.drain = new QueueDrainLoop<>(parts, this);
  }

  void start() {
    drain.start();
  }

  @Override
  public String what() {
    return "redrive queue";
  }

  @Override
  public Future<List<RedriveQueue.Request>> receive() {
    return queue.receive(config.group(), BATCH, (int) config.redriveWait().toSeconds());
  }

  @Override
  public void failed(Throwable failure) {
    if (failure instanceof QueueDoesNotExistException) {
      // The queue is gone (an SQS-compatible engine restarted without persistence): make it again.
      queue.ensureQueue(config.group());
    }
  }

  @Override
  public Duration resendAfter() {
    return config.redriveResendAfter();
  }

  /**
   * Finds this group's items that have been REDRIVEN for too long (their SQS message was lost) and sends them again.
   * A duplicate is harmless: whichever message comes second finds the item settled and is dropped as stale.
   */
  @Override
  public void resendLost() {
    Instant cutoff = parts.clock().instant().minus(config.redriveResendAfter());
    QueueDrainLoop.resendEach(parts, QuarantineStatus.REDRIVEN,
            i -> i.updatedAt().isBefore(cutoff) && !inFlight.contains(i.id()),
            i -> queue.send(config.group(), i.id()).onSuccess(v ->
                LOG.warn("group {}: item {} was REDRIVEN with no outcome for over {}; its request was resent",
                    config.group(), i.id(), config.redriveResendAfter())))
        .onFailure(err -> LOG.warn("group {}: could not look for lost redrives: {}", config.group(), err.toString()));
  }

  /** Stops after the request in hand; an SQS long poll in progress is simply not followed up. */
  Future<Void> stop() {
    return drain.stop();
  }

  @Override
  public Future<Void> handle(RedriveQueue.Request request) {
    String id = request.itemId();
    inFlight.add(id);
    return parts.store().get(id)
        .compose(found -> {
          if (found.isEmpty() || found.get().status() != QuarantineStatus.REDRIVEN
              || !found.get().group().equals(config.group())) {
            parts.metrics().redrive(found.map(QuarantineItem::stream).orElse("unknown"), RedriveOutcome.STALE);
            return Future.<Void>succeededFuture();
          }
          return redrive(found.get());
        })
        .eventually(() -> {
          inFlight.remove(id);
          return Future.succeededFuture();
        })
        .compose(v -> queue.delete(config.group(), request.receiptHandle()));
  }

  /**
   * The payload of an item too big for the store is read back from its Kafka record first. A Kafka that does not
   * answer fails the request, which SQS hands out again; a record gone (retention) or not the one the item was made
   * of quarantines the item again, saying so.
   */
  private Future<Void> redrive(QuarantineItem item) {
    if (item.payloadStored()) {
      return redrive(item, item.payload(), item.headers());
    }
    return parts.payloads().read(item).compose(read -> {
      String at = item.topic() + "-" + item.partition() + "@" + item.offset();
      if (read instanceof RecordPayloads.Found found) {
        // Headers too big for the store stayed in the record with the payload: they come back from there too.
        return redrive(item, found.payload(), item.headersStored() ? item.headers() : found.headers());
      }
      String why = read instanceof RecordPayloads.Gone gone
          ? "the record at " + at + " is gone from Kafka (its first offset is " + gone.earliest() + " now)"
          : "the record at " + at + " is not the one quarantined (" + ((RecordPayloads.Mismatch) read).size()
              + " bytes, SHA-256 " + ((RecordPayloads.Mismatch) read).sha256() + ")";
      return settle(item, notInKafka(item, why), RedriveOutcome.REQUARANTINED);
    });
  }

  /** The item quarantined again as it was, with why its payload could not be read back. */
  private static Settlement notInKafka(QuarantineItem item, String why) {
    return new Settlement.Quarantined(item.reason(), "PayloadNotInKafka", why, item.violations(), List.of(),
        item.generation());
  }

  private Future<Void> redrive(QuarantineItem item, byte[] payload, List<KafkaHeader> recordHeaders) {
    int generation = item.generation() + 1;
    List<KafkaHeader> headers = item.headersForRedrive(recordHeaders);
    Triage.Verdict verdict = parts.triage().triage(item.topic(), headers, payload, item.editedData());
    if (verdict instanceof Triage.Poison poison) {
      return settle(item, poison.quarantined(generation), RedriveOutcome.REQUARANTINED);
    }
    Triage.Ready ready = (Triage.Ready) verdict;
    // Unsealed from the payload as judged (an operator's edit included: the console sealed its marked values, and a
    // marked value in the clear is quarantined again as SEAL_FAILURE). A key outage fails the request, which SQS hands
    // out again.
    return parts.unsealer().open(ready).compose(opened -> {
      if (opened instanceof EventUnsealer.Failed failed) {
        return settle(item, failed.poison().quarantined(generation), RedriveOutcome.REQUARANTINED);
      }
      ConsumedEvent event = ConsumedEvent.fromStore((EventUnsealer.Open) opened, item, headers,
          ConsumedEvent.Delivery.REDRIVE, generation, parts.replays());
      return parts.invoker().invoke(event, config.backoff(), dev.sluice.quarantine.store.HandlerAttempt.Tier.REDRIVE)
          .compose(outcome -> {
            if (outcome instanceof HandlerInvoker.Handled) {
              parts.metrics().handled(ready.stream());
            }
            Settlement s = parts.diversions().afterRedrive(outcome, item, generation);
            return settle(item, s, s instanceof Settlement.Resolved
                ? RedriveOutcome.RESOLVED : RedriveOutcome.REQUARANTINED);
          });
    });
  }

  /** A status conflict means someone else already moved the item: the request is done either way. */
  private Future<Void> settle(QuarantineItem item, Settlement settlement, RedriveOutcome outcome) {
    return parts.writes().settle(item.id(), QuarantineStatus.REDRIVEN, OptionalInt.empty(), settlement,
            parts.diversions().actor())
        .map(updated -> {
          parts.metrics().redrive(item.stream(), outcome);
          LOG.info("group {}: redrive of {} -> {}", config.group(), item.id(), updated.status());
          changed.accept(updated);
          return (Void) null;
        })
        .recover(err -> {
          if (err instanceof StoreException) {
            parts.metrics().redrive(item.stream(), RedriveOutcome.STALE);
            return Future.succeededFuture();
          }
          return Future.failedFuture(err);
        });
  }
}

package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.storm.Storm;
import dev.sluice.quarantine.storm.StormBreaker;
import dev.sluice.quarantine.storm.StormState;
import dev.sluice.quarantine.storm.StormStore;
import dev.sluice.quarantine.storm.StormWindow;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storm breaker of one partition ({@link StormBreaker}): it judges each record the pipeline finishes (handled, or
 * about to become a QUARANTINED or RETRYING item) over the partition's latest records, by the failure's
 * {@link Fingerprint} (the console's grouping), and says when a failure must be held back instead of written.
 *
 * <p>When one fingerprint trips it, the record that tripped it is held back, the storm is stored TRIPPED (a conditional
 * write, retried through an outage; the partition is held from the moment of the trip, not from when the write
 * lands), and the partition takes no more records until an operator resumes the storm or chooses to quarantine
 * everything: the worker learns of that through {@link StormWatch} on a lane refresh. A new owner of the partition
 * (a restart, a rebalance) reads the storm before it handles anything, and holds the partition as well.
 *
 * <p>Records of other keys already in the handler when it trips (with concurrency) finish. One that fails with the
 * storm's fingerprint is held back too, never written: a storm costs at most the items written before the trip, and
 * nothing is lost (a held record is taken again after the storm is lifted, and nothing past it is committed). One
 * that fails otherwise is diverted as usual: it is no part of the storm.
 *
 * <p>Confined to the consumer's Vert.x context, like the worker.
 */
final class PartitionBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionBreaker.class);

  /** What the breaker of one partition works with, shared with its record pipeline. */
  record Parts(ConsumerParts consumer, String topic, int partition, String stream, PartitionCalls calls,
      PartitionGauges gauges, Runnable wake) {}

  /** What becomes of a failure: written as an item, or held back. */
  enum Verdict { DIVERT, HOLD }

  private final Parts p;
  private final ConsumerParts parts;
  private final String topic;
  private final int partition;
  private final StormBreaker rule;
  private final StormWindow window;
  /** Per fingerprint in the window, the latest item of it written: the storm's sample. */
  private final Map<String, String> samples = new HashMap<>();
  /** Fingerprints whose trip is being stored: the partition is held meanwhile. */
  private final Set<String> tripping = new HashSet<>();
  /** Whether the partition was held when last asked: the window starts over when it no longer is. */
  private boolean held;

  PartitionBreaker(Parts parts) {
    this.p = parts;
    this.parts = parts.consumer();
    this.topic = parts.topic();
    this.partition = parts.partition();
    this.rule = this.parts.config().stormBreaker();
    this.window = new StormWindow(rule);
  }

  /**
   * Whether a storm holds the partition now: one is TRIPPED on it, or a trip is being stored. When a hold has lifted
   * since the last call (an operator resumed the storm, or chose to quarantine everything), the breaker re-arms with a
   * fresh window.
   */
  boolean holds() {
    boolean now = !tripping.isEmpty() || parts.storms().holds(topic, partition);
    if (held && !now) {
      window.reset();
      samples.clear();
      LOG.info("group {}: {}-{} is no longer held by a storm; the breaker starts a fresh window",
          parts.config().group(), topic, partition);
    }
    if (held != now) {
      held = now;
      p.gauges().stormHeld(now);
    }
    return now;
  }

  /** A record was handled. */
  void passed() {
    window.passed();
  }

  /**
   * A record failed on its first delivery from Kafka and would become {@code item}: whether it is written, or held
   * back (a storm of its fingerprint holds the partition, or this failure trips one).
   */
  Verdict judge(QuarantineItem item) {
    if (!rule.enabled()
        || (item.status() != QuarantineStatus.QUARANTINED && item.status() != QuarantineStatus.RETRYING)) {
      return Verdict.DIVERT;
    }
    Fingerprint fp = Fingerprint.of(item);
    Optional<StormState> state = parts.storms().stateOf(topic, partition, fp.id());
    if (tripping.contains(fp.id()) || state.filter(StormState::holds).isPresent()) {
      return Verdict.HOLD;
    }
    if (state.filter(s -> s == StormState.QUARANTINE_ALL).isPresent()) {
      // The operator's choice: quarantined one by one, as without a breaker. Judged as a record that is no failure
      // of a fingerprint the breaker watches.
      window.passed();
      return Verdict.DIVERT;
    }
    if (window.failed(fp.id())) {
      trip(fp, item);
      return Verdict.HOLD;
    }
    samples.put(fp.id(), item.id());
    return Verdict.DIVERT;
  }

  /** Holds the partition and stores the storm (retried while the partition is live); wakes the worker when stored. */
  private void trip(Fingerprint fp, QuarantineItem item) {
    Storm storm = Storm.tripped(new Storm.Where(parts.config().group(), topic, partition, p.stream()), fp,
        new Storm.Trip(parts.clock().instant(), parts.diversions().actor(), window.failures(fp.id()), window.size(),
            item.offset(), Optional.ofNullable(samples.get(fp.id()))));
    tripping.add(fp.id());
    holds();
    LOG.warn("group {}: {}-{}@{}: storm of {} {} at {} ({} of the last {} records): the partition is held until an "
        + "operator resumes it or quarantines everything", parts.config().group(), topic, partition, item.offset(),
        fp.type(), fp.reason(), fp.locus(), storm.trip().failures(), storm.trip().records());
    p.calls().untilDone("recording the storm " + storm.id() + " of " + topic + "-" + partition, p.stream(),
            () -> parts.storms().trip(storm))
        .onComplete(ar -> {
          tripping.remove(fp.id());
          if (ar.succeeded()) {
            recorded(ar.result());
          }
          // Stored TRIPPED: the partition stays held. Found QUARANTINE_ALL: the operator's choice stands, and the
          // held records are taken again.
          p.wake().run();
        });
  }

  private void recorded(StormStore.Write trip) {
    trip.storm().ifPresent(stored -> {
      if (trip.written()) {
        parts.metrics().stormTripped(p.stream(), stored.fingerprint().reason());
        LOG.warn("group {}: storm {} of {}-{} stored TRIPPED (trip {})", parts.config().group(), stored.id(), topic,
            partition, stored.status().trips());
      } else {
        LOG.info("group {}: storm {} of {}-{} stands already as {}", parts.config().group(), stored.id(), topic,
            partition, stored.state());
      }
    });
  }
}

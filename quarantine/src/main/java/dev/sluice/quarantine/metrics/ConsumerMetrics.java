package dev.sluice.quarantine.metrics;

import dev.sluice.quarantine.groups.OutcomeCounts;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.StoreRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The wrapper's meters, in Prometheus naming once exported ({@code _total} for counters, {@code _seconds} for ages).
 * Labels are bounded: stream (from the catalog or the subscribed topic), group, topic and partition (the assigned
 * partitions), status, reason and outcome (fixed enums). Never event ids or keys.
 *
 * <p>Per group and partition, while this process owns the partition ({@link #partition}):
 * <ul>
 *   <li>{@code sluice_consumer_head_of_line_age_seconds}: how long the oldest record this consumer fetched from the
 *       partition and has not finished (handled, or durably recorded as quarantined, retrying or parked) has waited
 *       since it was fetched; 0 when the partition is idle. It grows during in-place retries and store outages;
 *   <li>{@code sluice_consumer_lag_records}: records between the consumer's position and the end of the partition,
 *       as the Kafka client last measured it ({@code records-lag});
 *   <li>{@code sluice_consumer_staleness_seconds}: how far behind the partition's newest events the group's view is:
 *       now minus the event time of the newest event it handled, while records wait (lag above 0); 0 when caught up,
 *       so an idle group is never stale;
 *   <li>{@code sluice_consumer_last_handled_event_time_seconds}: that event time, in seconds since the epoch (absent
 *       before the first event handled), for queries of one's own;
 *   <li>{@code sluice_consumer_inplace_attempts_total}: handler calls made by the in-place tier;
 *   <li>{@code sluice_consumer_open_items{status}}: RETRYING, PARKED, QUARANTINED and REDRIVEN items of the partition
 *       as known to its owner: read from the store when the partition was assigned, then kept from what this
 *       process wrote and from the periodic re-read of the non-parked ones (so a change made elsewhere shows within
 *       the lane refresh interval; a parked item discarded by an operator shows when its key is released);
 *   <li>{@code sluice_consumer_oldest_quarantined_age_seconds}: age of the oldest of those QUARANTINED items; 0 when
 *       there is none;
 *   <li>{@code sluice_consumer_storm_held}: 1 while a storm holds the partition (one fingerprint flooded it and an
 *       operator has not acted yet), else 0.
 * </ul>
 * Per group and stream, among others: {@code sluice_consumer_unseals_total{result}}, what unsealing the events with
 * sealed fields gave ({@link UnsealOutcome}, in lower case): a rise of {@code key_unavailable} or
 * {@code access_denied} means partitions wait for their keys.
 * The partition's gauges are removed when the partition is revoked, so a scrape shows only what this process owns.
 */
public final class ConsumerMetrics {
  private final MeterRegistry registry;
  private final String group;
  private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
  /** The partitions this process owns now, for {@link #worstStalenessByTopic}; added and removed with their meters. */
  private final Set<PartitionMeters> owned = ConcurrentHashMap.newKeySet();
  /**
   * Per stream, the records handled and quarantined, for the group's heartbeat: counted here, where the counters of
   * the same outcomes are, so each outcome has one counting point. Kept apart from the Micrometer counters, whose
   * {@code count()} a step-based registry resets every step.
   */
  private final OutcomeCounts outcomes = new OutcomeCounts();

  public ConsumerMetrics(MeterRegistry registry, String group) {
    this.registry = registry;
    this.group = group;
  }

  /** The outcome of one handler call. */
  public enum AttemptOutcome {
    SUCCESS, RETRYABLE_FAILURE, NON_RETRYABLE_FAILURE
  }

  /** The outcome of one redrive request. */
  public enum RedriveOutcome {
    RESOLVED, REQUARANTINED, STALE
  }

  /** The outcome of one delayed retry taken from the retry queue. */
  public enum RetryOutcome {
    RESOLVED, RESCHEDULED, QUARANTINED, STALE
  }

  /**
   * What unsealing an event with sealed fields gave, before its handler call: its values in the clear, withheld (a
   * group not granted the keys), erased (a forgotten subject), one of the seal failures (quarantined as
   * SEAL_FAILURE), or a try that found the keys unavailable or denied (the event waits and is tried again).
   */
  public enum UnsealOutcome {
    UNSEALED, WITHHELD, ERASED, TAMPERED, UNKNOWN_KEY_VERSION, KEY_NOT_FOUND, SEAL_MISMATCH, NOT_SEALED,
    KEY_UNAVAILABLE, ACCESS_DENIED
  }

  public void handled(String stream) {
    counter("sluice.consumer.events.handled", "Events the handler accepted", stream).increment();
    outcomes.handled(stream);
  }

  public void quarantined(String stream, QuarantineReason reason) {
    counter("sluice.consumer.events.quarantined", "Events diverted to the quarantine store", stream,
        "reason", reason, false).increment();
    outcomes.quarantined(stream);
  }

  /** Per stream, the records handled and quarantined since this process started (see {@link #handled}). */
  public OutcomeCounts outcomes() {
    return outcomes;
  }

  /** A record judged poison as it was read from Kafka: once per record and delivery, whatever happens to the store. */
  public void poisonJudged(String stream, QuarantineReason reason) {
    counter("sluice.consumer.poison.judged", "Records read from Kafka and judged poison (decoded and validated once)",
        stream, "reason", reason, false).increment();
  }

  /**
   * The storm breaker tripped on a partition of {@code stream}: records failing with one fingerprint, of
   * {@code reason}, flooded it, and it is held until an operator acts. Counted once per trip stored.
   */
  public void stormTripped(String stream, QuarantineReason reason) {
    stormTrips(stream, reason).increment();
  }

  private Counter stormTrips(String stream, QuarantineReason reason) {
    return counter("sluice.consumer.storm.tripped",
        "Storms: one way of failing flooded a partition, which is held until an operator acts", stream,
        "reason", reason, false);
  }

  public void retryScheduled(String stream) {
    counter("sluice.consumer.retries.scheduled", "Events handed to the delayed retry tier", stream).increment();
  }

  public void parked(String stream) {
    counter("sluice.consumer.events.parked", "Events held back behind an open event with the same key", stream)
        .increment();
  }

  public void released(String stream, QuarantineStatus outcome) {
    counter("sluice.consumer.events.released", "Parked events handled after their key's head settled, by outcome",
        stream, "outcome", outcome, true).increment();
  }

  public void attempt(String stream, AttemptOutcome outcome) {
    counter("sluice.consumer.handler.attempts", "Handler calls, by outcome", stream,
        "outcome", outcome, true).increment();
  }

  /** One unsealing of an event's sealed fields (or one try of it, in a key outage), by result. */
  public void unseal(String stream, UnsealOutcome outcome) {
    unseals(stream, outcome).increment();
  }

  private Counter unseals(String stream, UnsealOutcome outcome) {
    return counter("sluice.consumer.unseals", "Events with sealed fields unsealed for the handler, by result", stream,
        "result", outcome, true);
  }

  public void redrive(String stream, RedriveOutcome outcome) {
    counter("sluice.consumer.redrives", "Redrive requests taken by this group, by outcome", stream,
        "outcome", outcome, true).increment();
  }

  public void retry(String stream, RetryOutcome outcome) {
    counter("sluice.consumer.delayed.retries", "Delayed retries taken from the retry queue, by outcome", stream,
        "outcome", outcome, true).increment();
  }

  /**
   * Exports this stream's counters that an alert or a dashboard takes a rate of at zero, before anything happened
   * (store failures and refusals, delayed retries, redrives, parking): a {@code rate(...)} then has a series from the start instead
   * of no data. The tags are bounded: the stream, this group, and enum outcomes.
   */
  public void startAtZero(String stream) {
    counter("sluice.consumer.events.handled", "Events the handler accepted", stream);
    counter("sluice.consumer.retries.scheduled", "Events handed to the delayed retry tier", stream);
    counter("sluice.consumer.events.parked", "Events held back behind an open event with the same key", stream);
    counter("sluice.consumer.store.failures",
        "Store or queue calls that failed; the call is tried again and the partition waits", stream);
    for (StoreRefusal r : StoreRefusal.values()) {
      storeRefusals(stream, r);
    }
    for (QuarantineReason r : QuarantineReason.values()) {
      if (r != QuarantineReason.KEY_BLOCKED) {
        stormTrips(stream, r);
      }
    }
    // Alerts take a rate of key_unavailable and access_denied: a series from the start, as for store failures.
    for (UnsealOutcome o : UnsealOutcome.values()) {
      unseals(stream, o);
    }
    for (RetryOutcome o : RetryOutcome.values()) {
      counter("sluice.consumer.delayed.retries", "Delayed retries taken from the retry queue, by outcome", stream,
          "outcome", o, true);
    }
    for (RedriveOutcome o : RedriveOutcome.values()) {
      counter("sluice.consumer.redrives", "Redrive requests taken by this group, by outcome", stream,
          "outcome", o, true);
    }
  }

  public void replaySkipped(String stream) {
    counter("sluice.consumer.replay.skipped",
        "Replayed records outside their replay's slice (time, type or key), passed over unhandled", stream)
        .increment();
  }

  public void storeFailure(String stream) {
    counter("sluice.consumer.store.failures",
        "Store or queue calls that failed; the call is tried again and the partition waits", stream).increment();
  }

  /**
   * A new item the store cannot take as it is ({@code reason}): measured too big before writing (written without its
   * payload, which Kafka keeps), or refused by the store for good. Never retried as it is, so never an outage.
   */
  public void storeRefusal(String stream, StoreRefusal reason) {
    storeRefusals(stream, reason).increment();
  }

  private Counter storeRefusals(String stream, StoreRefusal reason) {
    return counter("sluice.consumer.store.refusals",
        "Items the store cannot take as they are (too big, or refused as invalid); never retried as they are",
        stream, "reason", reason, true);
  }

  /**
   * A counter tagged with stream and group. Found in this instance's cache once registered: counting an event is then
   * one map lookup, not a registry search and tag building (the happy path counts twice per event). The registry
   * hands out the same counter for the same id, so two threads racing to create one share it.
   */
  private Counter counter(String name, String description, String stream) {
    return counter(name, description, stream, null, null, false);
  }

  /** The same with one more tag, its value an enum constant's name (in lower case if {@code lower}). */
  private Counter counter(String name, String description, String stream, String tagKey, Enum<?> tagValue,
      boolean lower) {
    CounterKey key = new CounterKey(name, stream, tagValue);
    Counter known = counters.get(key);
    if (known != null) {
      return known;
    }
    Counter.Builder builder = Counter.builder(name)
        .description(description)
        .tags("stream", stream, "group", group);
    if (tagKey != null) {
      builder.tag(tagKey, lower ? tagValue.name().toLowerCase(Locale.ROOT) : tagValue.name());
    }
    Counter created = builder.register(registry);
    counters.putIfAbsent(key, created);
    return created;
  }

  /** A counter's identity within this group: every counter here has at most one extra tag, from a fixed enum. */
  private record CounterKey(String name, String stream, Enum<?> extraTag) {}

  /** What a partition's owner reports; read at scrape time from any thread, so implementations publish snapshots. */
  public interface PartitionView {
    double headOfLineAgeSeconds();

    double lagRecords();

    double openItems(QuarantineStatus status);

    double oldestQuarantinedAgeSeconds();

    /** 1 while a storm holds the partition, else 0. */
    double stormHeld();

    /** Now minus the event time of the newest event handled, while records wait; 0 when caught up. */
    double stalenessSeconds();

    /** The event time of the newest event handled, in seconds since the epoch; NaN before any. */
    double lastHandledEventTimeSeconds();
  }

  /**
   * Per topic, the worst staleness of the partitions this process owns now (topics without an owned partition are
   * left out), for the group's heartbeat. Reads the partitions' snapshots, so any thread may call it.
   */
  public Map<String, Double> worstStalenessByTopic() {
    Map<String, Double> worst = new HashMap<>();
    for (PartitionMeters p : owned) {
      worst.merge(p.topic, p.view.stalenessSeconds(), Math::max);
    }
    return worst;
  }

  /** Registers the meters of an assigned partition; close them when it is revoked. */
  public PartitionMeters partition(String topic, int partition, PartitionView view) {
    return new PartitionMeters(topic, partition, view);
  }

  /** The meters of one assigned partition. */
  public final class PartitionMeters implements AutoCloseable {
    private final List<Meter> meters = new ArrayList<>();
    private final Counter inPlaceAttempts;
    private final String topic;
    private final PartitionView view;

    private PartitionMeters(String topic, int partition, PartitionView view) {
      this.topic = topic;
      this.view = view;
      String p = Integer.toString(partition);
      meters.add(TimeGauge.builder("sluice.consumer.head.of.line.age", view, TimeUnit.SECONDS,
              PartitionView::headOfLineAgeSeconds)
          .description("How long the oldest unfinished record fetched from the partition has waited")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry));
      meters.add(Gauge.builder("sluice.consumer.lag", view, PartitionView::lagRecords)
          .description("Records between the consumer's position and the end of the partition")
          .baseUnit("records")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry));
      for (QuarantineStatus status : List.of(QuarantineStatus.RETRYING, QuarantineStatus.PARKED,
          QuarantineStatus.QUARANTINED, QuarantineStatus.REDRIVEN)) {
        meters.add(Gauge.builder("sluice.consumer.open.items", view, v -> v.openItems(status))
            .description("Open items of the partition known to its owner, by status")
            .tags("group", group, "topic", topic, "partition", p, "status", status.name().toLowerCase(Locale.ROOT))
            .register(registry));
      }
      meters.add(TimeGauge.builder("sluice.consumer.oldest.quarantined.age", view, TimeUnit.SECONDS,
              PartitionView::oldestQuarantinedAgeSeconds)
          .description("Age of the oldest QUARANTINED item of the partition; 0 when there is none")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry));
      meters.add(Gauge.builder("sluice.consumer.storm.held", view, PartitionView::stormHeld)
          .description("1 while a storm holds the partition until an operator acts, else 0")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry));
      meters.add(TimeGauge.builder("sluice.consumer.staleness", view, TimeUnit.SECONDS,
              PartitionView::stalenessSeconds)
          .description("Now minus the event time of the newest event handled, while records wait; 0 when caught up")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry));
      // Named with its unit, as the replay's event time: a point in time, not a duration a TimeGauge would scale.
      meters.add(Gauge.builder("sluice.consumer.last.handled.event.time.seconds", view,
              PartitionView::lastHandledEventTimeSeconds)
          .description("Event time (seconds since the epoch) of the newest event handled on the partition")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry));
      inPlaceAttempts = Counter.builder("sluice.consumer.inplace.attempts")
          .description("Handler calls made by the in-place tier")
          .tags("group", group, "topic", topic, "partition", p)
          .register(registry);
      owned.add(this);
    }

    public void inPlaceAttempts(int attempts) {
      inPlaceAttempts.increment(attempts);
    }

    @Override
    public void close() {
      owned.remove(this);
      meters.forEach(registry::remove);
      // The counter stays: a partition assigned again continues its total, as Prometheus counters should.
    }
  }

  /**
   * What the owner of a replayed partition reports while its group's replay is active; read at scrape time from any
   * thread, so implementations publish snapshots. Rates are measured over the last lane refresh.
   */
  public interface ReplayView {
    /** The offset after the last replayed record finished (handled, or durably diverted to the store). */
    double reachedOffset();

    /** The partition's end offset captured when the replay started: history is below it. */
    double endOffset();

    /** The record time, in seconds since the epoch, of the last replayed record finished. */
    double eventTimeSeconds();

    double eventsPerSecond();

    /** Event time advanced per wall-clock second: how many times faster than real time history is replayed. */
    double speedMultiple();

    /** Seconds until the partition reaches its captured end at the current rate; NaN while nothing moves. */
    double etaSeconds();

    /** 1 while the replay is PAUSED or HALTED (history is held), else 0. */
    double held();
  }

  /** Registers the replay meters of a replayed partition; close them when the replay ends or the partition goes. */
  public AutoCloseable replayPartition(String topic, int partition, ReplayView view) {
    String p = Integer.toString(partition);
    List<Meter> meters = new ArrayList<>();
    Map<String, ToDoubleFunction<ReplayView>> gauges = new LinkedHashMap<>();
    gauges.put("sluice.consumer.replay.reached.offset", ReplayView::reachedOffset);
    gauges.put("sluice.consumer.replay.end.offset", ReplayView::endOffset);
    gauges.put("sluice.consumer.replay.event.time.seconds", ReplayView::eventTimeSeconds);
    gauges.put("sluice.consumer.replay.events.per.second", ReplayView::eventsPerSecond);
    gauges.put("sluice.consumer.replay.speed.multiple", ReplayView::speedMultiple);
    gauges.put("sluice.consumer.replay.eta.seconds", ReplayView::etaSeconds);
    gauges.put("sluice.consumer.replay.held", ReplayView::held);
    gauges.forEach((name, value) -> meters.add(Gauge.builder(name, view, value)
        .description("Replay of the partition: " + name.substring("sluice.consumer.replay.".length()))
        .tags("group", group, "topic", topic, "partition", p)
        .register(registry)));
    return () -> meters.forEach(registry::remove);
  }
}

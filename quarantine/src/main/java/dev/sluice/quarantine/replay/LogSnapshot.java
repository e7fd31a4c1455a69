package dev.sluice.quarantine.replay;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a topic's log held when a replay was asked for, partition by partition, as Kafka answered: enough to plan the
 * replay without asking again. Planning is pure ({@link #plan}), so every rule is tested without a broker.
 *
 * @param topic the stream's topic
 * @param partitions every partition of the topic
 */
public record LogSnapshot(String topic, Map<Integer, PartitionLog> partitions) {
  public LogSnapshot {
    Objects.requireNonNull(topic, "topic");
    partitions = Map.copyOf(partitions);
  }

  /**
   * One partition's log.
   *
   * @param logStart the offset of the first event it still holds (older ones were deleted by retention)
   * @param logEnd the offset the next event will get
   * @param firstTimestamp the time of the event at {@code logStart}; empty when the partition holds none
   * @param firstAtOrAfterFrom the offset of the first event at or after the replay's instant; empty when there is none
   *     (or the replay starts from {@code earliest})
   */
  public record PartitionLog(long logStart, long logEnd, OptionalLong firstTimestamp, OptionalLong firstAtOrAfterFrom) {
    public PartitionLog {
      Objects.requireNonNull(firstTimestamp, "firstTimestamp");
      Objects.requireNonNull(firstAtOrAfterFrom, "firstAtOrAfterFrom");
    }
  }

  /** What planning gives: where to read, or why the replay cannot start. */
  public sealed interface Planned {
    /** Where the replay reads, when it can start. */
    Optional<OffsetPlan> ready();
  }

  /** The replay reads {@code plan}. */
  public record Ready(OffsetPlan plan) implements Planned {
    @Override
    public Optional<OffsetPlan> ready() {
      return Optional.of(plan);
    }
  }

  /**
   * The replay was asked to start before the earliest event the stream still holds: events it asks for are gone.
   *
   * @param earliestAvailable the time of the earliest event still held (the smallest time of the first event of a
   *     partition)
   */
  public record BeforeRetention(Instant earliestAvailable) implements Planned {
    @Override
    public Optional<OffsetPlan> ready() {
      return Optional.empty();
    }
  }

  /** The time of the earliest event still held: the smallest time of a partition's first event; empty if none. */
  public Optional<Instant> earliestEvent() {
    return partitions.values().stream()
        .map(PartitionLog::firstTimestamp)
        .filter(OptionalLong::isPresent)
        .map(t -> t.getAsLong())
        .min(Long::compare)
        .map(Instant::ofEpochMilli);
  }

  /**
   * Where a replay from {@code from} reads: from each partition's first event ({@code earliest}) or its first event at
   * or after the instant (a partition with none starts at its end: it has nothing to replay), up to each partition's
   * end now. An instant before the earliest event still held is refused: what it asks for was deleted.
   */
  public Planned plan(ReplayFrom from) {
    if (from.instant().isPresent()) {
      Optional<Instant> earliest = earliestEvent();
      if (earliest.isPresent() && from.instant().get().isBefore(earliest.get())) {
        return new BeforeRetention(earliest.get());
      }
    }
    Map<Integer, Long> start = new HashMap<>();
    Map<Integer, Long> end = new HashMap<>();
    partitions.forEach((partition, log) -> {
      start.put(partition, from.instant().isEmpty() ? log.logStart() : log.firstAtOrAfterFrom().orElse(log.logEnd()));
      end.put(partition, log.logEnd());
    });
    return new Ready(new OffsetPlan(topic, start, end));
  }

  /** The topic has no such partition. */
  public record UnknownPartition(int partition) implements Planned {
    @Override
    public Optional<OffsetPlan> ready() {
      return Optional.empty();
    }
  }

  /**
   * A start offset outside what the partition holds: below its first event still held (deleted by retention) or past
   * the offset its next event will get.
   */
  public record OutOfRange(int partition, long offset, long logStart, long logEnd) implements Planned {
    @Override
    public Optional<OffsetPlan> ready() {
      return Optional.empty();
    }
  }

  /**
   * Where a rewind from given start offsets reads: each named partition from its offset up to its end now; the others
   * are not part of it. The offset may be the end itself (nothing to replay there), not past it, nor below the first
   * event still held. The first partition in order that cannot be is refused.
   */
  public Planned plan(Map<Integer, Long> startOffsets) {
    Map<Integer, Long> start = new HashMap<>();
    Map<Integer, Long> end = new HashMap<>();
    for (Map.Entry<Integer, Long> given : new TreeMap<>(startOffsets).entrySet()) {
      PartitionLog log = partitions.get(given.getKey());
      if (log == null) {
        return new UnknownPartition(given.getKey());
      }
      long offset = given.getValue();
      if (offset < log.logStart() || offset > log.logEnd()) {
        return new OutOfRange(given.getKey(), offset, log.logStart(), log.logEnd());
      }
      start.put(given.getKey(), offset);
      end.put(given.getKey(), log.logEnd());
    }
    return new Ready(new OffsetPlan(topic, start, end));
  }
}

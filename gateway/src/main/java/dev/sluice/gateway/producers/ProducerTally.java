package dev.sluice.gateway.producers;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per (stream, API key name), the events this gateway instance appended and the broker acknowledged: what the
 * producers table is reported from, so that a stream's page can say who posts to it and how fast.
 *
 * <p>Counted on the event loops, where an append is acknowledged: a lookup in two concurrent maps (no allocation once
 * the pair exists) and an add to a {@link ProducerCount}. No lock is taken.
 *
 * <p>Bounded: keys are configured and streams are in the registry, so the pairs are bounded already, but a registry
 * with very many streams must not make this map grow without end either. Past {@link #maxPairs} pairs, a new pair is
 * not counted (said once in the log); the pairs counted already go on being counted.
 *
 * <p>Only the key's configured name is held: never its token, nor its hash.
 */
public final class ProducerTally {
  /** Far more (stream, key) pairs than one deployment posts to. */
  public static final int DEFAULT_MAX_PAIRS = 10_000;

  private static final System.Logger LOG = System.getLogger(ProducerTally.class.getName());

  private final ConcurrentMap<String, ConcurrentMap<String, ProducerCount>> byStream = new ConcurrentHashMap<>();
  private final AtomicInteger pairs = new AtomicInteger();
  private final AtomicBoolean fullSaid = new AtomicBoolean();
  private final int maxPairs;
  private final InstantSource clock;
  private final Instant since;

  public ProducerTally(int maxPairs, InstantSource clock) {
    if (maxPairs < 1) {
      throw new IllegalArgumentException("maxPairs must be at least 1, was " + maxPairs);
    }
    this.maxPairs = maxPairs;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.since = clock.instant();
  }

  /** At most {@value #DEFAULT_MAX_PAIRS} pairs, on the system clock. */
  public static ProducerTally create() {
    return new ProducerTally(DEFAULT_MAX_PAIRS, InstantSource.system());
  }

  /** Counts {@code events} appended to {@code stream} with the key named {@code keyName}. Never blocks. */
  public void appended(String stream, String keyName, long events) {
    if (events <= 0) {
      return;
    }
    ProducerCount count = countOf(stream, keyName);
    if (count != null) {
      count.add(events, clock.millis());
    }
  }

  /** Calls {@code each} with every pair counted so far and its count; safe while counting goes on. */
  public void forEach(PairConsumer each) {
    byStream.forEach((stream, byKey) -> byKey.forEach((key, count) -> each.accept(stream, key, count)));
  }

  /** One counted pair. */
  @FunctionalInterface
  public interface PairConsumer {
    void accept(String stream, String keyName, ProducerCount count);
  }

  /** When counting started: the start of the first window of every pair. */
  public Instant since() {
    return since;
  }

  public InstantSource clock() {
    return clock;
  }

  public int maxPairs() {
    return maxPairs;
  }

  /** The pair's count; null when it is new and the tally is full. */
  private ProducerCount countOf(String stream, String keyName) {
    ConcurrentMap<String, ProducerCount> byKey = byStream.get(stream);
    ProducerCount count = byKey == null ? null : byKey.get(keyName);
    if (count != null) {
      return count;
    }
    // A new pair: rare (once per pair for the life of the process), so the allocation and CAS here do not matter.
    return byStream.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).computeIfAbsent(keyName, k -> {
      if (pairs.incrementAndGet() > maxPairs) {
        pairs.decrementAndGet();
        if (fullSaid.compareAndSet(false, true)) {
          LOG.log(System.Logger.Level.WARNING, "the producer tally holds {0} (stream, API key) pairs, its bound: "
              + "events of further pairs are not reported", Integer.toString(maxPairs));
        }
        return null;
      }
      return new ProducerCount();
    });
  }
}

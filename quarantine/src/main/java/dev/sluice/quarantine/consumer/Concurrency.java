package dev.sluice.quarantine.consumer;

/**
 * How many records of a wrapped consumer are handled at once. Records of the same key are always handled one after
 * another, in offset order, whatever the limits: on a key-ordered stream two records of different keys have no order
 * to keep, so up to {@code perPartition} records of one partition, each of a different key, are in the handler at
 * once (as Confluent's Parallel Consumer does with {@code ProcessingOrder.KEY}). On an unordered stream, and for
 * records without a key, any records may run side by side. Whatever order the calls end in, a partition's committed
 * offset never passes a record that is not done (handled, or its item durably recorded).
 *
 * <p>The cost: a handler must be safe to call for different keys at once (a view written per key usually is; one
 * that reads and writes state shared between keys is not, unless it writes conditionally), and events of different
 * keys no longer reach it in offset order. {@link #ordered()}, the default, keeps today's strict offset order.
 *
 * @param perPartition records of one partition in the handler at once, each of a different key (1: strictly in offset
 *     order)
 * @param perConsumer records in the handler at once over all the partitions of one consumer (a partition waiting for
 *     this limit takes its turn when another's record is done)
 */
public record Concurrency(int perPartition, int perConsumer) {
  /** More than this many records of one partition at once is never useful: a poll returns at most 10,000. */
  public static final int MAX_PER_PARTITION = 10_000;

  public Concurrency {
    if (perPartition < 1 || perPartition > MAX_PER_PARTITION) {
      throw new IllegalArgumentException("concurrency per partition must be 1.." + MAX_PER_PARTITION);
    }
    if (perConsumer < 1) {
      throw new IllegalArgumentException("concurrency per consumer must be at least 1");
    }
  }

  /** Strictly in offset order within a partition; partitions side by side, as many as are assigned. */
  public static Concurrency ordered() {
    return new Concurrency(1, Integer.MAX_VALUE);
  }

  /** Up to {@code perPartition} records of different keys of one partition at once, {@code perConsumer} in all. */
  public static Concurrency byKey(int perPartition, int perConsumer) {
    return new Concurrency(perPartition, perConsumer);
  }

  /** Whether records of one partition may be handled side by side. */
  public boolean concurrent() {
    return perPartition > 1;
  }
}

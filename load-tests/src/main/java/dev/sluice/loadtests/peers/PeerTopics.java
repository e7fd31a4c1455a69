package dev.sluice.loadtests.peers;

import dev.sluice.loadtests.consumer.ProductRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The shared topics of the peers benchmark (3 partitions each) and what they are filled with before anything is
 * timed: binary-mode {@code retail.product.created} CloudEvents as the gateway writes them, all valid.
 */
final class PeerTopics {
  static final int PARTITIONS = 3;
  /** Distinct keys of the I/O-bound and parked-keys topics: record i has key {@code k-(i mod KEYS)}. */
  static final int KEYS = 10_000;
  static final int WARMUP_EVENTS = 10_000;

  static final String WARMUP = "peers-warmup";
  /** The I/O-bound figure's records, 10,000 keys. */
  static final String IO = "peers-io";
  /** The happy path's records, a key each. */
  static final String CLEAN = "peers-clean";
  /** Valid records whose handler rejects every 10th (by key, {@link PoisonKeys}). */
  static final String POISON = "peers-poison";
  /** The parked-keys figure's baseline: the same records as a parked topic gets after its openers. */
  static final String FLOW = "peers-flow";
  /** One partition, records up to 1 MB: the oversized-poison figure. */
  static final String BIG = "peers-big";

  private PeerTopics() {}

  /** The topic of the parked-keys figure's run {@code run} (from 1): its openers, then the flowing records. */
  static String parked(int run) {
    return "peers-park-" + run;
  }

  /** How many parked runs there can be: every warm-up the plan allows and every round. */
  static int parkedRuns(PeersOptions o) {
    return o.plan().maxWarmups() + o.rounds();
  }

  /** Every topic a run uses, for the schema registry. */
  static Set<String> all(PeersOptions o) {
    List<String> topics = new ArrayList<>(List.of(WARMUP, IO, CLEAN, POISON, FLOW, BIG));
    for (int r = 1; r <= parkedRuns(o); r++) {
      topics.add(parked(r));
    }
    return Set.copyOf(topics);
  }

  /** Record {@code i} of a topic of {@link #KEYS} keys. */
  static ProducerRecord<byte[], byte[]> keyed(String topic, long i) {
    return ProductRecords.record(topic, "k-" + (i % KEYS), false);
  }

  /** Creates the shared 3-partition topics (and Spring's dead-letter topic) and fills them. */
  static void prepare(Rig rig) throws Exception {
    PeersOptions o = rig.options();
    List<String> topics = new ArrayList<>(List.of(WARMUP, SpringKafkaRunner.deadLetterTopic(WARMUP), IO, CLEAN,
        POISON, SpringKafkaRunner.deadLetterTopic(POISON), FLOW));
    // The parked runs' topics too, so that no run waits on a topic being created; they are filled run by run.
    for (int r = 1; r <= parkedRuns(o); r++) {
      topics.add(parked(r));
    }
    rig.prefill().createTopics(topics, PARTITIONS, Map.of());
    rig.progress().phase("pre-fill", "warm-up " + WARMUP_EVENTS + ", I/O-bound " + o.ioEvents() + " (" + KEYS
        + " keys), clean " + o.happyEvents() + ", 10 % poison " + o.logEvents() + ", flowing " + o.parkedEvents());
    fill(rig, WARMUP, WARMUP_EVENTS, i -> ProductRecords.record(WARMUP, PoisonKeys.key("w", i), false));
    fill(rig, CLEAN, o.happyEvents(), i -> ProductRecords.record(CLEAN, PoisonKeys.key("c", i), false));
    fill(rig, POISON, o.logEvents(), i -> ProductRecords.record(POISON, PoisonKeys.key("q", i), false));
    if (o.onlyPoison()) {
      // Only (2) and (3) run: the other figures' topics stay empty.
      return;
    }
    fill(rig, IO, o.ioEvents(), i -> keyed(IO, i));
    fill(rig, FLOW, o.parkedEvents(), i -> keyed(FLOW, i));
  }

  static void fill(Rig rig, String topic, long count, LongFunction<ProducerRecord<byte[], byte[]>> record) {
    Duration took = rig.prefill().write(count, record);
    rig.progress().note(String.format("%s: %,d records written in %.1f s", topic, count, took.toMillis() / 1e3));
  }
}

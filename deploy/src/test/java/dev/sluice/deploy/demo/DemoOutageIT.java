package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedDynamoDb;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.SluiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DynamoDB Local (the demo's quarantine store and catalog view) stopped for more than 30 s while the demo consumer
 * {@code catalog-builder} runs as its own process ({@code ./sluice demo}) and records, poison among them, keep
 * arriving. All along, the group's committed offsets are sampled: no sample ever passes a poison record that was not
 * yet in the quarantine table. Once DynamoDB Local is back (same files, same port) the consumer carries on by itself,
 * and in the end every good event is in the view and every poison record has exactly one quarantine item.
 */
@ExtendWith(EnginesExtension.class)
class DemoOutageIT {
  private static final System.Logger LOG = System.getLogger(DemoOutageIT.class.getName());

  /** Kept small: DynamoDB Local with its files on disk (needed to survive the stop) takes only ~50-100 writes/s here. */
  private static final int BEFORE = 600;
  private static final int DURING = 450;
  private static final int AFTER = 300;
  private static final Duration OUTAGE = Duration.ofSeconds(32);
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
  private static final Duration WAIT = Duration.ofSeconds(120);

  /** What was written: where each record went, and which were poison. */
  private static final class Written {
    final Map<String, RecordMetadata> good = new HashMap<>();
    final Map<String, RecordMetadata> poison = new HashMap<>();
    final Map<Integer, Long> lastOffset = new HashMap<>();

    /** Writes records {@code from} (inclusive) to {@code to} (exclusive), one in {@code poisonEvery} poison. */
    void write(DemoRun run, int from, int to, int poisonEvery) throws Exception {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int i = from; i < to; i++) {
        sends.add(i % poisonEvery == poisonEvery / 2 ? run.sendPoison(i) : run.sendGood(i));
      }
      run.flush();
      for (int i = from; i < to; i++) {
        RecordMetadata m = sends.get(i - from).get(30, TimeUnit.SECONDS);
        lastOffset.merge(m.partition(), m.offset(), Math::max);
        if (i % poisonEvery == poisonEvery / 2) {
          poison.put(key(m), m);
        } else {
          good.put(run.goodKey(i), m);
        }
      }
    }

    /** One poison record to each partition, numbered from {@code from}. */
    void writePoisonToEach(DemoRun run, int from, int partitions) throws Exception {
      for (int p = 0; p < partitions; p++) {
        RecordMetadata m = run.sendPoison(from + p, p).get(30, TimeUnit.SECONDS);
        lastOffset.merge(m.partition(), m.offset(), Math::max);
        poison.put(key(m), m);
      }
    }

    int total() {
      return good.size() + poison.size();
    }
  }

  private static String key(RecordMetadata m) {
    return m.partition() + "@" + m.offset();
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aThirtySecondDynamoDbOutageNeverCommitsPastAnUnquarantinedPoisonAndLosesNothing(Engines engines)
      throws Exception {
    Path workDir = Files.createTempDirectory("sluice-demo-outage");
    Path dbDir = workDir.resolve("dynamodb");
    int dynamoPort = FreePorts.pick();
    EmbeddedDynamoDb ddb = EmbeddedDynamoDb.startPersistent(dbDir, dynamoPort);
    boolean passed = false;
    // Outage retries start at 200 ms and double up to 6 s, so the consumer notices the store is back within seconds.
    try (DemoRun run = new DemoRun(engines.bootstrapServers(), ddb.endpoint(), engines.sqsEndpoint());
        // The table-first path: every item written to the store before the offset passes it. With the quarantine
        // log (on by default, QuarantineLogIT), poison would be appended to Kafka and passed during the outage.
        SluiceProcess demo = run.process(workDir, Map.of("sluice.demo.error.backoff", "200ms",
            "sluice.quarantine.log.enabled", "false"))) {
      run.startGroupAtEnd();
      demo.start(WAIT);
      Written written = new Written();

      // Before: the consumer catches up, and every poison so far is in the quarantine table.
      written.write(run, 0, BEFORE, 50);
      awaitCommittedPast(run, written.lastOffset);
      Map<Integer, Long> committedBefore = run.committed();
      Set<String> recordedBefore = run.quarantineItems().stream().map(it -> it.partition() + "@" + it.offset())
          .collect(Collectors.toSet());
      assertEquals(written.poison.keySet(), recordedBefore, "before the outage, each poison is quarantined");

      // The outage: DynamoDB Local stops; records (about 7% poison) keep arriving.
      long stoppedAt = System.nanoTime();
      ddb.close();
      Map<String, RecordMetadata> poisonBefore = Map.copyOf(written.poison);
      // First a poison record at the head of each partition (everything before it was handled and committed), then
      // a mix: the consumer must hold each partition exactly at its poison.
      written.writePoisonToEach(run, BEFORE, 3);
      written.write(run, BEFORE + 3, BEFORE + DURING, 15);
      // Nothing can be recorded while the store is down: the first unrecorded poison of each partition is the first
      // poison written during the outage.
      Map<Integer, Long> firstUnrecorded = new TreeMap<>();
      written.poison.values().stream().filter(m -> !poisonBefore.containsKey(key(m)))
          .forEach(m -> firstUnrecorded.merge(m.partition(), m.offset(), Math::min));
      assertEquals(3, firstUnrecorded.size(), "poison during the outage on every partition: " + firstUnrecorded);

      int samples = 0;
      Map<Integer, Long> heldAt = new TreeMap<>();
      while (System.nanoTime() - stoppedAt < OUTAGE.toNanos()) {
        Map<Integer, Long> committed = run.committed();
        for (Map.Entry<Integer, Long> e : firstUnrecorded.entrySet()) {
          long c = committed.getOrDefault(e.getKey(), -1L);
          assertTrue(c <= e.getValue(), "during the outage partition " + e.getKey() + " committed " + c
              + ", past the unrecorded poison at " + e.getValue());
        }
        heldAt = new TreeMap<>(committed);
        samples++;
        assertTrue(demo.isAlive(), "the demo consumer rides out the outage");
        Thread.sleep(SAMPLE_EVERY.toMillis());
      }

      assertEquals(firstUnrecorded, heldAt.entrySet().stream().filter(e -> firstUnrecorded.containsKey(e.getKey()))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)),
          "each partition is held exactly at its unrecorded poison (committed before the outage: " + committedBefore
              + ")");

      ddb = EmbeddedDynamoDb.startPersistent(dbDir, dynamoPort);
      long restartedAt = System.nanoTime();
      written.write(run, BEFORE + DURING, BEFORE + DURING + AFTER, 50);

      // Recovery: sample the offsets first, then the table; a poison missing from the later look was also missing
      // when the offsets were read, so no committed offset may pass it.
      int samplesAfter = 0;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        Map<Integer, Long> committed = run.committed();
        Set<String> recorded = run.quarantineItems().stream().map(it -> it.partition() + "@" + it.offset())
            .collect(Collectors.toSet());
        Map<Integer, Long> unrecorded = new TreeMap<>();
        written.poison.values().stream().filter(m -> !recorded.contains(key(m)))
            .forEach(m -> unrecorded.merge(m.partition(), m.offset(), Math::min));
        for (Map.Entry<Integer, Long> e : unrecorded.entrySet()) {
          long c = committed.getOrDefault(e.getKey(), -1L);
          assertTrue(c <= e.getValue(), "after the outage partition " + e.getKey() + " committed " + c
              + ", past the unrecorded poison at " + e.getValue());
        }
        samplesAfter++;
        if (committedPast(committed, written.lastOffset)) {
          break;
        }
        assertTrue(System.nanoTime() < deadline, "the group commits past every record within " + WAIT
            + "; committed " + committed + ", ends " + written.lastOffset);
        Thread.sleep(SAMPLE_EVERY.toMillis());
      }
      long drainedAt = System.nanoTime();

      // Good events that failed while the view was down were handed to the delayed tier: they settle shortly after.
      Set<String> inView = Eventually.await("every good event in the view", WAIT, () -> {
        Set<String> v = run.productsInView();
        return v.containsAll(written.good.keySet()) ? Optional.of(v) : Optional.empty();
      });
      long appliedAt = System.nanoTime();
      List<DemoRun.StoredItem> items = run.quarantineItems();
      Map<String, List<DemoRun.StoredItem>> byRecord = items.stream()
          .collect(Collectors.groupingBy(it -> it.partition() + "@" + it.offset()));
      Set<String> goodRecords = written.good.values().stream().map(DemoOutageIT::key).collect(Collectors.toSet());
      List<DemoRun.StoredItem> retriedGood = items.stream()
          .filter(it -> goodRecords.contains(it.partition() + "@" + it.offset())).toList();

      LOG.log(System.Logger.Level.INFO, String.join("\n  ",
          "DynamoDB outage under the demo consumer:",
          "records: " + written.total() + " (" + written.good.size() + " good, " + written.poison.size() + " poison); "
              + DURING + " of them written while DynamoDB Local was down, starting with a poison record on each "
              + "partition",
          "DynamoDB Local down for " + ms(restartedAt - stoppedAt) + " ms; " + samples + " offset samples during it, "
              + samplesAfter + " after it, none past an unrecorded poison; held at " + heldAt
              + " with the first unrecorded poison at " + firstUnrecorded,
          "committed past every record " + ms(drainedAt - restartedAt) + " ms after DynamoDB Local was back; every "
              + "good event in the view " + ms(appliedAt - restartedAt) + " ms after it",
          "quarantine: " + items.size() + " items: " + written.poison.size() + " poison, " + retriedGood.size()
              + " good events that went through the delayed tier while the view was down ("
              + retriedGood.stream().map(DemoRun.StoredItem::status).collect(Collectors.toSet()) + ")"));

      assertEquals(written.good.keySet(), inView, "every good event applied, nothing else");
      for (String p : written.poison.keySet()) {
        List<DemoRun.StoredItem> forRecord = byRecord.getOrDefault(p, List.of());
        assertEquals(1, forRecord.size(), "one quarantine item for poison " + p + ": " + forRecord);
        assertEquals("QUARANTINED", forRecord.get(0).status(), "poison " + p);
      }
      for (DemoRun.StoredItem it : retriedGood) {
        assertEquals("RESOLVED", it.status(), "a good event retried through the outage ends RESOLVED: " + it);
      }
      assertEquals(written.poison.size() + retriedGood.size(), items.size(), "no item for anything else");
      assertEquals(written.total(), inView.size() + written.poison.size(), "applied + quarantined = written");
      passed = true;
    } finally {
      ddb.close();
      if (passed) {
        DataDirs.wipe(workDir);
      } else {
        LOG.log(System.Logger.Level.WARNING, "demo process log kept in {0}", workDir);
      }
    }
  }

  private static void awaitCommittedPast(DemoRun run, Map<Integer, Long> lastOffset) {
    Eventually.await("the group committed past " + lastOffset, WAIT,
        () -> committedPast(run.committed(), lastOffset) ? Optional.of(true) : Optional.empty());
  }

  private static boolean committedPast(Map<Integer, Long> committed, Map<Integer, Long> lastOffset) {
    return lastOffset.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) > e.getValue());
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}

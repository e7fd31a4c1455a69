package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.engine.EmbeddedKafka;
import dev.sluice.loadtests.harness.LoopbackPorts;
import dev.sluice.loadtests.harness.Progress;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer benchmarks' baseline on a real broker: every record handed over once and in its partition's order,
 * handled on a thread other than the one polling (what makes it the ceiling of a wrapper that polls on one thread and
 * handles on another), and what was handled committed when it stops.
 */
class BarePollLoopIT {
  private static final String TOPIC = "loop";
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 3_000;

  private record Seen(int partition, long value, String thread) {}

  @Test
  void handsEveryRecordOverOnceInPartitionOrderOffThePollingThreadAndCommitsIt(@TempDir Path dir) throws Exception {
    int[] ports = LoopbackPorts.free(2);
    Vertx vertx = Vertx.vertx();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), ports[0], ports[1])) {
      Prefill prefill = new Prefill(kafka.bootstrapServers());
      prefill.createTopics(List.of(TOPIC), PARTITIONS, Map.of());
      prefill.write(RECORDS, i -> new ProducerRecord<>(TOPIC, (int) (i % PARTITIONS), null,
          ByteBuffer.allocate(Long.BYTES).putLong(i).array()));

      String group = "g-loop";
      List<Seen> seen = run(vertx, kafka.bootstrapServers(), group);

      assertEquals(RECORDS, seen.size(), "every record once");
      assertEquals(RECORDS, seen.stream().map(Seen::value).distinct().count(), "no record twice");
      for (int p = 0; p < PARTITIONS; p++) {
        int partition = p;
        List<Long> values = seen.stream().filter(s -> s.partition() == partition).map(Seen::value).toList();
        assertEquals(values.stream().sorted().toList(), values, "partition " + p + " in order");
      }
      Set<String> threads = seen.stream().map(Seen::thread).collect(Collectors.toSet());
      assertEquals(Set.of("bare-poll-loop-handler-" + group), threads, "handled on the handling thread only");
      assertEquals(expectedCommits(), committed(kafka.bootstrapServers(), group), "committed at the end");
    } finally {
      Progress.await(vertx.close(), 30);
    }
  }

  private static List<Seen> run(Vertx vertx, String bootstrap, String group) throws InterruptedException {
    ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    BarePollLoop loop = new BarePollLoop(vertx, ConsumerProps.of(bootstrap, group), TOPIC,
        r -> seen.add(new Seen(r.partition(), ByteBuffer.wrap(r.value()).getLong(), Thread.currentThread().getName())));
    String id = Progress.await(vertx.deployVerticle(loop), 30);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (seen.size() < RECORDS && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // A second's grace, so that a record handed over twice would show.
    Thread.sleep(1_000);
    Progress.await(vertx.undeploy(id), 60);
    return new ArrayList<>(seen);
  }

  private static Map<TopicPartition, Long> expectedCommits() {
    Map<TopicPartition, Long> expected = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
    for (int p = 0; p < PARTITIONS; p++) {
      expected.put(new TopicPartition(TOPIC, p), (long) RECORDS / PARTITIONS);
    }
    return expected;
  }

  private static Map<TopicPartition, Long> committed(String bootstrap, String group) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> byPartition = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
      offsets.forEach((tp, o) -> byPartition.put(tp, o.offset()));
      return byPartition;
    }
  }
}

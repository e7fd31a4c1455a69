package dev.sluice.loadtests.consumer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * Where a benchmark's consumer groups start: a topic's end offsets read once (a boundary between records written
 * for setting up and the measured records after them), and a group placed at such offsets before its consumer starts,
 * so that every variant reads exactly the same records. One admin client for the whole suite, so its connection and
 * metadata are warm before anything is timed.
 */
public final class GroupOffsets implements AutoCloseable {
  private static final long CALL_SECONDS = 60;
  /** How long a group that was just closed may still count as having a member (its leave is being processed). */
  private static final long EMPTY_WITHIN_MS = 30_000;

  private final Admin admin;

  public GroupOffsets(String bootstrap) {
    this.admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
  }

  /** The offset after the last record of each of {@code topic}'s partitions, by partition. */
  public Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(CALL_SECONDS, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
    return Map.copyOf(ends);
  }

  /**
   * Commits {@code offsets} as {@code group}'s position on {@code topic}. The group must have no member: a new one, or
   * one whose consumer was stopped (retried while the broker still counts that consumer in).
   */
  public void place(String group, String topic, Map<Integer, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((p, o) -> commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
    long deadline = System.currentTimeMillis() + EMPTY_WITHIN_MS;
    while (true) {
      try {
        admin.alterConsumerGroupOffsets(group, commit).all().get(CALL_SECONDS, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        boolean notEmptyYet = e.getCause() instanceof UnknownMemberIdException
            || String.valueOf(e.getCause()).contains("not empty");
        if (!notEmptyYet || System.currentTimeMillis() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}

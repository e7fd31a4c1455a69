package dev.sluice.quarantine.replay;

import dev.sluice.quarantine.kafka.LazyAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What a replay asks of Kafka, through its Admin API: what a topic's log holds ({@link LogSnapshot}), whether a group
 * is in use ({@link GroupUse}), and the group's start offsets, committed before the group starts so that it begins
 * exactly there and, being the same group, goes on live past the captured end with no gap and no duplicate.
 *
 * <p>The Admin client blocks, so every call runs on a worker and completes on the caller's context; the client is
 * made on the first call (making it resolves the bootstrap addresses). A Kafka failure or timeout fails the Future
 * with a {@link KafkaException}.
 */
public final class ReplayKafka {
  private static final long CALL_TIMEOUT_SECONDS = 15;

  private final Vertx vertx;
  private final LazyAdmin admin;

  /** @param clientConfig Kafka client properties ({@code bootstrap.servers}, security), as every other client gets */
  public ReplayKafka(Vertx vertx, Map<String, String> clientConfig) {
    this.vertx = vertx;
    this.admin = new LazyAdmin(vertx, new HashMap<>(clientConfig));
  }

  /**
   * What {@code topic}'s log holds now, as a replay from {@code from} needs it: each partition's first and next
   * offsets, the time of its first event, and (for an instant) its first event at or after it. Empty when the topic
   * does not exist.
   */
  public Future<Optional<LogSnapshot>> log(String topic, ReplayFrom from) {
    return vertx.executeBlocking(() -> {
      Admin a = admin();
      List<TopicPartition> partitions;
      try {
        partitions = await(a.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
      } catch (UnknownTopicOrPartitionException absent) {
        return Optional.<LogSnapshot>empty();
      }
      Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(a, partitions, OffsetSpec.earliest());
      Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(a, partitions, OffsetSpec.latest());
      // Every event's time is at or after 0: the first one found is the first event the partition still holds.
      Map<TopicPartition, ListOffsetsResultInfo> firsts = offsets(a, partitions, OffsetSpec.forTimestamp(0));
      Map<TopicPartition, ListOffsetsResultInfo> atFrom = from.instant().isEmpty() ? Map.of()
          : offsets(a, partitions, OffsetSpec.forTimestamp(from.instant().get().toEpochMilli()));
      Map<Integer, LogSnapshot.PartitionLog> logs = new HashMap<>();
      for (TopicPartition tp : partitions) {
        ListOffsetsResultInfo first = firsts.get(tp);
        logs.put(tp.partition(), new LogSnapshot.PartitionLog(starts.get(tp).offset(), ends.get(tp).offset(),
            first.offset() >= 0 ? OptionalLong.of(first.timestamp()) : OptionalLong.empty(),
            found(atFrom.get(tp))));
      }
      return Optional.of(new LogSnapshot(topic, logs));
    }, false);
  }

  /** How {@code group} is used now: its live members and the partitions it has committed offsets for. */
  public Future<GroupUse> use(String group) {
    return vertx.executeBlocking(() -> {
      Admin a = admin();
      int members;
      int committed;
      try {
        members = await(a.describeConsumerGroups(List.of(group)).describedGroups().get(group)).members().size();
      } catch (GroupIdNotFoundException neverSeen) {
        members = 0;
      }
      try {
        committed = (int) await(a.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()).values().stream()
            .filter(o -> o != null).count();
      } catch (GroupIdNotFoundException neverSeen) {
        committed = 0;
      }
      return new GroupUse(members, committed);
    }, false);
  }

  /**
   * Commits {@code plan}'s start offsets as {@code group}'s, which Kafka allows only while the group has no member.
   * False when a member joined meanwhile (nothing is committed then).
   */
  public Future<Boolean> commitStart(String group, OffsetPlan plan) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    plan.start().forEach((p, o) -> offsets.put(new TopicPartition(plan.topic(), p), new OffsetAndMetadata(o)));
    return vertx.executeBlocking(() -> {
      try {
        await(admin().alterConsumerGroupOffsets(group, offsets).all());
        return true;
      } catch (UnknownMemberIdException | GroupNotEmptyException | RebalanceInProgressException
          | FencedMemberEpochException | StaleMemberEpochException joined) {
        return false;
      }
    }, false);
  }

  /** Closes the Admin client, if one was made. */
  public Future<Void> close() {
    return admin.close();
  }

  private Admin admin() {
    return admin.get();
  }

  private static Map<TopicPartition, ListOffsetsResultInfo> offsets(Admin a, List<TopicPartition> partitions,
      OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
    partitions.forEach(tp -> asked.put(tp, spec));
    return await(a.listOffsets(asked).all());
  }

  /** The offset found, when an event was: Kafka answers -1 when a partition has no event at or after the time. */
  private static OptionalLong found(ListOffsetsResultInfo info) {
    return info == null || info.offset() < 0 ? OptionalLong.empty() : OptionalLong.of(info.offset());
  }

  /** The result, or Kafka's own exception for the failure (a timeout as Kafka's timeout). */
  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new KafkaException(e.getCause());
    } catch (TimeoutException e) {
      throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not answer within "
          + CALL_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while waiting for Kafka", e);
    }
  }
}

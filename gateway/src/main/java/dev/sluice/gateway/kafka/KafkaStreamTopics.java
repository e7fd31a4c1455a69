package dev.sluice.gateway.kafka;

import dev.sluice.gateway.registry.StreamTopics;
import dev.sluice.schemas.catalog.StreamDefinition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates or grows a stream's topic with a short-lived Admin client. Kafka cannot shrink a topic; the registry already
 * refuses a definition with fewer partitions (409), so only growth reaches here. Growing moves keys to other
 * partitions for new events, which is why it is an explicit admin action.
 */
public final class KafkaStreamTopics implements StreamTopics {
  private static final System.Logger LOG = System.getLogger(KafkaStreamTopics.class.getName());

  private final Map<String, String> clientProps;
  private final short replicationFactor;
  private final Duration timeout;

  public KafkaStreamTopics(Map<String, String> clientProps, short replicationFactor, Duration timeout) {
    this.clientProps = Map.copyOf(Objects.requireNonNull(clientProps, "clientProps"));
    this.replicationFactor = replicationFactor;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public void ensure(StreamDefinition stream) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(clientProps))) {
      int current = partitions(admin, stream.topic());
      if (current == 0) {
        try {
          admin.createTopics(List.of(new NewTopic(stream.topic(), stream.partitions(), replicationFactor)))
              .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          LOG.log(System.Logger.Level.INFO, "created topic {0} with {1} partitions for stream {2}", stream.topic(),
              Integer.toString(stream.partitions()), stream.name());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      } else if (current < stream.partitions()) {
        admin.createPartitions(Map.of(stream.topic(), NewPartitions.increaseTo(stream.partitions())))
            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "grew topic {0} from {1} to {2} partitions for stream {3}", stream.topic(),
            Integer.toString(current), Integer.toString(stream.partitions()), stream.name());
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot make topic " + stream.topic() + " match stream " + stream.name() + ": "
          + (e.getCause() == null ? e : e.getCause()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning topic " + stream.topic(), e);
    }
  }

  /** The topic's partition count, 0 when it does not exist. */
  private int partitions(Admin admin, String topic) throws InterruptedException, ExecutionException, TimeoutException {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      return d.partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return 0;
      }
      throw e;
    }
  }
}

package dev.sluice.deploy.provision;

import dev.sluice.deploy.config.IngressSettings;
import dev.sluice.deploy.config.ProvisionSettings;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.provision.Provisioner.Existing;
import dev.sluice.deploy.provision.Provisioner.Outcome;
import dev.sluice.deploy.provision.Provisioner.Step;
import dev.sluice.gateway.registry.StreamTopics;
import dev.sluice.schemas.catalog.Retention;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka side of provisioning: the registry's compacted topic (through the registry log, which creates it) and one
 * topic per stream of the registry. Blocking: the launcher runs it before any event loop exists.
 */
public final class TopicProvisioner {
  private static final System.Logger LOG = System.getLogger(TopicProvisioner.class.getName());
  private static final long KAFKA_TIMEOUT_SECONDS = 30;

  private TopicProvisioner() {}

  /**
   * Starts the registry log, which creates its compacted topic if missing and refuses one that is not compacted, and
   * reports whether the topic was there before. Every part reads streams and schemas from it, and the stream topics
   * to create are the registry's streams (the bootstrap catalog plus those registered through the API).
   */
  public static RegistryLog startRegistry(SluiceConfig config, Existing existing, Consumer<Step> report) {
    IngressSettings.Registry r = config.ingress().registry();
    Map<String, String> kafka = config.kafka().clientConfig();
    boolean existed;
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafka))) {
      existed = describe(admin, r.topic()) != null;
    }
    RegistryLog log = new RegistryLog(
        new RegistryLogConfig(r.topic(), config.topicReplicationFactor(), r.writeTimeout(), r.startTimeout()), kafka);
    try {
      log.start(StreamCatalog.loadDefault());
    } catch (RuntimeException e) {
      log.close();
      throw new IllegalStateException("the schema registry did not start: " + Provisioner.rootMessage(e), e);
    }
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafka))) {
      Map<String, String> wanted = Map.of(
          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(config.provision().minInsyncReplicas()));
      TopicDescription d = describe(admin, r.topic());
      boolean updated = existed && existing == Existing.ALIGN && alignConfigs(admin, r.topic(), wanted);
      Outcome outcome = !existed ? Outcome.CREATED : updated ? Outcome.UPDATED : Outcome.EXISTS;
      report.accept(new Step(outcome, "kafka topic", r.topic(), "registry, 1 partition, replication "
          + d.partitions().get(0).replicas().size() + ", cleanup.policy=compact, " + describeConfigs(wanted)));
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  /**
   * How stream topics are made: the replication factor, {@code min.insync.replicas}, the deployment's default
   * retention and, on a cluster with tiered storage, how much stays on the brokers' disks.
   */
  public record StreamTopicSettings(short replicationFactor, int minInsyncReplicas, Duration defaultRetention,
      Optional<Duration> tieredLocalRetention) {
    public StreamTopicSettings {
      List.of(defaultRetention, tieredLocalRetention);
    }

    /** The settings {@code config} names. */
    public static StreamTopicSettings of(SluiceConfig config) {
      ProvisionSettings p = config.provision();
      return new StreamTopicSettings(config.topicReplicationFactor(), p.minInsyncReplicas(), p.topicRetention(),
          p.tieredLocalRetention());
    }

    /**
     * The configs that keep the stream's events: its retention (the stream's own, else the deployment's; -1 for
     * forever) and, with tiered storage, {@code remote.storage.enable} and {@code local.retention.ms}. These are
     * part of the stream's contract, so start-up applies them as well as {@code sluice init}.
     */
    public Map<String, String> retentionConfigs(StreamDefinition stream) {
      Map<String, String> wanted = new LinkedHashMap<>();
      Retention retention = stream.retention().or(Retention.keep(defaultRetention));
      wanted.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.retentionMs()));
      tieredLocalRetention.ifPresent(local -> {
        wanted.put(TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG, "true");
        // Never more on local disk than the topic keeps at all.
        long localMs = retention.retentionMs() < 0 ? local.toMillis()
            : Math.min(local.toMillis(), retention.retentionMs());
        wanted.put(TopicConfig.LOCAL_LOG_RETENTION_MS_CONFIG, Long.toString(localMs));
      });
      return wanted;
    }

    /** Every config a stream topic gets: {@code min.insync.replicas} and the retention configs. */
    public Map<String, String> configs(StreamDefinition stream) {
      Map<String, String> wanted = new LinkedHashMap<>();
      wanted.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
      wanted.putAll(retentionConfigs(stream));
      return wanted;
    }
  }

  /**
   * One topic per stream: created with the stream's partitions, the configured replication factor, min ISR and
   * retention; an existing topic with fewer partitions is grown (Kafka cannot shrink one) and its min ISR and
   * retention set when they differ. Its replication factor is left alone: changing it is a reassignment, an
   * operator's decision.
   */
  static void ensureTopics(SluiceConfig config, Existing existing, StreamCatalog catalog, Consumer<Step> report) {
    ensureTopics(config.kafka().clientConfig(), StreamTopicSettings.of(config), existing, catalog, report);
  }

  /** As above, for a caller without a {@link SluiceConfig}. */
  public static void ensureTopics(Map<String, String> kafkaProps, StreamTopicSettings settings, Existing existing,
      StreamCatalog catalog, Consumer<Step> report) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      for (StreamDefinition stream : catalog.streams()) {
        report.accept(ensureTopic(admin, stream, settings, existing));
      }
    }
  }

  /**
   * What makes a stream's topic match its definition when the registry API saves one: created, grown and its
   * configs set as {@code sluice init} would, so a stream saved at run time keeps its events as its definition says.
   */
  public static StreamTopics streamTopics(Map<String, String> kafkaProps, StreamTopicSettings settings) {
    Map<String, String> props = Map.copyOf(kafkaProps);
    return stream -> {
      try (Admin admin = Admin.create(new HashMap<String, Object>(props))) {
        LOG.log(System.Logger.Level.INFO, ensureTopic(admin, stream, settings, Existing.ALIGN).line());
      }
    };
  }

  /**
   * Creates the stream's topic, or aligns an existing one. With {@link Existing#LEAVE} (start-up) only the retention
   * configs are aligned, since they are the stream's contract: a principal that may not change topic configs gets a
   * warning naming {@code sluice init}, and start-up goes on.
   */
  static Step ensureTopic(Admin admin, StreamDefinition stream, StreamTopicSettings settings, Existing existing) {
    String topic = stream.topic();
    Map<String, String> wanted = settings.configs(stream);
    Map<String, String> aligned = existing == Existing.ALIGN ? wanted : settings.retentionConfigs(stream);
    TopicDescription current = describe(admin, topic);
    Outcome outcome;
    if (current == null) {
      try {
        get(admin.createTopics(List.of(new NewTopic(topic, stream.partitions(), settings.replicationFactor())
            .configs(wanted))).all());
        outcome = Outcome.CREATED;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
        }
        outcome = alignOrWarn(admin, topic, aligned, existing) ? Outcome.UPDATED : Outcome.EXISTS;
      }
    } else {
      boolean grown = false;
      if (existing == Existing.ALIGN && current.partitions().size() < stream.partitions()) {
        try {
          get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(stream.partitions()))).all());
        } catch (ExecutionException e) {
          throw new IllegalStateException("cannot grow topic " + topic + ": " + e.getCause(), e.getCause());
        }
        grown = true;
      }
      boolean changed = alignOrWarn(admin, topic, aligned, existing);
      outcome = grown || changed ? Outcome.UPDATED : Outcome.EXISTS;
    }
    TopicDescription now = describe(admin, topic);
    int partitions = now == null ? stream.partitions() : now.partitions().size();
    int replicas = now == null ? settings.replicationFactor() : now.partitions().get(0).replicas().size();
    return new Step(outcome, "kafka topic", topic, "stream " + stream.name() + ", " + partitions
        + " partitions, replication " + replicas + ", " + describeConfigs(aligned));
  }

  /**
   * Aligns {@code wanted}; at start-up a refusal to change topic configs (a production principal may lack
   * AlterConfigs) is a warning, not a failure to start, since {@code sluice init} is the operator's way to apply them.
   */
  private static boolean alignOrWarn(Admin admin, String topic, Map<String, String> wanted, Existing existing) {
    try {
      return alignConfigs(admin, topic, wanted);
    } catch (IllegalStateException e) {
      if (existing == Existing.ALIGN || !(e.getCause() instanceof AuthorizationException)) {
        throw e;
      }
      LOG.log(System.Logger.Level.WARNING, "topic {0}: not allowed to set {1}; run sluice init with a principal "
          + "that may change topic configs", topic, describeConfigs(wanted));
      return false;
    }
  }

  /** Sets the topic configs that differ from {@code wanted}; true if any did. */
  private static boolean alignConfigs(Admin admin, String topic, Map<String, String> wanted) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config current = get(admin.describeConfigs(List.of(resource)).values().get(resource));
      List<AlterConfigOp> ops = new ArrayList<>();
      wanted.forEach((name, value) -> {
        ConfigEntry entry = current.get(name);
        if (entry == null || !value.equals(entry.value())) {
          ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
        }
      });
      if (ops.isEmpty()) {
        return false;
      }
      get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
      return true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read or set the configs of topic " + topic + ": " + e.getCause(),
          e.getCause());
    }
  }

  /** The topic's description, or null if it does not exist. */
  private static TopicDescription describe(Admin admin, String topic) {
    try {
      return get(admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
    }
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws ExecutionException {
    try {
      return future.get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + KAFKA_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to Kafka", e);
    }
  }

  private static String describeConfigs(Map<String, String> configs) {
    return String.join(", ", configs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }
}

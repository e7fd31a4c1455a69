package dev.sluice.deploy.provision;

import dev.sluice.console.audit.AuditTable;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.jobs.JobStore;
import dev.sluice.deploy.config.IngressSettings;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.ProvisionSettings;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.demo.CatalogView;
import dev.sluice.gateway.dedup.IdempotencyTable;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.dedup.ProcessedEvents;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.log.RegistryLog;
import dev.sluice.schemas.registry.log.RegistryLogConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates what Sluice needs, idempotently, and says what it did: the registry topic, one Kafka topic per stream (with
 * partitions, replication, {@code min.insync.replicas} and retention), the DynamoDB tables with their indexes and TTL,
 * and each known consumer group's redrive and retry queues with their dead-letter queues. One path for both callers:
 * the launcher provisions what the parts it starts need, {@code sluice init} provisions everything.
 *
 * <p>The table layouts live with the code that uses them ({@link QuarantineTable}, {@link GroupRegistry},
 * {@link IdempotencyTable}, {@link ProcessedEvents}, {@link CatalogView}, {@link Sessions}); this class
 * only compares the table before and after their {@code ensure} to report the outcome. Blocking throughout: the
 * launcher runs it on its main thread before any event loop exists.
 */
public final class Provisioner {
  private static final long KAFKA_TIMEOUT_SECONDS = 30;
  /** How long a dead letter is kept: SQS's maximum, so an operator has the longest time to look at it. */
  static final int DEAD_LETTER_RETENTION_SECONDS = RedriveQueue.MAX_RETENTION_SECONDS;
  static final String DEAD_LETTER_SUFFIX = "-dlq";

  private Provisioner() {}

  /** What changed. */
  public enum Outcome {
    CREATED, EXISTS, UPDATED;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One resource's outcome, e.g. "created kafka topic retail (12 partitions, ...)". */
  public record Step(Outcome outcome, String kind, String name, String detail) {
    public String line() {
      return String.format("%-8s %-15s %-36s %s", outcome.word(), kind, name, detail);
    }
  }

  /**
   * What to do with a resource that exists but differs from the config (fewer partitions, another retention, another
   * queue attribute). {@code sluice init}, an explicit admin action, aligns it; start-up leaves it alone and needs no
   * permission beyond creating what is missing (a production principal may lack DescribeConfigs / AlterConfigs).
   */
  public enum Existing {
    ALIGN, LEAVE
  }

  /** What can be provisioned. */
  public enum Resource {
    STREAM_TOPICS, QUARANTINE_TABLE, GROUPS_TABLE, GATEWAY_DEDUP_TABLE, PROCESSED_EVENTS_TABLE, DEMO_TABLE,
    CONSOLE_AUDIT_TABLE, CONSOLE_JOBS_TABLE, CONSOLE_SESSIONS_TABLE, GROUP_QUEUES
  }

  /** Everything, for {@code sluice init}. */
  public static Set<Resource> everything() {
    return EnumSet.allOf(Resource.class);
  }

  /** What the given parts need before they start (the registry topic is always made by {@link #startRegistry}). */
  public static Set<Resource> neededBy(SluiceConfig config, Set<Part> parts) {
    Set<Resource> needs = EnumSet.noneOf(Resource.class);
    boolean gateway = parts.contains(Part.GATEWAY);
    boolean console = parts.contains(Part.CONSOLE);
    boolean demo = parts.contains(Part.DEMO);
    boolean captures = gateway && !config.ingress().capture().streams().isEmpty();
    boolean dynamoDedup = gateway && config.ingress().dedup().store() == IngressSettings.DedupStore.DYNAMODB;
    if (gateway || demo) {
      needs.add(Resource.STREAM_TOPICS);
    }
    if (captures || dynamoDedup || console || demo) {
      needs.add(Resource.QUARANTINE_TABLE);
    }
    if (console || demo) {
      needs.add(Resource.GROUPS_TABLE);
    }
    if (dynamoDedup) {
      needs.add(Resource.GATEWAY_DEDUP_TABLE);
    }
    if (console) {
      needs.add(Resource.CONSOLE_AUDIT_TABLE);
      needs.add(Resource.CONSOLE_JOBS_TABLE);
      needs.add(Resource.CONSOLE_SESSIONS_TABLE);
    }
    if (demo) {
      needs.add(Resource.DEMO_TABLE);
      needs.add(Resource.GROUP_QUEUES);
    }
    return needs;
  }

  // ------------------------------------------------------------------------------------------------------ registry

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
      throw new IllegalStateException("the schema registry did not start: " + rootMessage(e), e);
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

  // ------------------------------------------------------------------------------------------------------ all

  /** Provisions {@code what}; each outcome goes to {@code report} as it happens. Returns them all, in order. */
  public static List<Step> provision(SluiceConfig config, Set<Resource> what, Existing existing,
      StreamCatalog catalog, Consumer<Step> report) {
    List<Step> steps = new ArrayList<>();
    Consumer<Step> both = s -> {
      steps.add(s);
      report.accept(s);
    };
    if (what.contains(Resource.STREAM_TOPICS)) {
      ensureTopics(config, existing, catalog, both);
    }
    ProvisionSettings p = config.provision();
    boolean tables = what.stream().anyMatch(r -> r.name().endsWith("_TABLE"));
    if (tables) {
      try (DynamoDbClient dynamo = AwsClients.dynamo(config.aws())) {
        if (what.contains(Resource.QUARANTINE_TABLE)) {
          both.accept(ensureTable(dynamo, config.aws().quarantineTable(), "quarantine",
              t -> QuarantineTable.ensure(dynamo, t)));
        }
        if (what.contains(Resource.GROUPS_TABLE)) {
          both.accept(ensureTable(dynamo, config.groups().table(), "consumer groups",
              t -> run(() -> GroupRegistry.ensureTable(dynamo, t))));
        }
        if (what.contains(Resource.GATEWAY_DEDUP_TABLE)) {
          both.accept(ensureTable(dynamo, config.ingress().dedup().table(), "gateway dedup",
              t -> IdempotencyTable.MARKS.ensure(dynamo, t)));
        }
        if (what.contains(Resource.PROCESSED_EVENTS_TABLE)) {
          both.accept(ensureTable(dynamo, p.processedEventsTable(), "consumer dedup",
              t -> run(() -> ProcessedEvents.ensureDynamoTable(dynamo, t))));
        }
        if (what.contains(Resource.DEMO_TABLE)) {
          both.accept(ensureTable(dynamo, config.demo().catalogTable(), "demo view",
              t -> CatalogView.ensureTable(dynamo, t)));
        }
        if (what.contains(Resource.CONSOLE_AUDIT_TABLE)) {
          both.accept(ensureTable(dynamo, config.console().auditTable(), "console audit",
              t -> AuditTable.ensure(dynamo, t)));
        }
        if (what.contains(Resource.CONSOLE_JOBS_TABLE)) {
          both.accept(ensureTable(dynamo, config.console().jobs().table(), "console jobs",
              t -> JobStore.ensure(dynamo, t)));
        }
        if (what.contains(Resource.CONSOLE_SESSIONS_TABLE)) {
          both.accept(ensureTable(dynamo, config.console().auth().sessionTable(), "console sessions",
              t -> Sessions.ensureTable(dynamo, t)));
        }
      }
    }
    if (what.contains(Resource.GROUP_QUEUES) && !p.groups().isEmpty()) {
      try (SqsClient sqs = AwsClients.sqs(config.aws())) {
        for (String group : new TreeSet<>(p.groups())) {
          String prefix = config.aws().queuePrefix();
          ensureQueueWithDeadLetters(sqs, RedriveQueue.queueName(prefix, group),
              RedriveQueue.VISIBILITY_TIMEOUT_SECONDS, p, existing, "redrive, group " + group, both);
          ensureQueueWithDeadLetters(sqs, RetryQueue.queueName(prefix, group), RetryQueue.VISIBILITY_TIMEOUT_SECONDS,
              p, existing, "retry, group " + group, both);
        }
      }
    }
    return steps;
  }

  private static boolean run(Runnable r) {
    r.run();
    return true;
  }

  // ------------------------------------------------------------------------------------------------------ topics

  /**
   * One topic per stream: created with the stream's partitions, the configured replication factor, min ISR and
   * retention; an existing topic with fewer partitions is grown (Kafka cannot shrink one) and its min ISR and
   * retention set when they differ. Its replication factor is left alone: changing it is a reassignment, an
   * operator's decision.
   */
  static void ensureTopics(SluiceConfig config, Existing existing, StreamCatalog catalog, Consumer<Step> report) {
    ensureTopics(config.kafka().clientConfig(), config.topicReplicationFactor(),
        topicConfigs(config.provision().minInsyncReplicas(), config.provision().topicRetention()), existing, catalog,
        report);
  }

  /** The configs every stream topic gets. */
  public static Map<String, String> topicConfigs(int minInsyncReplicas, java.time.Duration retention) {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
    wanted.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    return wanted;
  }

  /** As above, for a caller without a {@link SluiceConfig}. */
  public static void ensureTopics(Map<String, String> kafkaProps, short replicationFactor, Map<String, String> wanted,
      Existing existing, StreamCatalog catalog, Consumer<Step> report) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      for (StreamDefinition stream : catalog.streams()) {
        String topic = stream.topic();
        TopicDescription current = describe(admin, topic);
        Outcome outcome;
        if (current == null) {
          try {
            get(admin.createTopics(List.of(new NewTopic(topic, stream.partitions(), replicationFactor)
                .configs(wanted))).all());
            outcome = Outcome.CREATED;
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
            outcome = existing == Existing.ALIGN && alignConfigs(admin, topic, wanted) ? Outcome.UPDATED
                : Outcome.EXISTS;
          }
        } else if (existing == Existing.LEAVE) {
          outcome = Outcome.EXISTS;
        } else {
          boolean grown = false;
          if (current.partitions().size() < stream.partitions()) {
            try {
              get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(stream.partitions()))).all());
            } catch (ExecutionException e) {
              throw new IllegalStateException("cannot grow topic " + topic + ": " + e.getCause(), e.getCause());
            }
            grown = true;
          }
          boolean aligned = alignConfigs(admin, topic, wanted);
          outcome = grown || aligned ? Outcome.UPDATED : Outcome.EXISTS;
        }
        TopicDescription now = describe(admin, topic);
        int partitions = now == null ? stream.partitions() : now.partitions().size();
        int replicas = now == null ? replicationFactor : now.partitions().get(0).replicas().size();
        String configs = outcome == Outcome.EXISTS && existing == Existing.LEAVE ? "configs not checked"
            : describeConfigs(wanted);
        report.accept(new Step(outcome, "kafka topic", topic, "stream " + stream.name() + ", " + partitions
            + " partitions, replication " + replicas + ", " + configs));
      }
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

  // ------------------------------------------------------------------------------------------------------ tables

  /** What the report compares before and after: existence, indexes, TTL. */
  private record TableShape(boolean exists, Set<String> indexes, String ttlAttribute) {
    static TableShape of(DynamoDbClient dynamo, String table) {
      TableDescription t;
      try {
        t = dynamo.describeTable(b -> b.tableName(table)).table();
      } catch (ResourceNotFoundException absent) {
        return new TableShape(false, Set.of(), null);
      }
      Set<String> indexes = new TreeSet<>();
      if (t.hasGlobalSecondaryIndexes()) {
        t.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).forEach(indexes::add);
      }
      TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
      boolean on = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
          || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
      return new TableShape(true, indexes, on ? ttl.attributeName() : null);
    }

    String describe() {
      return (indexes.isEmpty() ? "no indexes" : "indexes " + String.join(", ", indexes))
          + (ttlAttribute == null ? ", no TTL" : ", TTL on " + ttlAttribute);
    }
  }

  /** Runs the table owner's idempotent {@code ensure} and reports by comparing the table before and after. */
  private static Step ensureTable(DynamoDbClient dynamo, String table, String purpose,
      Function<String, Boolean> ensure) {
    TableShape before = TableShape.of(dynamo, table);
    ensure.apply(table);
    TableShape after = TableShape.of(dynamo, table);
    Outcome outcome = !before.exists() ? Outcome.CREATED : before.equals(after) ? Outcome.EXISTS : Outcome.UPDATED;
    return new Step(outcome, "dynamodb table", table, purpose + ", " + after.describe());
  }

  // ------------------------------------------------------------------------------------------------------ queues

  /**
   * The queue and its dead-letter queue ({@code <name>-dlq}): a request received {@code maxReceiveCount} times
   * without being deleted (a wrapper that keeps failing on it) moves there instead of cycling forever. The quarantine
   * item stays the source of truth, so a request lost to the dead-letter queue is resent by the wrapper's
   * resend-after rule; the dead letters are for looking at.
   */
  private static void ensureQueueWithDeadLetters(SqsClient sqs, String name, int visibilitySeconds,
      ProvisionSettings p, Existing existing, String purpose, Consumer<Step> report) {
    String dlqName = (name.length() <= 80 - DEAD_LETTER_SUFFIX.length() ? name
        : name.substring(0, 80 - DEAD_LETTER_SUFFIX.length())) + DEAD_LETTER_SUFFIX;
    Map<QueueAttributeName, String> dlqAttributes = Map.of(
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(DEAD_LETTER_RETENTION_SECONDS));
    QueueOutcome dlqOutcome = ensureQueue(sqs, dlqName, dlqAttributes, existing);
    String dlqUrl = sqs.getQueueUrl(b -> b.queueName(dlqName)).queueUrl();
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    report.accept(new Step(dlqOutcome.outcome(), "sqs queue", dlqName, "dead letters of " + name + ", retention "
        + DEAD_LETTER_RETENTION_SECONDS + " s" + dlqOutcome.note()));

    Map<QueueAttributeName, String> attributes = Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(p.queueRetention().toSeconds()),
        QueueAttributeName.REDRIVE_POLICY, new JsonObject().put("deadLetterTargetArn", dlqArn)
            .put("maxReceiveCount", p.maxReceiveCount()).encode());
    QueueOutcome outcome = ensureQueue(sqs, name, attributes, existing);
    report.accept(new Step(outcome.outcome(), "sqs queue", name, purpose + ", visibility " + visibilitySeconds
        + " s, retention " + p.queueRetention().toSeconds() + " s, dead letters after " + p.maxReceiveCount()
        + " receives" + outcome.note()));
  }

  /**
   * What happened to a queue, and the wanted attributes the service does not report at all: those it does not
   * support (ElasticMQ ignores MessageRetentionPeriod), which therefore cannot be checked. Real SQS reports them all.
   */
  record QueueOutcome(Outcome outcome, Set<String> unsupported) {
    String note() {
      return unsupported.isEmpty() ? "" : " (this SQS does not report " + String.join(", ", new TreeSet<>(unsupported))
          + ": not checked)";
    }
  }

  /** Creates the queue, or sets the attributes of an existing one that differ. */
  static QueueOutcome ensureQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> wanted,
      Existing existing) {
    String url;
    Outcome outcome;
    try {
      url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
      outcome = Outcome.EXISTS;
    } catch (QueueDoesNotExistException absent) {
      url = sqs.createQueue(b -> b.queueName(name).attributes(wanted)).queueUrl();
      outcome = Outcome.CREATED;
    }
    String queueUrl = url;
    Map<QueueAttributeName, String> current = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(QueueAttributeName.ALL)).attributes();
    Set<String> unsupported = new TreeSet<>();
    Map<QueueAttributeName, String> differing = new HashMap<>();
    wanted.forEach((attribute, value) -> {
      if (!current.containsKey(attribute)) {
        unsupported.add(attribute.toString());
      } else if (!sameAttribute(attribute, value, current.get(attribute))) {
        differing.put(attribute, value);
      }
    });
    if (differing.isEmpty() || (outcome == Outcome.EXISTS && existing == Existing.LEAVE)) {
      return new QueueOutcome(outcome, unsupported);
    }
    sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(differing));
    return new QueueOutcome(outcome == Outcome.CREATED ? Outcome.CREATED : Outcome.UPDATED, unsupported);
  }

  /** A RedrivePolicy is JSON: services differ in spacing and in quoting maxReceiveCount, so compare its fields. */
  private static boolean sameAttribute(QueueAttributeName attribute, String wanted, String current) {
    if (current == null) {
      return false;
    }
    if (attribute != QueueAttributeName.REDRIVE_POLICY) {
      return wanted.equals(current);
    }
    try {
      JsonObject a = new JsonObject(wanted);
      JsonObject b = new JsonObject(current);
      return String.valueOf(a.getValue("deadLetterTargetArn")).equals(String.valueOf(b.getValue("deadLetterTargetArn")))
          && String.valueOf(a.getValue("maxReceiveCount")).equals(String.valueOf(b.getValue("maxReceiveCount")));
    } catch (DecodeException e) {
      return false;
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** Counts per outcome, e.g. for "3 created, 9 exists, 0 updated". */
  public static Map<Outcome, Long> tally(Collection<Step> steps) {
    Map<Outcome, Long> counts = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      counts.put(o, steps.stream().filter(s -> s.outcome() == o).count());
    }
    return counts;
  }
}

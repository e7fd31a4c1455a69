package dev.sluice.schemas.registry.log;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's durable log: a compacted, single-partition Kafka topic (as Confluent Schema Registry keeps
 * {@code _schemas}), read from the beginning by every replica into its {@link SchemaRegistry}.
 *
 * <p>Threading. One daemon reader thread owns the consumer: it polls the topic, decodes each record and applies it to
 * the registry ({@link SchemaRegistry#update}), so the registry has exactly one writer and every replica applies the
 * same records in the same (log) order. Writers call {@link #append} from any thread (the gateway: worker threads);
 * it blocks until the broker acknowledged (acks=all, idempotent producer) and the reader has applied the record, so a
 * caller reads its own write. Single partition on purpose: the log order alone decides races between replicas.
 *
 * <p>Lifecycle: {@link #start} once, then {@link #close}. The registry starts empty and is filled from the log only:
 * state from anywhere else (e.g. schema files loaded directly) could disagree with other replicas.
 */
public final class RegistryLog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RegistryLog.class.getName());
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long READER_BACKOFF_MS = 1_000;
  private static final long RETRY_PAUSE_MS = 100;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final RegistryLogConfig config;
  private final Map<String, String> clientProps;
  private final Supplier<String> writeIds;
  private final TopicPartition partition;
  /** Tells this instance's clients apart in broker logs and JMX (several replicas may share one JVM in tests). */
  private final String clientSuffix = UUID.randomUUID().toString().substring(0, 8);
  private final SchemaRegistry registry = new SchemaRegistry(RegistryState.empty());

  /** Guards {@link #applied} and {@link #readerFailure}; waiters for read-your-writes wait on it. */
  private final Object progress = new Object();
  /** Every record below this offset has been applied to {@link #registry}. */
  private long applied;
  /** Set if the reader thread died of an Error: nothing will be applied any more. */
  private Throwable readerFailure;

  private volatile boolean closing;
  private volatile boolean running;
  private boolean started;
  private KafkaProducer<String, String> producer;
  private KafkaConsumer<String, String> consumer;
  private Thread reader;

  /**
   * @param clientProps Kafka client properties passed to every client as given ({@code bootstrap.servers}, security
   *     settings); the log sets its own serializers, acks, idempotence and timeouts on top
   */
  public RegistryLog(RegistryLogConfig config, Map<String, String> clientProps) {
    this(config, clientProps, () -> UUID.randomUUID().toString());
  }

  RegistryLog(RegistryLogConfig config, Map<String, String> clientProps, Supplier<String> writeIds) {
    this.config = Objects.requireNonNull(config, "config");
    this.clientProps = Map.copyOf(Objects.requireNonNull(clientProps, "clientProps"));
    this.writeIds = Objects.requireNonNull(writeIds, "writeIds");
    this.partition = new TopicPartition(config.topic(), 0);
  }

  /** The registry this log fills; empty until {@link #start} returns. */
  public SchemaRegistry registry() {
    return registry;
  }

  public RegistryLogConfig config() {
    return config;
  }

  /**
   * Creates the topic if missing, reads the whole log, then appends whatever of {@code bootstrap} is missing (types
   * with no version, streams not defined). Blocks until done, within the start timeout.
   *
   * <p>Bootstrapping is idempotent and safe to race: a type's first version is the first v1 record in the log, and
   * a stream is the last definition put, so replicas bootstrapping the same catalog at once end in one state.
   *
   * @throws RegistryLogException when the topic is unusable or the log cannot be read or written in time
   */
  public synchronized void start(StreamCatalog bootstrap) {
    if (started) {
      throw new IllegalStateException("the registry log was already started");
    }
    started = true;
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    try {
      long endAtStart;
      Admin admin = Admin.create(adminConfig());
      try {
        ensureTopic(admin, deadline);
        endAtStart = endOffset(admin, deadline);
      } finally {
        admin.close(CLOSE_TIMEOUT);
      }
      producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
      consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
      reader = new Thread(this::readLoop, "sluice-registry-reader-" + config.topic());
      reader.setDaemon(true);
      reader.start();
      running = true;
      if (!awaitApplied(endAtStart, deadline)) {
        throw new RegistryLogException("could not read the registry topic " + config.topic() + " up to offset "
            + endAtStart + " within " + config.startTimeout());
      }
      List<RegistryRecord> missing = missingBootstrap(registry.state(), bootstrap);
      if (!missing.isEmpty()) {
        append(missing);
      }
      RegistryState s = registry.state();
      LOG.log(System.Logger.Level.INFO, "registry read from topic {0} up to offset {1} ({2} types, {3} streams; {4} "
          + "bootstrap records appended)", config.topic(), Long.toString(endAtStart), s.types().size(),
          s.streamNames().size(), missing.size());
      warnUnusable(s);
    } catch (RegistryUnavailableException e) {
      close();
      throw new RegistryLogException("could not bootstrap the registry: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The bootstrap records whose subject the state does not have yet: types with no version, streams not defined. */
  static List<RegistryRecord> missingBootstrap(RegistryState state, StreamCatalog catalog) {
    List<RegistryRecord> out = new ArrayList<>();
    for (RegistryRecord r : SchemaRegistry.bootstrapRecords(catalog)) {
      if (r instanceof RegistryRecord.SchemaRegistered s && state.versions(s.type()).isEmpty()) {
        out.add(r);
      } else if (r instanceof RegistryRecord.StreamPut p && state.stream(p.stream().name()).isEmpty()) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Appends records in order and returns once the broker acknowledged all of them (acks=all) and this process's
   * registry has applied them (read-your-writes), within the write timeout. Thread-safe.
   *
   * @throws RegistryUnavailableException when that does not happen in time; the records may still land later
   */
  public void append(List<RegistryRecord> records) throws RegistryUnavailableException {
    if (!running || closing) {
      throw new RegistryUnavailableException("the registry log is not running", null);
    }
    long deadline = System.nanoTime() + config.writeTimeout().toNanos();
    long last = -1;
    try {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (RegistryRecord r : records) {
        RegistryRecordCodec.Encoded e = RegistryRecordCodec.encode(r, writeIds.get());
        acks.add(producer.send(new ProducerRecord<>(config.topic(), 0, e.key(), e.value())));
      }
      for (Future<RecordMetadata> ack : acks) {
        last = Math.max(last, ack.get(remainingMillis(deadline), TimeUnit.MILLISECONDS).offset());
      }
    } catch (ExecutionException e) {
      throw new RegistryUnavailableException("the broker did not acknowledge the registry write: " + e.getCause(),
          e.getCause());
    } catch (TimeoutException | KafkaException e) {
      throw new RegistryUnavailableException("the broker did not acknowledge the registry write within "
          + config.writeTimeout() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while writing the registry", e);
    }
    if (!awaitApplied(last + 1, deadline)) {
      throw new RegistryUnavailableException("the registry write (offset " + last + ") was acknowledged but not "
          + "read back within " + config.writeTimeout(), null);
    }
  }

  /** Stops the reader and closes the clients. Idempotent. */
  @Override
  public synchronized void close() {
    closing = true;
    running = false;
    synchronized (progress) {
      progress.notifyAll();
    }
    if (reader != null) {
      consumer.wakeup();
      try {
        reader.join(CLOSE_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (consumer != null) {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    }
    if (producer != null) {
      producer.close(CLOSE_TIMEOUT);
    }
  }

  // ------------------------------------------------------------------------------------------------------- reader

  private void readLoop() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closing) {
        try {
          ConsumerRecords<String, String> records = consumer.poll(POLL);
          if (!records.isEmpty()) {
            applyAll(records.records(partition));
          }
          // After a poll the position is known locally (the next offset to fetch, past compacted gaps). Before the
          // first fetch it may need a round trip; a timeout then is normal and retried by the next turn.
          advance(consumer.position(partition, POLL));
        } catch (WakeupException e) {
          // close() woke us; the loop condition ends the loop.
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          LOG.log(System.Logger.Level.DEBUG, "registry reader: position not known yet: {0}", e.toString());
        } catch (KafkaException e) {
          // Broker unreachable, authorization revoked...: keep trying; writes wait (bounded) meanwhile.
          LOG.log(System.Logger.Level.WARNING, "registry reader on {0} failed, retrying: {1}", config.topic(),
              e.toString());
          pause(READER_BACKOFF_MS);
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "registry reader on " + config.topic() + " stopped; the registry will not "
          + "change any more in this process", e);
      synchronized (progress) {
        readerFailure = e;
        progress.notifyAll();
      }
    } finally {
      try {
        consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the registry reader: {0}", e.toString());
      }
    }
  }

  /** Decodes a poll's records and applies them in order, in one swap of the registry's state. */
  /**
   * Every version in the log was compiled again under today's rules while it was read; those the rules now refuse
   * (registered before a limit existed) cannot validate events until a new version is registered, so say which.
   */
  private static void warnUnusable(RegistryState state) {
    for (String type : new java.util.TreeSet<>(state.types())) {
      for (SchemaVersion v : state.versions(type)) {
        if (!v.usable()) {
          LOG.log(System.Logger.Level.WARNING, "schema version {0} of {1} is refused by the registry''s current rules "
              + "and cannot validate events (they are refused, or quarantined, with keyword {2}) until a new "
              + "version is registered: {3}", v.version(), type, SchemaVersion.UNUSABLE_KEYWORD, v.problems());
        }
      }
    }
  }

  private void applyAll(List<ConsumerRecord<String, String>> records) {
    List<RegistryRecord> decoded = new ArrayList<>(records.size());
    for (ConsumerRecord<String, String> r : records) {
      RegistryRecordCodec.Decoded d = RegistryRecordCodec.decode(r.key(), r.value());
      if (d instanceof RegistryRecordCodec.Decoded.Record ok) {
        decoded.add(ok.record());
      } else {
        LOG.log(System.Logger.Level.WARNING, "registry record at {0}-{1} skipped: {2}", config.topic(),
            Long.toString(r.offset()), ((RegistryRecordCodec.Decoded.Skip) d).reason());
      }
    }
    if (decoded.isEmpty()) {
      return;
    }
    registry.update(state -> {
      RegistryState next = state;
      for (RegistryRecord r : decoded) {
        try {
          next = next.apply(r);
        } catch (RuntimeException | StackOverflowError e) {
          // Deterministic code on the same record: every replica skips it alike, so they still agree.
          LOG.log(System.Logger.Level.ERROR, "registry record skipped, it cannot be applied: " + r, e);
        }
      }
      return next;
    });
  }

  private void advance(long position) {
    synchronized (progress) {
      if (position > applied) {
        applied = position;
        progress.notifyAll();
      }
    }
  }

  /** Waits until every record below {@code offset} is applied; false on timeout, close, or a dead reader. */
  private boolean awaitApplied(long offset, long deadlineNanos) {
    synchronized (progress) {
      while (applied < offset) {
        long waitMs = remainingMillis(deadlineNanos);
        if (waitMs <= 0 || closing || readerFailure != null) {
          return false;
        }
        try {
          progress.wait(waitMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  // ------------------------------------------------------------------------------------------------------ topic

  /** Creates the topic if missing, then checks it is fit to hold the registry. */
  private void ensureTopic(Admin admin, long deadline) {
    String topic = config.topic();
    TopicDescription description = describe(admin, deadline);
    if (description == null) {
      int brokers = get(admin.describeCluster().nodes(), deadline, "describe the cluster").size();
      short replicas = (short) Math.min(config.replicationFactor(), Math.max(1, brokers));
      NewTopic newTopic = new NewTopic(topic, 1, replicas).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, replicas))));
      try {
        get(admin.createTopics(List.of(newTopic)).all(), deadline, "create topic " + topic);
        LOG.log(System.Logger.Level.INFO, "created registry topic {0} (1 partition, {1} replicas, compacted)", topic,
            Short.toString(replicas));
      } catch (RegistryLogException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        // Another replica created it first: fine, it is checked below like any existing topic.
      }
      while ((description = describe(admin, deadline)) == null) {
        pause(RETRY_PAUSE_MS);
      }
    }
    if (description.partitions().size() != 1) {
      throw new RegistryLogException("registry topic " + topic + " has " + description.partitions().size()
          + " partitions; it needs exactly 1, so that the log order decides between replicas");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config topicConfig = get(admin.describeConfigs(List.of(resource)).values().get(resource), deadline,
        "describe topic " + topic);
    ConfigEntry cleanup = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    if (cleanup == null || !TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanup.value())) {
      throw new RegistryLogException("registry topic " + topic + " has cleanup.policy="
          + (cleanup == null ? "?" : cleanup.value()) + "; it must be exactly compact, or schemas would be deleted");
    }
  }

  /** The topic's description, or null if it does not exist (yet). */
  private TopicDescription describe(Admin admin, long deadline) {
    try {
      return get(admin.describeTopics(List.of(config.topic())).topicNameValues().get(config.topic()), deadline,
          "describe topic " + config.topic());
    } catch (RegistryLogException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  private long endOffset(Admin admin, long deadline) {
    while (true) {
      try {
        return get(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition), deadline,
            "read the end offset of " + config.topic()).offset();
      } catch (RegistryLogException e) {
        // Right after creation the partition may not have a leader yet.
        if (!(e.getCause() instanceof RetriableException) || remainingMillis(deadline) <= 0) {
          throw e;
        }
        pause(RETRY_PAUSE_MS);
      }
    }
  }

  private <T> T get(KafkaFuture<T> future, long deadline, String what) {
    try {
      return future.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new RegistryLogException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new RegistryLogException("could not " + what + " within the start timeout " + config.startTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryLogException("interrupted while trying to " + what, e);
    }
  }

  // ------------------------------------------------------------------------------------------------------ configs

  private Map<String, Object> adminConfig() {
    Map<String, Object> c = new HashMap<>(clientProps);
    c.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-registry-admin-" + clientSuffix);
    return c;
  }

  /**
   * Durable and bounded: acks=all with idempotence (no duplicates or reordering from retries), no lingering, and every
   * wait (metadata, request, delivery with retries) within the write timeout.
   */
  Map<String, Object> producerConfig() {
    String timeout = Long.toString(config.writeTimeout().toMillis());
    Map<String, Object> c = new HashMap<>(clientProps);
    c.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    c.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-registry-writer-" + clientSuffix);
    return c;
  }

  /** No consumer group: the partition is assigned and always read from the beginning, nothing is committed. */
  Map<String, Object> consumerConfig() {
    Map<String, Object> c = new HashMap<>(clientProps);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-registry-reader-" + clientSuffix);
    return c;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

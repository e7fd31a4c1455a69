package dev.sluice.quarantine.consumer;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.ServiceVerticles;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.quarantine.storm.StormStore;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One wrapped consumer group on the real test engines, with a topic, quarantine table and queues of its own (so tests
 * sharing the engines never meet), a scripted handler, and blocking helpers to produce and look. The consumer runs in
 * a verticle, as a service would run it; it can be stopped and started again (a restart or rebalance).
 */
final class WrapperHarness implements AutoCloseable {
  /** Short policies so that tests see every tier within seconds. */
  static WrapperConfig fastConfig(String group, String topic) {
    return new WrapperConfig(group, java.util.Set.of(topic),
        new BackoffPolicy(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 3),
        dev.sluice.quarantine.retry.RetryClassifier.defaults(), 5, Duration.ofMinutes(2), Duration.ofSeconds(5),
        Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(5),
        DelayedRetry.of(2, BackoffPolicy.decorrelated(Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
            Optional.empty())).withReceiveWait(Duration.ofSeconds(1)),
        Duration.ofMillis(500), Duration.ofMillis(200));
  }

  final Vertx vertx = Vertx.vertx();
  final String topic;
  final String group;
  final String table;
  final String prefix;
  final ScriptedHandler handler = new ScriptedHandler();
  final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Map<String, String> kafkaProps;
  final DynamoDbClient dynamo;
  final SqsClient sqs;
  final QuarantineStore store;
  final RetryQueue retryQueue;
  final RedriveQueue redriveQueue;
  final SchemaRegistry registry;
  final WrapperConfig config;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ServiceVerticles consumers = new ServiceVerticles(vertx);
  private final List<QuarantiningPollLoop> pollLoops = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The storms table, when the configuration turns the storm breaker on: one of the harness's own unless given. */
  private String stormsTable;

  WrapperHarness(Engines engines, OrderingPolicy ordering, int partitions, UnaryOperator<WrapperConfig> tune)
      throws Exception {
    this(engines, ordering, partitions, tune, engines.dynamoEndpoint(), engines.sqsEndpoint());
  }

  /** Where the wrapper's store and queues live: separate engines for the outage tests. */
  WrapperHarness(Engines engines, OrderingPolicy ordering, int partitions, UnaryOperator<WrapperConfig> tune,
      String dynamoEndpoint, String sqsEndpoint) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    topic = "w-" + suffix;
    group = "g-" + suffix;
    table = "q-" + suffix;
    prefix = "p" + suffix;
    kafkaProps = Map.of("bootstrap.servers", engines.bootstrapServers());
    AwsConfig aws = AwsConfig.local(dynamoEndpoint, sqsEndpoint);
    dynamo = AwsClients.dynamo(aws);
    sqs = AwsClients.sqs(aws);
    QuarantineTable.ensure(dynamo, table);
    store = new QuarantineStore(vertx, dynamo, table, Clock.systemUTC());
    retryQueue = new RetryQueue(vertx, sqs, prefix, Clock.systemUTC());
    redriveQueue = new RedriveQueue(vertx, sqs, prefix);
    registry = SchemaRegistry.fromCatalog(StreamCatalog.parse(new JsonObject().put("streams",
        new io.vertx.core.json.JsonArray().add(new JsonObject()
            .put("name", topic).put("topic", topic).put("partitions", partitions).put("ordering", ordering.name())
            .put("types", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("type", "retail.product.created").put("partitionKey", "/id")
                    .put("schema", "retail.product.created.json"))))).encode(), "harness"));
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    producer = new KafkaProducer<>(new HashMap<String, Object>(Map.of("bootstrap.servers", engines.bootstrapServers(),
        "acks", "all")), new ByteArraySerializer(), new ByteArraySerializer());
    config = tune.apply(fastConfig(group, topic));
    if (config.concurrency().concurrent()) {
      // Calls that end out of order, as real I/O does: records handled side by side then finish in any order.
      handler.endWithin(20);
    }
  }

  /**
   * The storms table the group's breaker keeps its storms in, e.g. the one a running console reads; created if it is
   * not there. Before the first consumer starts.
   */
  WrapperHarness storms(String table) {
    StormStore.ensure(dynamo, table);
    this.stormsTable = table;
    return this;
  }

  /** The storms of the breaker, read through the real store (on the harness's Vert.x). */
  StormStore stormStore() {
    return new StormStore(new WorkerTable(vertx, dynamo, stormsTable(), Clock.systemUTC()));
  }

  private String stormsTable() {
    if (stormsTable == null) {
      storms("s-" + group.substring(2));
    }
    return stormsTable;
  }

  /** The builder's settings every wrapper of the harness has, whichever front end. */
  private <B extends WrapperBuilder<B, H>, H> B wired(B builder) {
    builder.kafka(kafkaProps).store(dynamo, table).queues(sqs, prefix).schemas(registry).meters(meters);
    return config.stormBreaker().enabled() ? builder.storms(stormsTable()) : builder;
  }

  /**
   * Starts (or starts again) a wrapped consumer of the group in a verticle of its own. A second one started while the
   * first runs joins the group: the partitions are rebalanced between them.
   */
  String startConsumer() throws Exception {
    return startConsumer(b -> b);
  }

  /** As {@link #startConsumer()}, with more settings of the builder. */
  String startConsumer(UnaryOperator<QuarantiningConsumer.Builder> more) throws Exception {
    QuarantiningConsumer consumer = more.apply(wired(QuarantiningConsumer.builder(config))
        .handler(handler))
        .build(vertx);
    return consumers.start(consumer::start, consumer::stop);
  }

  void stopConsumer(String deployment) throws Exception {
    consumers.stop(deployment);
  }

  /** Stops every consumer this harness started. */
  void stopConsumer() throws Exception {
    consumers.stopAll();
  }

  /**
   * Starts a plain poll-loop consumer of the group (no Vert.x on the caller's side), built only from the public
   * builder, with the scripted handler run as a blocking one; it shares the group, store and queues with any wrapped
   * consumer started here.
   */
  QuarantiningPollLoop startPollLoop() {
    return startPollLoop(b -> b);
  }

  /** As {@link #startPollLoop()}, with more settings of the builder. */
  QuarantiningPollLoop startPollLoop(UnaryOperator<QuarantiningPollLoop.Builder> more) {
    QuarantiningPollLoop loop = more.apply(wired(QuarantiningPollLoop.builder(config))
        .handler(handler.blocking()))
        .build();
    pollLoops.add(loop);
    loop.start();
    return loop;
  }

  void stopPollLoop(QuarantiningPollLoop loop) {
    if (pollLoops.remove(loop)) {
      loop.close();
    }
  }

  QuarantineItem discard(RecordMetadata written) throws Exception {
    return store.operator().discard(idOf(written), "not needed", "it-operator").toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  static JsonObject product(String id, String script) {
    return new JsonObject().put("id", id).put("brand", "Acme").put("name", script).put("category", "tools")
        .put("price", 10);
  }

  /** A binary-mode CloudEvent, as the gateway writes it, keyed by the product id. */
  RecordMetadata produce(int partition, String productId, String script) throws Exception {
    CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), "/it/wrapper", "retail.product.created",
        "application/json", null, null, null, Map.of(), product(productId, script).encode());
    return produceRaw(partition, productId, e.data().getBytes(StandardCharsets.UTF_8),
        CloudEventKafkaBinding.headers(e));
  }

  RecordMetadata produceRaw(int partition, String key, byte[] value, List<KafkaHeader> headers) throws Exception {
    List<Header> h = headers.stream().map(x -> (Header) new RecordHeader(x.key(), x.value())).toList();
    return producer.send(new ProducerRecord<>(topic, partition,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, h)).get(30, TimeUnit.SECONDS);
  }

  String idOf(RecordMetadata written) {
    return QuarantineItem.idFor(group, topic, written.partition(), written.offset());
  }

  Optional<QuarantineItem> item(RecordMetadata written) {
    try {
      return store.get(idOf(written)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  QuarantineItem awaitItem(RecordMetadata written, QuarantineStatus status, Duration within) {
    return Eventually.await("item of " + written.partition() + "@" + written.offset() + " " + status, within,
        () -> item(written).filter(i -> i.status() == status));
  }

  long committed(int partition) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS).get(new TopicPartition(topic, partition));
      return o == null ? -1 : o.offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void awaitCommitted(int partition, long atLeast, Duration within) {
    Eventually.await("committed offset of " + partition + " >= " + atLeast, within,
        () -> committed(partition) >= atLeast ? Optional.of(true) : Optional.empty());
  }

  @Override
  public void close() throws Exception {
    try {
      stopConsumer();
      for (QuarantiningPollLoop loop : List.copyOf(pollLoops)) {
        stopPollLoop(loop);
      }
    } finally {
      producer.close(Duration.ofSeconds(5));
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      dynamo.close();
      sqs.close();
    }
  }
}

package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.config.TableSettings;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.ServiceVerticles;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.consumer.DelayedRetry;
import dev.sluice.quarantine.consumer.QuarantiningConsumer;
import dev.sluice.quarantine.consumer.QuarantiningPollLoop;
import dev.sluice.quarantine.consumer.WrapperBuilder;
import dev.sluice.quarantine.consumer.WrapperConfig;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A stream of a test's own on the running stack (registered through the gateway's registry API, so the console knows
 * it), a producer of its events, the console's replay API, and wrapped consumers of a group of it that record what
 * their handler saw ({@link ReplayRecorder}). One per test; closed after it.
 */
final class ReplayStream implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String CREATED = "retail.product.created";
  /** A type the wrappers here accept besides {@link #CREATED}, with the same data. */
  static final String REPRICED = "retail.product.repriced";

  final Stack stack;
  final String stream;
  final int partitions;
  final Http operator = Http.operator();
  final Vertx vertx = Vertx.vertx();
  final QuarantineStore quarantine;
  private final KafkaProducer<byte[], byte[]> producer;
  private final SqsClient sqs;
  private final SchemaRegistry registry;
  private final ServiceVerticles consumers = new ServiceVerticles(vertx);

  ReplayStream(Stack stack, int partitions) throws Exception {
    // A second type of the same shape, for slices by type (the console needs only the stream's topic).
    this(stack, partitions, List.of(CREATED, REPRICED), "retail.product.created.json");
  }

  /** A stream of the one registered {@code type} (its schema {@code <type>.json}), keyed by {@code /id}. */
  ReplayStream(Stack stack, int partitions, String type) throws Exception {
    this(stack, partitions, List.of(type), type + ".json");
  }

  /**
   * A stream of its own, which the gateway serves with the first of {@code wrapperTypes} bound, and the wrappers'
   * registry with every one of them, each checked against {@code schema}.
   */
  private ReplayStream(Stack stack, int partitions, List<String> wrapperTypes, String schema) throws Exception {
    this.stack = stack;
    this.partitions = partitions;
    this.stream = "it-replay-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject definition = new JsonObject().put("topic", stream).put("partitions", partitions)
        .put("ordering", "KEY_ORDERED").put("types", new JsonArray().add(new JsonObject()
            .put("type", wrapperTypes.get(0)).put("partitionKey", "/id")));
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(stack.gatewayUrl() + "/v1/streams/" + stream))
        .header("Authorization", "Bearer " + Http.DEV_ADMIN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(definition.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    // The wrapper's own view of the catalog: the same stream, with the types' schema.
    JsonArray bindings = new JsonArray();
    wrapperTypes.forEach(t -> bindings.add(new JsonObject().put("type", t).put("partitionKey", "/id")
        .put("schema", schema)));
    registry = SchemaRegistry.fromCatalog(StreamCatalog.parse(new JsonObject().put("streams", new JsonArray()
        .add(definition.copy().put("name", stream).put("types", bindings))).encode(), "replay-it"));
    producer = new KafkaProducer<>(new HashMap<String, Object>(Map.of("bootstrap.servers",
        stack.engines().bootstrapServers(), "acks", "all")), new ByteArraySerializer(), new ByteArraySerializer());
    sqs = AwsClients.sqs(AwsConfig.local(stack.engines().dynamoEndpoint(), stack.engines().sqsEndpoint()));
    quarantine = new QuarantineStore(vertx, stack.dynamo(), stack.quarantineTable(), Clock.systemUTC());
  }

  static String newGroup() {
    return "it-replay-g-" + UUID.randomUUID().toString().substring(0, 8);
  }

  // ---------------------------------------------------------------------------------------------------- events

  /** A product event, binary mode as the gateway writes it, keyed by the product id; {@code name} scripts it. */
  RecordMetadata produce(String productId, String name) throws Exception {
    return produce(productId, name, null);
  }

  /** As {@link #produce(String, String)}, with the record's time set to {@code timestamp} (null: now). */
  RecordMetadata produce(String productId, String name, Long timestamp) throws Exception {
    return produce(CREATED, productId, name, timestamp);
  }

  /** As {@link #produce(String, String, Long)}, of CloudEvent type {@code type}. */
  RecordMetadata produce(String type, String productId, String name, Long timestamp) throws Exception {
    CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), "/it/replay", type,
        "application/json", null, null, null, Map.of(), new JsonObject().put("id", productId).put("brand", "Acme")
        .put("name", name).put("category", "tools").put("price", 10).encode());
    List<Header> headers = CloudEventKafkaBinding.headers(e).stream()
        .map(h -> (Header) new RecordHeader(h.key(), h.value())).toList();
    return send(new ProducerRecord<>(stream, null, timestamp, productId.getBytes(StandardCharsets.UTF_8),
        e.data().getBytes(StandardCharsets.UTF_8), headers));
  }

  /** {@code count} events of {@code products} products in turn: product {@code p-(i % products)}, named h-i. */
  List<RecordMetadata> produceHistory(int count, int products) throws Exception {
    List<RecordMetadata> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      written.add(produce("p-" + (i % products), "h-" + i));
    }
    return written;
  }

  /** Bytes that are no CloudEvent at all: poison, quarantined without reaching the handler. */
  RecordMetadata producePoison(String key) throws Exception {
    return producePoison(key, null);
  }

  /** As {@link #producePoison(String)}, with the record's time set to {@code timestamp} (null: now). */
  RecordMetadata producePoison(String key, Long timestamp) throws Exception {
    return send(new ProducerRecord<>(stream, null, timestamp, key.getBytes(StandardCharsets.UTF_8),
        "not a cloud event".getBytes(StandardCharsets.UTF_8)));
  }

  private RecordMetadata send(ProducerRecord<byte[], byte[]> record) throws Exception {
    return producer.send(record).get(30, TimeUnit.SECONDS);
  }

  Admin admin() {
    return Admin.create(new HashMap<String, Object>(stack.kafkaProps()));
  }

  // ---------------------------------------------------------------------------------------------------- the API

  Http.Response startReplay(Http as, String group, String from) {
    return as.post(stack.consoleUrl() + "/api/v1/replays", "application/json",
        new JsonObject().put("stream", stream).put("group", group).put("from", from).encode());
  }

  /** Starts a replay as the operator; fails the test unless it is 201. */
  JsonObject started(String group, String from) {
    Http.Response r = startReplay(operator, group, from);
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  JsonObject replay(String id) {
    Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/replays/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  JsonObject awaitState(String id, String state) {
    return Eventually.await("replay " + id + " " + state, WAIT,
        () -> Optional.of(replay(id)).filter(r -> r.getString("state").equals(state)));
  }

  /** Asserts that the dev operator's {@code actions} on replay {@code id} are in the audit log. */
  void assertAudited(String id, List<String> actions) {
    for (String action : actions) {
      String audit = operator.get(stack.consoleUrl() + "/api/v1/audit?action=" + action + "&actor=dev-operator").body();
      assertTrue(audit.contains("replay " + id), action + " audited: " + audit);
    }
  }

  Optional<QuarantineItem> item(String group, RecordMetadata written) {
    try {
      return quarantine.get(QuarantineItem.idFor(group, stream, written.partition(), written.offset()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- consumers

  /** A short-interval configuration: the replay's progress is read and recorded every 300 ms. */
  WrapperConfig config(String group) {
    return WrapperConfig.of(group, Set.of(stream),
        new BackoffPolicy(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 3)).with(d -> {
          d.maxPollRecords = 5;
          d.delayed = DelayedRetry.disabled();
          d.laneRefresh = Duration.ofMillis(300);
          d.commitInterval = Duration.ofMillis(200);
          d.redriveWait = Duration.ofSeconds(1);
        });
  }

  /** A wrapper builder on the stack's engines, replay-aware, for this stream. */
  private <B extends WrapperBuilder<B, H>, H> B onTheStack(B builder) {
    return builder.kafka(stack.kafkaProps())
        .store(stack.dynamo(), stack.quarantineTable())
        .queues(sqs, "sluice")
        .schemas(registry)
        .replays(TableSettings.DEFAULT_REPLAYS_TABLE);
  }

  /** Starts a replay-aware Vert.x wrapper of {@code group} around {@code recorder}, in a verticle of its own. */
  String startConsumer(String group, ReplayRecorder recorder) throws Exception {
    return startConsumer(group, recorder, new SimpleMeterRegistry());
  }

  /** As {@link #startConsumer(String, ReplayRecorder)}, its meters in {@code meters}. */
  String startConsumer(String group, ReplayRecorder recorder, MeterRegistry meters) throws Exception {
    return startConsumer(group, recorder, meters, b -> b);
  }

  /** As {@link #startConsumer(String, ReplayRecorder, MeterRegistry)}, with more settings of the builder. */
  String startConsumer(String group, ReplayRecorder recorder, MeterRegistry meters,
      java.util.function.UnaryOperator<QuarantiningConsumer.Builder> more) throws Exception {
    QuarantiningConsumer consumer = more.apply(onTheStack(QuarantiningConsumer.builder(config(group)))
        .meters(meters)
        .handler(recorder.handler(vertx)))
        .build(vertx);
    return consumers.start(consumer::start, consumer::stop);
  }

  /** A replay-aware plain poll loop of {@code group} around {@code recorder}'s blocking handler: start and close it. */
  QuarantiningPollLoop pollLoop(String group, ReplayRecorder recorder) {
    return onTheStack(QuarantiningPollLoop.builder(config(group)))
        .handler(recorder.blocking())
        .build();
  }

  @Override
  public void close() throws Exception {
    try {
      consumers.stopAll();
    } finally {
      producer.close(Duration.ofSeconds(5));
      sqs.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}

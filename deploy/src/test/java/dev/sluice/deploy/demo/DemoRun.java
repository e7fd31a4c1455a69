package dev.sluice.deploy.demo;

import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.KeyTable;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealed;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.deploy.provision.Provisioner;
import dev.sluice.deploy.provision.TopicProvisioner;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.SluiceProcess;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * One run of the demo consumer {@code catalog-builder} as its own process ({@code ./sluice demo}) against test engines:
 * a consumer group, quarantine table, view table and queue prefix of its own (so it never meets other tests on the
 * shared engines), the group's offsets moved to the end of {@code retail} before it first starts (so it reads only
 * this run's records), a raw producer of good and poison records, and blocking looks at offsets, tables and metrics.
 */
final class DemoRun implements AutoCloseable {
  static final String TOPIC = "retail";
  private static final String SOURCE = "/it/demo";

  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String group = "demo-" + run;
  final String quarantineTable = "dq-" + run;
  /**
   * The data subjects' keys the run's demo processes and {@link #sendPhotographer} (which seals as the gateway does)
   * use: the test stack's, when the run shares its engines (the stack's own demo consumer reads the same topic and must
   * open what this run seals), else a table and a KEK of the run's own.
   */
  private final String keysTable;
  private final String kekUri;
  private io.vertx.core.Vertx sealingVertx;
  private KeyRing sealingKeys;
  final String viewTable = "dv-" + run;
  final int port = FreePorts.pick();
  final Map<String, String> kafkaProps;
  /** Where the demo's store and view live: the test run's DynamoDB Local, or one the test stops and starts. */
  final DynamoDbClient dynamo;
  private final String bootstrapServers;
  private final String dynamoEndpoint;
  private final String sqsEndpoint;
  private final KafkaProducer<byte[], byte[]> producer;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  DemoRun(String bootstrapServers, String dynamoEndpoint, String sqsEndpoint) {
    this(bootstrapServers, dynamoEndpoint, sqsEndpoint, Optional.empty());
  }

  /** @param stackKeys the test stack's key table and KEK, when the run shares the stack's engines */
  DemoRun(String bootstrapServers, String dynamoEndpoint, String sqsEndpoint, Optional<CryptoSettings> stackKeys) {
    this.bootstrapServers = bootstrapServers;
    this.dynamoEndpoint = dynamoEndpoint;
    this.sqsEndpoint = sqsEndpoint;
    this.kafkaProps = Map.of("bootstrap.servers", bootstrapServers);
    this.dynamo = AwsClients.dynamo(AwsConfig.local(dynamoEndpoint, sqsEndpoint));
    this.producer = new KafkaProducer<>(new HashMap<String, Object>(Map.of(
        "bootstrap.servers", bootstrapServers, "acks", "all", "linger.ms", "5")),
        new ByteArraySerializer(), new ByteArraySerializer());
    this.keysTable = stackKeys.map(CryptoSettings::keysTable).orElse("dk-" + run);
    try {
      this.kekUri = stackKeys.isPresent() ? stackKeys.get().kekUri()
          : "local:" + Files.createTempDirectory("sluice-demo-kek").resolve("kek.json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The demo process, configured for this run; not started. */
  SluiceProcess process(Path workDir) {
    return process(workDir, Map.of());
  }

  /** The demo process, configured for this run with some keys added or changed; not started. */
  SluiceProcess process(Path workDir, Map<String, String> overrides) {
    return process(workDir, group, viewTable, port, overrides);
  }

  /**
   * A demo process of another group of this run, with a view table and port of its own (the run's quarantine table
   * and queue prefix), and some keys added or changed; not started. {@code workDir} holds its config and log.
   */
  SluiceProcess process(Path workDir, String group, String viewTable, int port, Map<String, String> overrides) {
    Map<String, String> config = new HashMap<>();
    config.put("sluice.kafka.bootstrap.servers", bootstrapServers);
    // Static membership: a consumer restarted after a crash takes its old place in the group at once, instead of
    // waiting out the dead member's session (45 s by default) before the partitions are assigned again.
    config.put("sluice.kafka.group.instance.id", group + "-1");
    config.put("sluice.dynamodb.endpoint", dynamoEndpoint);
    config.put("sluice.sqs.endpoint", sqsEndpoint);
    config.put("sluice.dynamodb.table", quarantineTable);
    config.put("sluice.sqs.queue.prefix", "d" + run);
    config.put("sluice.demo.group", group);
    config.put("sluice.demo.table", viewTable);
    config.put("sluice.demo.port", Integer.toString(port));
    config.put("sluice.crypto.kek", kekUri);
    config.put("sluice.crypto.keys.table", keysTable);
    config.putAll(overrides);
    return new SluiceProcess("demo", workDir, config, List.of("-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
  }

  /**
   * Makes sure {@code retail} exists and sets the group's offsets to its end, so the group starts with this run's
   * records. Call before the demo process first starts (the group must have no members).
   */
  Map<Integer, Long> startGroupAtEnd() throws Exception {
    ensureTopic();
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(TOPIC).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      Map<Integer, Long> out = new HashMap<>();
      admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> {
        ends.put(tp, new OffsetAndMetadata(info.offset()));
        out.put(tp.partition(), info.offset());
      });
      admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
      return out;
    }
  }

  /** Makes sure {@code retail} exists (the engines are shared: another test may have made it). */
  void ensureTopic() {
    TopicProvisioner.ensureTopics(kafkaProps,
        new TopicProvisioner.StreamTopicSettings((short) 1, 1, Duration.ofDays(7), Optional.empty()),
        Provisioner.Existing.LEAVE, StreamCatalog.loadDefault(), step -> { });
  }

  /**
   * The instant a replay of only what this run writes from now on starts from: after a first event (so that the
   * stream holds one from before it, as a replay from an instant requires) and before every later one (so that the
   * test's events, timed by this JVM's clock to the millisecond, are at or after it).
   */
  Instant fence() throws Exception {
    long fenced = sendGood(-1).get(30, TimeUnit.SECONDS).timestamp();
    Instant from = Instant.ofEpochMilli(fenced + 1);
    while (System.currentTimeMillis() < from.toEpochMilli()) {
      Thread.onSpinWait();
    }
    return from;
  }

  String goodKey(int i) {
    return "k" + run + "-p-" + i;
  }

  /** Good for the schema and for the catalog's rules (price well under its maximum), keyed by the product id. */
  Future<RecordMetadata> sendGood(int i) {
    String id = goodKey(i);
    String data = "{\"id\":\"" + id + "\",\"brand\":\"Acme\",\"name\":\"Anvil " + i
        + "\",\"category\":\"tools\",\"price\":" + (10 + i % 90) + "}";
    return sendEvent(null, "e" + run + "-" + i, "retail.product.created", id, data);
  }

  /**
   * A photographer's registration, keyed (as the stream says) by its id, with its name and e-mail sealed with the
   * photographer's key and the {@code sluice-sealed} header, as the gateway appends it.
   */
  Future<RecordMetadata> sendPhotographer(String id, String name) throws Exception {
    String type = "retail.photographer.registered";
    String eventId = "e" + run + "-" + id;
    String data = new JsonObject().put("id", id).put("name", name).put("email", id + "@example.com").encode();
    SchemaVersion version = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state().latest(type)
        .orElseThrow();
    Sealed sealed = new Sealer(sealingKeys()).seal(new SealInput(new EventRef(TOPIC, SOURCE, eventId, type), id, data,
        MarkedLocations.locate(version.marks(), data).orElseThrow().values())).await(30, TimeUnit.SECONDS);
    CloudEvent e = new CloudEvent("1.0", eventId, SOURCE, type, "application/json", null, null, null, Map.of(),
        sealed.data());
    List<Header> headers = new java.util.ArrayList<>(CloudEventKafkaBinding.headers(e).stream()
        .map(h -> (Header) new RecordHeader(h.key(), h.value())).toList());
    headers.add(new RecordHeader(SealHeader.NAME, sealed.header().orElseThrow().encode()));
    return send(null, id, sealed.data().getBytes(StandardCharsets.UTF_8), headers);
  }

  /** This run's key ring, on its key table (made here if no demo process made it yet) and KEK. */
  private synchronized KeyRing sealingKeys() {
    if (sealingKeys == null) {
      KeyTable.ensure(dynamo, keysTable);
      sealingVertx = io.vertx.core.Vertx.vertx();
      sealingKeys = KeyRing.onDynamo(sealingVertx, dynamo, CryptoSettings.defaults(kekUri).withKeysTable(keysTable),
          Clock.systemUTC());
    }
    return sealingKeys;
  }

  /** The id of the photo event {@link #sendPhoto} writes of a product (one photo per product). */
  String photoEventId(String productId) {
    return "e" + run + "-photo-" + productId;
  }

  /** A photo of a product by a photographer, keyed (as the stream says) by the product's id. */
  Future<RecordMetadata> sendPhoto(String productId, String photographerId) {
    return sendEvent(null, photoEventId(productId), "retail.product.photographed", productId,
        new JsonObject().put("productId", productId).put("photographerId", photographerId)
            .put("imageUrl", "https://images.example/" + productId + ".jpg").encode());
  }

  /**
   * Poison of two kinds, alternately: a schema-invalid product (its price a string) in a binary-mode CloudEvent, and a
   * record that is not a CloudEvent at all (no {@code ce_} headers, text value). Each has a key of its own.
   */
  Future<RecordMetadata> sendPoison(int i) {
    return sendPoison(i, null);
  }

  /** Poison as {@link #sendPoison(int)}, to the given partition (null: by its key). */
  Future<RecordMetadata> sendPoison(int i, Integer partition) {
    String key = "k" + run + "-x-" + i;
    if (i % 2 == 0) {
      return sendEvent(partition, "e" + run + "-" + i, "retail.product.created", key,
          "{\"id\":\"" + key + "\",\"price\":\"free\"}");
    }
    return send(partition, key, ("not a cloud event #" + i).getBytes(StandardCharsets.UTF_8), List.of());
  }

  /** A binary-mode CloudEvent as the gateway writes it, to {@code partition} (null: by its key). */
  private Future<RecordMetadata> sendEvent(Integer partition, String eventId, String type, String key, String data) {
    CloudEvent e = new CloudEvent("1.0", eventId, SOURCE, type, "application/json", null, null, null, Map.of(),
        data);
    return send(partition, key, data.getBytes(StandardCharsets.UTF_8), CloudEventKafkaBinding.headers(e).stream()
        .map(h -> (Header) new RecordHeader(h.key(), h.value())).toList());
  }

  private Future<RecordMetadata> send(Integer partition, String key, byte[] value, List<Header> headers) {
    return producer.send(new ProducerRecord<>(TOPIC, partition, key.getBytes(StandardCharsets.UTF_8), value,
        headers));
  }

  void flush() {
    producer.flush();
  }

  /** The group's committed offset per partition of {@code retail} (absent: none). */
  Map<Integer, Long> committed() {
    return committed(group);
  }

  /** Another group's committed offset per partition of {@code retail} (absent: none). */
  Map<Integer, Long> committed(String group) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      Map<Integer, Long> out = new HashMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .forEach((tp, o) -> {
            if (tp.topic().equals(TOPIC) && o != null) {
              out.put(tp.partition(), o.offset());
            }
          });
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sum of a counter's series on the demo's {@code /metrics}, or -1 if the demo did not answer. */
  double scrape(String prometheusName) {
    return scrape(port, prometheusName);
  }

  /** Sum of a counter's series on {@code /metrics} of the demo listening on {@code port}, or -1 if it did not answer. */
  double scrape(int port, String prometheusName) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      return r.body().lines()
          .filter(l -> l.startsWith(prometheusName + "{") || l.startsWith(prometheusName + " "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The product ids in the demo's view (consistent scan). */
  Set<String> productsInView() {
    Set<String> ids = new HashSet<>();
    dynamo.scanPaginator(b -> b.tableName(viewTable).consistentRead(true).projectionExpression("pk, sk"))
        .items().forEach(item -> {
          if (item.get("sk").s().equals("product")) {
            ids.add(item.get("pk").s().substring("product#".length()));
          }
        });
    return ids;
  }

  /** A catalog read as the demo answered it: its status, the view table it came from, and its body. */
  record Served(int status, String view, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    /** The first photo of the product served. */
    JsonObject firstPhoto() {
      return json().getJsonArray("photos").getJsonObject(0);
    }
  }

  /** {@code GET /products/{id}} from the demo listening on {@code port}. */
  Served product(int port, String id) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/products/"
          + id)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Served(r.statusCode(), r.headers().firstValue(CatalogBuilderVerticle.VIEW_HEADER).orElse(""),
          r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every item of a view table, by {@code pk|sk}, with its document (consistent scan). */
  Map<String, String> viewItems(String table) {
    Map<String, String> items = new TreeMap<>();
    dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
        .forEach(item -> items.put(item.get("pk").s() + "|" + item.get("sk").s(), item.get("doc").s()));
    return items;
  }

  /** How many items a view table holds (consistent scan, counted by DynamoDB). */
  int viewCount(String table) {
    return dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true).select(Select.COUNT)).stream()
        .mapToInt(ScanResponse::count).sum();
  }

  /** A quarantine item as stored: where its record is, and its state. */
  record StoredItem(String id, String group, String topic, int partition, long offset, String status) {
  }

  /** Every item of the run's quarantine table (consistent scan). */
  List<StoredItem> quarantineItems() {
    return dynamo.scanPaginator(b -> b.tableName(quarantineTable).consistentRead(true)).items().stream()
        .map(DemoRun::stored).toList();
  }

  private static StoredItem stored(Map<String, AttributeValue> item) {
    return new StoredItem(item.get("id").s(), item.get("consumerGroup").s(), item.get("topic").s(),
        Integer.parseInt(item.get("kafkaPartition").n()), Long.parseLong(item.get("kafkaOffset").n()),
        item.get("status").s());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    synchronized (this) {
      if (sealingKeys != null) {
        sealingKeys.close();
        sealingVertx.close();
      }
    }
    dynamo.close();
  }
}

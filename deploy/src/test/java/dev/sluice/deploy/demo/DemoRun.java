package dev.sluice.deploy.demo;

import dev.sluice.deploy.provision.Provisioner;
import dev.sluice.deploy.provision.TopicProvisioner;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.deploy.testing.SluiceProcess;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

/**
 * One run of the demo consumer {@code catalog-builder} as its own process ({@code ./sluice demo}) against test engines:
 * a consumer group, quarantine table, view table and queue prefix of its own (so it never meets other tests on the
 * shared engines), the group's offsets moved to the end of {@code retail} before it first starts (so it reads only
 * this run's records), a raw producer of good and poison records, and blocking looks at offsets, tables and metrics.
 */
final class DemoRun implements AutoCloseable {
  static final String TOPIC = "retail";

  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String group = "demo-" + run;
  final String quarantineTable = "dq-" + run;
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
    this.bootstrapServers = bootstrapServers;
    this.dynamoEndpoint = dynamoEndpoint;
    this.sqsEndpoint = sqsEndpoint;
    this.kafkaProps = Map.of("bootstrap.servers", bootstrapServers);
    this.dynamo = AwsClients.dynamo(AwsConfig.local(dynamoEndpoint, sqsEndpoint));
    this.producer = new KafkaProducer<>(new HashMap<String, Object>(Map.of(
        "bootstrap.servers", bootstrapServers, "acks", "all", "linger.ms", "5")),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The demo process, configured for this run; not started. */
  SluiceProcess process(Path workDir) {
    return process(workDir, Map.of());
  }

  /** The demo process, configured for this run with some keys added or changed; not started. */
  SluiceProcess process(Path workDir, Map<String, String> overrides) {
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
    config.putAll(overrides);
    return new SluiceProcess("demo", workDir, config, List.of("-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
  }

  /**
   * Makes sure {@code retail} exists and sets the group's offsets to its end, so the group starts with this run's
   * records. Call before the demo process first starts (the group must have no members).
   */
  Map<Integer, Long> startGroupAtEnd() throws Exception {
    TopicProvisioner.ensureTopics(kafkaProps,
        new TopicProvisioner.StreamTopicSettings((short) 1, 1, Duration.ofDays(7), Optional.empty()),
        Provisioner.Existing.LEAVE, StreamCatalog.loadDefault(), step -> { });
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

  String goodKey(int i) {
    return "k" + run + "-p-" + i;
  }

  /** Good for the schema and for the catalog's rules (price well under its maximum), keyed by the product id. */
  Future<RecordMetadata> sendGood(int i) {
    String id = goodKey(i);
    String data = "{\"id\":\"" + id + "\",\"brand\":\"Acme\",\"name\":\"Anvil " + i
        + "\",\"category\":\"tools\",\"price\":" + (10 + i % 90) + "}";
    CloudEvent e = new CloudEvent("1.0", "e" + run + "-" + i, "/it/demo", "retail.product.created",
        "application/json", null, null, null, Map.of(), data);
    return send(id, data.getBytes(StandardCharsets.UTF_8), CloudEventKafkaBinding.headers(e).stream()
        .map(h -> (Header) new RecordHeader(h.key(), h.value())).toList());
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
      String data = "{\"id\":\"" + key + "\",\"price\":\"free\"}";
      CloudEvent e = new CloudEvent("1.0", "e" + run + "-" + i, "/it/demo", "retail.product.created",
          "application/json", null, null, null, Map.of(), data);
      return send(partition, key, data.getBytes(StandardCharsets.UTF_8), CloudEventKafkaBinding.headers(e).stream()
          .map(h -> (Header) new RecordHeader(h.key(), h.value())).toList());
    }
    return send(partition, key, ("not a cloud event #" + i).getBytes(StandardCharsets.UTF_8), List.of());
  }

  private Future<RecordMetadata> send(String key, byte[] value, List<Header> headers) {
    return send(null, key, value, headers);
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
    dynamo.close();
  }
}

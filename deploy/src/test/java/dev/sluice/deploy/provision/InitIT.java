package dev.sluice.deploy.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.Sessions;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.catalog.Retention;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code sluice init} against the real in-process engines: the first run leaves every topic, table, index, TTL, queue
 * and dead-letter queue as configured; the second changes nothing and says so; a queue changed by hand is put back.
 */
@ExtendWith(EnginesExtension.class)
class InitIT {
  private static final Duration TOPIC_RETENTION = Duration.ofDays(3);
  private static final Duration QUEUE_RETENTION = Duration.ofDays(4);
  private static final int MAX_RECEIVES = 7;

  @Test
  void createsEverythingOnceThenChangesNothing(Engines engines) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "init-" + run;
    Map<String, String> keys = new HashMap<>(Map.of(
        "sluice.kafka.bootstrap.servers", engines.bootstrapServers(),
        "sluice.dynamodb.endpoint", engines.dynamoEndpoint(),
        "sluice.sqs.endpoint", engines.sqsEndpoint(),
        "sluice.registry.topic", "_sluice_registry_" + run,
        "sluice.dynamodb.table", prefix + "-quarantine",
        "sluice.groups.table", prefix + "-groups",
        "sluice.gateway.dedup.table", prefix + "-dedup",
        "sluice.demo.table", prefix + "-catalog",
        "sluice.sqs.queue.prefix", prefix,
        "sluice.init.groups", "billing, catalog-builder"));
    keys.putAll(Map.of(
        "sluice.console.audit.table", prefix + "-audit",
        "sluice.console.jobs.table", prefix + "-jobs",
        "sluice.console.session.table", prefix + "-sessions",
        "sluice.replays.table", prefix + "-replays",
        "sluice.storms.table", prefix + "-storms",
        "sluice.demo.active.view.table", prefix + "-active-view",
        "sluice.init.processed.events.table", prefix + "-processed",
        "sluice.topics.retention", TOPIC_RETENTION.toHours() + "h",
        "sluice.sqs.message.retention", QUEUE_RETENTION.toHours() + "h",
        "sluice.sqs.max.receive.count", Integer.toString(MAX_RECEIVES)));
    keys.put("sluice.crypto.keys.table", prefix + "-keys");
    keys.put("sluice.producers.table", prefix + "-producers");
    SluiceConfig config = SluiceConfig.from(RawConfig.of(keys));
    assertEquals(Set.of(), SluiceConfig.unknownKeys(config.raw()), "every key the test sets is a Sluice setting");

    Captured first = init(config);
    // The registry topic and everything named after this run are new. The stream topics may have been made by another
    // test on these shared engines; whatever they were, checkKafka below finds them as this config wants them.
    assertEquals(Provisioner.Outcome.CREATED, first.outcome("_sluice_registry_" + run), first.text);
    for (String name : List.of(prefix + "-quarantine", prefix + "-groups", prefix + "-dedup", prefix + "-processed",
        prefix + "-catalog", prefix + "-active-view", prefix + "-audit", prefix + "-jobs", prefix + "-sessions", prefix + "-replays",
        prefix + "-storms", prefix + "-keys", prefix + "-producers",
        prefix + "-redrive-billing",
        prefix + "-redrive-billing-dlq", prefix + "-retry-billing",
        prefix + "-retry-billing-dlq", prefix + "-redrive-catalog-builder", prefix + "-retry-catalog-builder-dlq")) {
      assertEquals(Provisioner.Outcome.CREATED, first.outcome(name), name + " in\n" + first.text);
    }
    assertFalse(first.result.changedNothing());
    assertTrue(first.text.contains("created  dynamodb table  " + prefix + "-quarantine"), first.text);

    checkKafka(config, run);
    checkTables(config, prefix);
    checkQueues(config, prefix);

    Captured second = init(config);
    assertEquals(first.result.steps().size(), second.result.steps().size(), second.text);
    assertTrue(second.result.changedNothing(), second.text);
    assertTrue(second.result.steps().stream().allMatch(s -> s.outcome() == Provisioner.Outcome.EXISTS), second.text);
    assertTrue(second.text.contains("(nothing changed)"), second.text);
    assertTrue(second.text.contains("exists   sqs queue       " + prefix + "-retry-billing-dlq"), second.text);

    // A queue changed by hand is put back, and only that one is reported as updated.
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      String url = sqs.getQueueUrl(b -> b.queueName(prefix + "-redrive-billing")).queueUrl();
      sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5")));
    }
    // Start-up (the launcher's path) creates what is missing but leaves an existing queue as it is.
    java.util.List<Provisioner.Step> startUp = new java.util.ArrayList<>();
    Provisioner.provision(config, Provisioner.everything(), Provisioner.Existing.LEAVE, StreamCatalog.loadDefault(),
        startUp::add);
    assertTrue(startUp.stream().allMatch(s -> s.outcome() == Provisioner.Outcome.EXISTS), startUp.toString());
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      assertEquals("5", attributes(sqs, prefix + "-redrive-billing").get(QueueAttributeName.VISIBILITY_TIMEOUT));
    }
    // A stream's retention is its contract: start-up puts it back even on an existing topic (retail: forever).
    try (Admin admin = Admin.create(new HashMap<String, Object>(config.kafka().clientConfig()))) {
      ConfigResource retail = new ConfigResource(ConfigResource.Type.TOPIC, "retail");
      admin.incrementalAlterConfigs(Map.of(retail, List.of(new AlterConfigOp(new ConfigEntry(
          TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(3).toMillis())), AlterConfigOp.OpType.SET))))
          .all().get(30, TimeUnit.SECONDS);
      java.util.List<Provisioner.Step> restarted = new java.util.ArrayList<>();
      Provisioner.provision(config, Provisioner.everything(), Provisioner.Existing.LEAVE,
          StreamCatalog.loadDefault(), restarted::add);
      assertEquals(List.of("retail"), restarted.stream().filter(s -> s.outcome() == Provisioner.Outcome.UPDATED)
          .map(Provisioner.Step::name).toList(), restarted.toString());
      assertEquals("-1", config(admin, "retail").get(TopicConfig.RETENTION_MS_CONFIG).value());
    }
    Captured third = init(config);
    assertEquals(Provisioner.Outcome.UPDATED, third.outcome(prefix + "-redrive-billing"), third.text);
    assertEquals(1, third.result.steps().stream().filter(s -> s.outcome() != Provisioner.Outcome.EXISTS).count(),
        third.text);
    checkQueues(config, prefix);

    // The wrapper finds the queues init made (with their dead-letter policy) instead of failing to create them anew.
    Vertx vertx = Vertx.vertx();
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      String url = new RedriveQueue(vertx, sqs, prefix).ensureQueue("billing")
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertTrue(url.endsWith(prefix + "-redrive-billing"), url);
      String retryUrl = new RetryQueue(vertx, sqs, prefix, java.time.Clock.systemUTC()).ensureQueue("billing")
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertTrue(retryUrl.endsWith(prefix + "-retry-billing"), retryUrl);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void checkKafka(SluiceConfig config, String run) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(config.kafka().clientConfig()))) {
      String registry = "_sluice_registry_" + run;
      TopicDescription r = admin.describeTopics(List.of(registry)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(registry);
      assertEquals(1, r.partitions().size());
      assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config(admin, registry).get(TopicConfig.CLEANUP_POLICY_CONFIG)
          .value());
      for (StreamDefinition stream : StreamCatalog.loadDefault().streams()) {
        TopicDescription d = admin.describeTopics(List.of(stream.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(stream.topic());
        assertEquals(stream.partitions(), d.partitions().size(), stream.topic());
        Config c = config(admin, stream.topic());
        // A stream that declares its retention keeps it (the demo's retail: forever); others get the deployment's.
        assertEquals(Long.toString(stream.retention().or(Retention.keep(TOPIC_RETENTION)).retentionMs()),
            c.get(TopicConfig.RETENTION_MS_CONFIG).value(), stream.topic());
        // One broker: replication factor 1, so min.insync.replicas defaults to 1.
        assertEquals("1", c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
      }
    }
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).values().get(resource).get(30, TimeUnit.SECONDS);
  }

  private static void checkTables(SluiceConfig config, String prefix) {
    try (DynamoDbClient dynamo = AwsClients.dynamo(config.aws())) {
      TableDescription quarantine = dynamo.describeTable(b -> b.tableName(prefix + "-quarantine")).table();
      Set<String> indexes = new TreeSet<>(quarantine.globalSecondaryIndexes().stream()
          .map(GlobalSecondaryIndexDescription::indexName).toList());
      assertEquals(Set.of(QuarantineTable.BY_STATUS_INDEX, QuarantineTable.BY_LANE_INDEX, QuarantineTable.BY_GROUP_INDEX,
          QuarantineTable.BY_STREAM_INDEX), indexes);
      for (String ttlTable : List.of(prefix + "-groups", prefix + "-dedup", prefix + "-processed",
          prefix + "-producers")) {
        TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(ttlTable)).timeToLiveDescription();
        assertEquals("expiresAt", ttl.attributeName(), ttlTable);
        assertTrue(ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
            || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING, ttlTable + ": " + ttl);
      }
      dynamo.describeTable(b -> b.tableName(prefix + "-catalog"));
      // Console sessions: keyed by the id's hash, expired ones deleted by DynamoDB.
      assertEquals(List.of(Sessions.ID_HASH), dynamo.describeTable(b -> b.tableName(prefix + "-sessions")).table()
          .keySchema().stream().map(k -> k.attributeName()).toList());
      TimeToLiveDescription sessionsTtl = dynamo.describeTimeToLive(b -> b.tableName(prefix + "-sessions"))
          .timeToLiveDescription();
      assertEquals(Sessions.TTL_EPOCH_SECONDS, sessionsTtl.attributeName());
      assertTrue(sessionsTtl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
          || sessionsTtl.timeToLiveStatus() == TimeToLiveStatus.ENABLING, sessionsTtl.toString());
      Set<String> auditIndexes = new TreeSet<>(dynamo.describeTable(b -> b.tableName(prefix + "-audit")).table()
          .globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).toList());
      assertEquals(Set.of("by-item", "by-actor"), auditIndexes);
    }
  }

  private static void checkQueues(SluiceConfig config, String prefix) {
    try (SqsClient sqs = AwsClients.sqs(config.aws())) {
      for (String group : List.of("billing", "catalog-builder")) {
        for (String name : List.of(RedriveQueue.queueName(prefix, group), RetryQueue.queueName(prefix, group))) {
          Map<QueueAttributeName, String> dlq = attributes(sqs, name + "-dlq");
          Map<QueueAttributeName, String> q = attributes(sqs, name);
          // ElasticMQ ignores MessageRetentionPeriod (it neither keeps nor reports it; init says so in its output),
          // so retention is checked only where the service reports it, as real SQS does.
          if (dlq.containsKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD)) {
            assertEquals(Integer.toString(14 * 24 * 3600), dlq.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD), name);
            assertEquals(Long.toString(QUEUE_RETENTION.toSeconds()),
                q.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD), name);
          }
          assertEquals("60", q.get(QueueAttributeName.VISIBILITY_TIMEOUT), name);
          JsonObject policy = new JsonObject(q.get(QueueAttributeName.REDRIVE_POLICY));
          assertEquals(dlq.get(QueueAttributeName.QUEUE_ARN), policy.getString("deadLetterTargetArn"), name);
          assertEquals(Integer.toString(MAX_RECEIVES), String.valueOf(policy.getValue("maxReceiveCount")), name);
        }
      }
    }
  }

  private static Map<QueueAttributeName, String> attributes(SqsClient sqs, String queue) {
    String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
  }

  /** One init run: its result and what it printed. */
  private record Captured(Init.Result result, String text) {
    Provisioner.Outcome outcome(String name) {
      return result.steps().stream().filter(s -> s.name().equals(name)).map(Provisioner.Step::outcome).findFirst()
          .orElseThrow(() -> new AssertionError(name + " not reported in\n" + text));
    }
  }

  private static Captured init(SluiceConfig config) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Init.Result result = Init.run(config, out);
    return new Captured(result, bytes.toString(StandardCharsets.UTF_8));
  }
}

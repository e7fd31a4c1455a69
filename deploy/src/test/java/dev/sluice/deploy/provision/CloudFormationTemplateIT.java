package dev.sluice.deploy.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * deploy/aws/sluice.cloudformation.yaml describes what {@code sluice init} creates: this runs init against DynamoDB
 * Local and ElasticMQ with the template's naming, then compares resource by resource (table keys, attribute types,
 * indexes with their projections, TTL; queue names, visibility, dead-letter target and receive count). It also checks
 * that the template's defaults are Sluice's default names and settings. CloudFormation itself never runs here.
 */
@ExtendWith(EnginesExtension.class)
class CloudFormationTemplateIT {
  private static final Path TEMPLATE = Path.of("aws/sluice.cloudformation.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SUB = Pattern.compile("\\$\\{([A-Za-z:]+)}");

  /**
   * Least privilege for the consumer groups: the role of every group gets its tables and its own queues but nothing
   * of the keys; only the key reader policy, for a granted group, reads the key table and unwraps with the KEK, and it
   * can make, move or forget nothing. (IAM is not evaluated here: this checks what the template grants.)
   */
  @Test
  void onlyTheKeyReaderPolicyReachesTheKeysAndItOnlyReads() throws Exception {
    JsonNode resources = YAML.readTree(TEMPLATE.toFile()).path("Resources");
    List<JsonNode> consumer = statements(resources.path("SluiceConsumerPolicy"));
    assertTrue(!consumer.isEmpty());
    for (JsonNode statement : consumer) {
      for (JsonNode action : statement.path("Action")) {
        assertTrue(!action.asText().startsWith("kms:"), "a consumer group's policy has no KMS: " + action);
        assertTrue(!action.asText().equals("dynamodb:Scan"), "nor a scan of anything: " + action);
      }
      assertTrue(!statement.path("Resource").toString().contains("-keys"), "nor the key table: " + statement);
      assertTrue(!statement.path("Resource").toString().contains("${Prefix}-*"), "nor every table: " + statement);
    }

    JsonNode reader = resources.path("SluiceKeyReaderPolicy");
    assertEquals("HasKek", reader.path("Condition").asText());
    Set<String> actions = new TreeSet<>();
    statements(reader).forEach(st -> st.path("Action").forEach(a -> actions.add(a.asText())));
    assertEquals(Set.of("dynamodb:DescribeTable", "dynamodb:GetItem", "kms:Decrypt"), actions);
    assertTrue(reader.toString().contains("table/${Prefix}-keys\""), reader.toString());
    assertTrue(reader.toString().contains("KekKeyArn"), reader.toString());
  }

  private static List<JsonNode> statements(JsonNode policy) {
    List<JsonNode> out = new java.util.ArrayList<>();
    policy.path("Properties").path("PolicyDocument").path("Statement").forEach(out::add);
    return out;
  }

  @Test
  void templateDescribesWhatInitCreates(Engines engines) throws Exception {
    JsonNode template = YAML.readTree(TEMPLATE.toFile());
    JsonNode resources = template.path("Resources");
    String group = template.path("Parameters").path("ConsumerGroup").path("Default").asText();

    // The template's defaults are Sluice's defaults.
    SluiceConfig defaults = SluiceConfig.from(RawConfig.empty());
    Map<String, String> defaultParams = parameters(template, Map.of());
    Set<String> defaultNames = names(resources, defaultParams);
    assertTrue(defaultNames.containsAll(Set.of(defaults.aws().quarantineTable(), defaults.groups().table(),
        defaults.ingress().dedup().table(), defaults.provision().processedEventsTable(), defaults.demo().catalogTable(),
        defaults.demo().blueGreen().activeViewTable(),
        defaults.console().auditTable(), defaults.console().jobs().table(), defaults.console().auth().sessionTable(),
        defaults.replays().table(), defaults.storms().table(), defaults.crypto().orElseThrow().keysTable(),
        defaults.producers().table(),
        RedriveQueue.queueName(defaults.aws().queuePrefix(), group),
        RetryQueue.queueName(defaults.aws().queuePrefix(), group))), defaultNames.toString());
    assertEquals(Long.toString(defaults.provision().queueRetention().toSeconds()),
        defaultParams.get("QueueRetentionSeconds"));
    assertEquals(Integer.toString(defaults.provision().maxReceiveCount()), defaultParams.get("MaxReceiveCount"));

    // Init, named as the template names things under a fresh prefix.
    String prefix = "cfn-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> params = parameters(template, Map.of("Prefix", prefix));
    SluiceConfig config = SluiceConfig.from(RawConfig.of(Map.ofEntries(
        Map.entry("sluice.kafka.bootstrap.servers", engines.bootstrapServers()),
        Map.entry("sluice.dynamodb.endpoint", engines.dynamoEndpoint()),
        Map.entry("sluice.sqs.endpoint", engines.sqsEndpoint()),
        Map.entry("sluice.registry.topic", "_sluice_registry_" + prefix),
        Map.entry("sluice.dynamodb.table", prefix + "-quarantine"),
        Map.entry("sluice.groups.table", prefix + "-groups"),
        Map.entry("sluice.gateway.dedup.table", prefix + "-dedup"),
        Map.entry("sluice.init.processed.events.table", prefix + "-processed-events"),
        Map.entry("sluice.demo.table", prefix + "-demo-catalog"),
        Map.entry("sluice.demo.active.view.table", prefix + "-demo-active-view"),
        Map.entry("sluice.console.audit.table", prefix + "-console-audit"),
        Map.entry("sluice.console.jobs.table", prefix + "-console-jobs"),
        Map.entry("sluice.console.session.table", prefix + "-console-sessions"),
        Map.entry("sluice.replays.table", prefix + "-replays"),
        Map.entry("sluice.storms.table", prefix + "-storms"),
        Map.entry("sluice.crypto.keys.table", prefix + "-keys"),
        Map.entry("sluice.producers.table", prefix + "-producers"),
        Map.entry("sluice.sqs.queue.prefix", prefix),
        Map.entry("sluice.init.groups", group))));
    Init.Result result = Init.run(config, new PrintStream(OutputStream.nullOutputStream()));

    Set<String> initTables = new TreeSet<>();
    Set<String> initQueues = new TreeSet<>();
    for (Provisioner.Step s : result.steps()) {
      if (s.kind().equals("dynamodb table")) {
        initTables.add(s.name());
      } else if (s.kind().equals("sqs queue")) {
        initQueues.add(s.name());
      }
    }
    Set<String> templateTables = new TreeSet<>();
    Set<String> templateQueues = new TreeSet<>();
    try (DynamoDbClient dynamo = AwsClients.dynamo(config.aws()); SqsClient sqs = AwsClients.sqs(config.aws())) {
      for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> r = it.next();
        JsonNode props = r.getValue().path("Properties");
        switch (r.getValue().path("Type").asText()) {
          case "AWS::DynamoDB::Table" -> {
            String table = resolve(props.path("TableName"), params);
            templateTables.add(table);
            compareTable(r.getKey(), props, dynamo, table);
          }
          case "AWS::SQS::Queue" -> {
            String queue = resolve(props.path("QueueName"), params);
            templateQueues.add(queue);
            compareQueue(r.getKey(), props, resources, params, sqs, queue);
          }
          default -> { }
        }
      }
    }
    assertEquals(initTables, templateTables, "the template's tables are init's");
    assertEquals(initQueues, templateQueues, "the template's queues are init's for group " + group);
  }

  private static void compareTable(String resource, JsonNode props, DynamoDbClient dynamo, String table) {
    TableDescription t = dynamo.describeTable(b -> b.tableName(table)).table();
    Map<String, String> attributes = new TreeMap<>();
    props.path("AttributeDefinitions").forEach(a ->
        attributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
    Map<String, String> actualAttributes = new TreeMap<>();
    t.attributeDefinitions().forEach(a -> actualAttributes.put(a.attributeName(), a.attributeTypeAsString()));
    assertEquals(actualAttributes, attributes, resource + " attribute definitions");
    assertEquals(keys(t.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList()),
        keys(props.path("KeySchema")), resource + " key schema");

    Map<String, String> indexes = new TreeMap<>();
    props.path("GlobalSecondaryIndexes").forEach(i -> indexes.put(i.path("IndexName").asText(),
        keys(i.path("KeySchema")) + " " + i.path("Projection").path("ProjectionType").asText() + " "
            + new TreeSet<>(YAML.convertValue(i.path("Projection").path("NonKeyAttributes"), List.class) == null
                ? List.of() : YAML.convertValue(i.path("Projection").path("NonKeyAttributes"), List.class))));
    Map<String, String> actualIndexes = new TreeMap<>();
    if (t.hasGlobalSecondaryIndexes()) {
      for (GlobalSecondaryIndexDescription i : t.globalSecondaryIndexes()) {
        actualIndexes.put(i.indexName(),
            keys(i.keySchema().stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList()) + " "
                + i.projection().projectionTypeAsString() + " "
                + new TreeSet<>(i.projection().hasNonKeyAttributes() ? i.projection().nonKeyAttributes() : List.of()));
      }
    }
    assertEquals(actualIndexes, indexes, resource + " indexes");

    TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    boolean ttlOn = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
        || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
    JsonNode spec = props.path("TimeToLiveSpecification");
    assertEquals(ttlOn, spec.path("Enabled").asBoolean(false), resource + " TTL");
    if (ttlOn) {
      assertEquals(ttl.attributeName(), spec.path("AttributeName").asText(), resource + " TTL attribute");
    }
  }

  private static void compareQueue(String resource, JsonNode props, JsonNode resources, Map<String, String> params,
      SqsClient sqs, String queue) {
    String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    Map<QueueAttributeName, String> actual = sqs.getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.ALL)).attributes();
    if (props.has("VisibilityTimeout")) {
      assertEquals(resolve(props.path("VisibilityTimeout"), params), actual.get(QueueAttributeName.VISIBILITY_TIMEOUT),
          resource);
    }
    // ElasticMQ does not keep MessageRetentionPeriod; compare it where the service reports it.
    if (actual.containsKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD)) {
      assertEquals(resolve(props.path("MessageRetentionPeriod"), params),
          actual.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD), resource);
    }
    JsonNode redrive = props.path("RedrivePolicy");
    if (redrive.isMissingNode()) {
      assertTrue(!actual.containsKey(QueueAttributeName.REDRIVE_POLICY), resource + " has no dead-letter queue");
      return;
    }
    JsonObject policy = new JsonObject(actual.get(QueueAttributeName.REDRIVE_POLICY));
    String dlqResource = redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText();
    String dlqName = resolve(resources.path(dlqResource).path("Properties").path("QueueName"), params);
    assertTrue(policy.getString("deadLetterTargetArn").endsWith(":" + dlqName), resource + " -> " + policy);
    assertEquals(resolve(redrive.path("maxReceiveCount"), params), String.valueOf(policy.getValue("maxReceiveCount")),
        resource);
  }

  /** "name:HASH, name:RANGE" in order. */
  private static String keys(JsonNode keySchema) {
    StringBuilder s = new StringBuilder();
    keySchema.forEach(k -> s.append(s.isEmpty() ? "" : ", ").append(k.path("AttributeName").asText()).append(':')
        .append(k.path("KeyType").asText()));
    return s.toString();
  }

  private static String keys(List<String> elements) {
    return String.join(", ", elements);
  }

  private static Map<String, String> parameters(JsonNode template, Map<String, String> overrides) {
    Map<String, String> p = new HashMap<>();
    template.path("Parameters").fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().path("Default").asText()));
    p.putAll(overrides);
    return p;
  }

  private static Set<String> names(JsonNode resources, Map<String, String> params) {
    Set<String> names = new TreeSet<>();
    resources.forEach(r -> {
      JsonNode props = r.path("Properties");
      if (props.has("TableName")) {
        names.add(resolve(props.path("TableName"), params));
      }
      if (props.has("QueueName")) {
        names.add(resolve(props.path("QueueName"), params));
      }
    });
    return names;
  }

  /** A literal, {@code Ref} to a parameter, or {@code Fn::Sub} over parameters. */
  private static String resolve(JsonNode value, Map<String, String> params) {
    if (value.has("Ref")) {
      return params.get(value.path("Ref").asText());
    }
    if (value.has("Fn::Sub")) {
      Matcher m = SUB.matcher(value.path("Fn::Sub").asText());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String v = params.get(m.group(1));
        assertTrue(v != null, "unknown parameter " + m.group(1));
        m.appendReplacement(out, Matcher.quoteReplacement(v));
      }
      m.appendTail(out);
      return out.toString();
    }
    return value.asText();
  }
}

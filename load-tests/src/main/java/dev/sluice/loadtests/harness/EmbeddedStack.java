package dev.sluice.loadtests.harness;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedEngines;
import dev.sluice.loadtests.harness.Progress;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a consumer benchmark runs against, all in this JVM on free loopback ports: Kafka, DynamoDB Local and ElasticMQ
 * embedded (in a temporary directory), a Vert.x instance and the AWS clients. Closed in the reverse order, and then
 * its directory is deleted: a suite's broker log runs to gigabytes, and runs that each left theirs behind filled the
 * disk.
 */
public final class EmbeddedStack implements AutoCloseable {
  private final EmbeddedEngines engines;
  private final Vertx vertx;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final Path dir;

  private EmbeddedStack(EmbeddedEngines engines, Path dir) {
    this.engines = engines;
    this.dir = dir;
    AwsConfig aws = AwsConfig.local(engines.dynamoDb().endpoint(), engines.sqs().endpoint());
    this.dynamo = AwsClients.dynamo(aws);
    this.sqs = AwsClients.sqs(aws);
    this.vertx = Vertx.vertx();
  }

  /** @param name names the temporary directory, e.g. "sluice-consumer-bench" */
  public static EmbeddedStack start(String name, Progress progress) throws Exception {
    Path dir = Files.createTempDirectory(name);
    int[] ports = LoopbackPorts.free(4);
    progress.note("starting Kafka, DynamoDB Local and ElasticMQ on 127.0.0.1:" + ports[0] + "/" + ports[2] + "/"
        + ports[3]);
    EmbeddedEngines engines;
    try {
      engines = EmbeddedEngines.start(new EmbeddedEngines.Spec(dir.resolve("kafka"), ports[0], ports[1], null,
          ports[2], ports[3]));
    } catch (RuntimeException e) {
      DataDirs.wipe(dir);
      throw e;
    }
    try {
      return new EmbeddedStack(engines, dir);
    } catch (RuntimeException e) {
      engines.close();
      DataDirs.wipe(dir);
      throw e;
    }
  }

  public String bootstrap() {
    return engines.kafka().bootstrapServers();
  }

  /** DynamoDB Local's endpoint, for a process started on this stack through its config ({@code sluice.dynamodb.endpoint}). */
  public String dynamoEndpoint() {
    return engines.dynamoDb().endpoint();
  }

  /** ElasticMQ's endpoint ({@code sluice.sqs.endpoint}). */
  public String sqsEndpoint() {
    return engines.sqs().endpoint();
  }

  public Vertx vertx() {
    return vertx;
  }

  public DynamoDbClient dynamo() {
    return dynamo;
  }

  public SqsClient sqs() {
    return sqs;
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      try (engines; dynamo; sqs) {
        // closed by try-with-resources, clients first
      } finally {
        DataDirs.wipe(dir);
      }
    }
  }
}

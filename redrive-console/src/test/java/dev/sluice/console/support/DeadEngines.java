package dev.sluice.console.support;

import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real store and queue, with real SDK clients, pointed at a loopback port where nothing listens. Unit tests use
 * them for paths that never reach an engine, or to see how the console answers when the engines are down. Nothing is
 * faked: the runs against live engines are the lead's integration tests in deploy/.
 */
public final class DeadEngines implements AutoCloseable {
  /** Port 1 (tcpmux) is never served here, so connecting is refused at once. */
  public static final String NOWHERE = "http://127.0.0.1:1";

  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  public final QuarantineStore store;
  public final RedriveQueue queue;

  public DeadEngines(Vertx vertx) {
    AwsConfig config = AwsConfig.local(NOWHERE, NOWHERE);
    dynamo = AwsClients.dynamo(config);
    sqs = AwsClients.sqs(config);
    store = new QuarantineStore(vertx, dynamo, config.quarantineTable(), Clock.systemUTC());
    queue = new RedriveQueue(vertx, sqs, config.queuePrefix());
  }

  @Override
  public void close() {
    dynamo.close();
    sqs.close();
  }
}

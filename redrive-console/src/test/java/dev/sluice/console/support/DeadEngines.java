package dev.sluice.console.support;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.console.ConsoleParts;
import dev.sluice.ingest.seal.EventSealing;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.aws.AwsConfig;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real store, queue and stream appender, with real SDK and Kafka clients, pointed at a loopback port where
 * nothing listens. Unit tests use
 * them for paths that never reach an engine, or to see how the console answers when the engines are down. Nothing is
 * faked: the runs against live engines are the lead's integration tests in deploy/.
 */
public final class DeadEngines implements AutoCloseable {
  /** Port 1 (tcpmux) is never served here, so connecting is refused at once. */
  public static final String NOWHERE = "http://127.0.0.1:1";

  private final Vertx vertx;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  public final QuarantineStore store;
  public final RedriveQueue queue;
  public final AuditLog audit;
  /** A real Kafka producer whose broker is not there: appends fail within {@link #APPEND_TIMEOUT}. */
  public final EventAppender streams;
  public static final Duration APPEND_TIMEOUT = Duration.ofSeconds(1);

  public DeadEngines(Vertx vertx) {
    this.vertx = vertx;
    AwsConfig config = AwsConfig.local(NOWHERE, NOWHERE);
    dynamo = AwsClients.dynamo(config);
    sqs = AwsClients.sqs(config);
    store = new QuarantineStore(vertx, dynamo, config.quarantineTable(), Clock.systemUTC());
    queue = new RedriveQueue(vertx, sqs, config.queuePrefix());
    audit = new AuditLog(vertx, dynamo, "sluice-console-audit", Clock.systemUTC());
    try {
      streams = RedriveService.appender(vertx, Map.of("bootstrap.servers", "127.0.0.1:1"), APPEND_TIMEOUT)
          .await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Kafka producer was not built within 30 s", e);
    }
  }

  /** The login sessions as {@code auth} configures them, on the DynamoDB client that reaches nothing. */
  public Sessions sessions(AuthSettings auth) {
    return Sessions.of(vertx, dynamo, auth);
  }

  /** A reader of payloads kept in Kafka, on a Kafka that is not there either. */
  public RecordPayloads payloads() {
    return new RecordPayloads(vertx, java.util.Map.of("bootstrap.servers", "127.0.0.1:1"));
  }

  /**
   * {@link #streams} behind a sealing that has no key ring: an event with marked values is refused as if its key were
   * unavailable, never appended in the clear.
   */
  public SealingAppender sealingStreams() {
    return new SealingAppender(new EventSealing(SubjectKeys.NONE), streams);
  }

  /**
   * A console's parts on these engines: sessions as {@code auth} configures them, no consumer-group registry, no
   * bulk jobs and no replays. A console built on them owns {@link #streams} and closes it when it stops.
   */
  public ConsoleParts consoleParts(AuthSettings auth, SchemaRegistry registry) {
    return new ConsoleParts(registry, store, ConsoleParts.Redrives.of(store, queue, sealingStreams(), registry,
        ValidationLane.create(vertx), payloads()), audit,
        ConsoleParts.Access.of(auth, sessions(auth), audit), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Override
  public void close() {
    // Closing twice is fine (a console verticle closes its appender when it stops); once Vert.x is closed, the
    // producer's threads end with the JVM.
    try {
      streams.close().await(10, TimeUnit.SECONDS);
    } catch (Exception alreadyGone) {
      // Vert.x was closed first: nothing left to do.
    }
    dynamo.close();
    sqs.close();
  }
}

package dev.sluice.quarantine.queue;

import dev.sluice.storekit.sqs.QueueMessages;
import dev.sluice.storekit.sqs.QueueNames;
import dev.sluice.storekit.sqs.QueueSpec;
import dev.sluice.storekit.sqs.QueueUrls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * One SQS queue per consumer group carries redrive requests to that group only, so that other groups reading the same
 * topic never see a duplicate. A message holds nothing but the quarantine item's id: the item in DynamoDB stays the
 * single source of truth (status, edited data), and a message delivered twice finds the item already resolved.
 *
 * <p>SDK calls block; each runs on a Vert.x worker.
 */
public final class RedriveQueue {
  /** How long a received request stays invisible to other receivers while the wrapper works on it. */
  public static final int VISIBILITY_TIMEOUT_SECONDS = 60;
  /** SQS's longest retention, 14 days: what a queue the wrapper creates itself keeps requests for. */
  public static final int MAX_RETENTION_SECONDS = QueueSpec.MAX_RETENTION_SECONDS;
  private static final QueueSpec SPEC = QueueSpec.keptLongest(VISIBILITY_TIMEOUT_SECONDS);

  private final Vertx vertx;
  private final String prefix;
  private final QueueUrls urls;
  private final QueueMessages messages;

  public RedriveQueue(Vertx vertx, SqsClient sqs, String prefix) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.urls = new QueueUrls(sqs);
    this.messages = new QueueMessages(sqs);
  }

  /** A received request: the item to redrive and the handle to delete it once the item's new status is stored. */
  public record Request(String itemId, String receiptHandle) {}

  /** The queue name for a group: SQS allows 80 characters of [A-Za-z0-9_-]. */
  public String queueName(String group) {
    return queueName(prefix, group);
  }

  /** The queue name for a group under {@code prefix}; {@code sluice init} creates the same names ahead of time. */
  public static String queueName(String prefix, String group) {
    return QueueNames.forGroup(prefix, "redrive", group);
  }

  /** Creates the group's queue if missing, on a worker. */
  public Future<String> ensureQueue(String group) {
    return vertx.executeBlocking(() -> urls.ensure(queueName(group), SPEC), false);
  }

  /** Sends a redrive request to the group's queue. Fails if the group never ran (its queue does not exist). */
  public Future<Void> send(String group, String itemId) {
    return vertx.executeBlocking(() -> {
      messages.send(urlOf(group), itemId);
      return null;
    }, false);
  }

  /** Long-polls the group's queue for up to {@code waitSeconds}. */
  public Future<List<Request>> receive(String group, int max, int waitSeconds) {
    return vertx.executeBlocking(() -> messages.receive(urlOf(group), max, waitSeconds).stream()
        .map(m -> new Request(m.body(), m.receiptHandle())).toList(), false);
  }

  public Future<Void> delete(String group, String receiptHandle) {
    return vertx.executeBlocking(() -> {
      messages.delete(urlOf(group), receiptHandle);
      return null;
    }, false);
  }

  /** The group's queue, which the group made when it started: the console never makes one for a group. */
  private String urlOf(String group) {
    try {
      return urls.url(queueName(group));
    } catch (QueueDoesNotExistException e) {
      throw new NoQueueForGroup(group);
    }
  }

  /** The group has no redrive queue: it never started, so no consumer could take the redrive. */
  public static final class NoQueueForGroup extends RuntimeException {
    public NoQueueForGroup(String group) {
      super("consumer group " + group + " has no redrive queue: has it ever run?", null, false, false);
    }
  }
}

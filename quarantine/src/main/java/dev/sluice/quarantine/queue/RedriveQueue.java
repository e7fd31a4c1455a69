package dev.sluice.quarantine.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
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
  public static final int MAX_RETENTION_SECONDS = 14 * 24 * 3600;

  private final Vertx vertx;
  private final SqsClient sqs;
  private final String prefix;
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  public RedriveQueue(Vertx vertx, SqsClient sqs, String prefix) {
    this.vertx = vertx;
    this.sqs = sqs;
    this.prefix = prefix;
  }

  /** A received request: the item to redrive and the handle to delete it once the item's new status is stored. */
  public record Request(String itemId, String receiptHandle) {}

  /** The queue name for a group: SQS allows 80 characters of [A-Za-z0-9_-]. */
  public String queueName(String group) {
    return queueName(prefix, group);
  }

  /** The queue name for a group under {@code prefix}; {@code sluice init} creates the same names ahead of time. */
  public static String queueName(String prefix, String group) {
    String safe = group.replaceAll("[^A-Za-z0-9_-]", "_");
    String name = prefix + "-redrive-" + safe;
    return name.length() <= 80 ? name : name.substring(0, 80);
  }

  /** Creates the group's queue if missing (CreateQueue is idempotent for equal attributes). Blocking. */
  private String ensureQueueBlocking(String group) {
    String url;
    try {
      // A queue made ahead of time (sluice init, CloudFormation) may carry other attributes, e.g. a dead-letter
      // RedrivePolicy or a shorter retention; CreateQueue would refuse it for differing, so look it up first.
      url = sqs.getQueueUrl(b -> b.queueName(queueName(group))).queueUrl();
    } catch (QueueDoesNotExistException absent) {
      url = sqs.createQueue(b -> b.queueName(queueName(group))
              .attributes(Map.of(
                  QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS),
                  QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(MAX_RETENTION_SECONDS))))
          .queueUrl();
    }
    urls.put(group, url);
    return url;
  }

  /** Creates the group's queue if missing, on a worker. */
  public Future<String> ensureQueue(String group) {
    return vertx.executeBlocking(() -> ensureQueueBlocking(group), false);
  }

  /** Sends a redrive request to the group's queue. Fails if the group never ran (its queue does not exist). */
  public Future<Void> send(String group, String itemId) {
    return vertx.executeBlocking(() -> {
      String url = urlOf(group);
      sqs.sendMessage(b -> b.queueUrl(url).messageBody(itemId));
      return null;
    }, false);
  }

  /** Long-polls the group's queue for up to {@code waitSeconds}. */
  public Future<List<Request>> receive(String group, int max, int waitSeconds) {
    return vertx.executeBlocking(() -> {
      String url = urlOf(group);
      List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url)
              .maxNumberOfMessages(max)
              .waitTimeSeconds(waitSeconds))
          .messages();
      return messages.stream().map(m -> new Request(m.body(), m.receiptHandle())).toList();
    }, false);
  }

  public Future<Void> delete(String group, String receiptHandle) {
    return vertx.executeBlocking(() -> {
      sqs.deleteMessage(b -> b.queueUrl(urlOf(group)).receiptHandle(receiptHandle));
      return null;
    }, false);
  }

  private String urlOf(String group) {
    return urls.computeIfAbsent(group, g -> {
      try {
        return sqs.getQueueUrl(b -> b.queueName(queueName(g))).queueUrl();
      } catch (QueueDoesNotExistException e) {
        throw new NoQueueForGroup(g);
      }
    });
  }

  /** The group has no redrive queue: it never started, so no consumer could take the redrive. */
  public static final class NoQueueForGroup extends RuntimeException {
    public NoQueueForGroup(String group) {
      super("consumer group " + group + " has no redrive queue: has it ever run?", null, false, false);
    }
  }
}

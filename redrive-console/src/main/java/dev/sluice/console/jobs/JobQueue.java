package dev.sluice.console.jobs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A job's work items: one SQS queue per job ({@code <prefix>-console-job-<id>}), one message per quarantine item id.
 * A queue of its own lets a job be paused by simply not receiving (its work stays queued, and other jobs are not held
 * up behind it), cancelled by deleting the queue, and resumed after a console restart by receiving again: the queue,
 * not the console's memory, holds what is left to do.
 *
 * <p>A message is deleted only after its item has been handled, so a console that dies mid-batch leaves the rest to
 * be received again after the visibility timeout. SDK calls block; each runs on a worker.
 */
public final class JobQueue {
  /** How long a received work item stays invisible while the job handles it. */
  public static final int VISIBILITY_TIMEOUT_SECONDS = 30;
  /** SQS's longest retention: a paused job's work stays queued for up to 14 days. */
  public static final int RETENTION_SECONDS = 14 * 24 * 3600;
  /** SQS's batch size for send, delete and change-visibility. */
  static final int BATCH = 10;

  private final Vertx vertx;
  private final SqsClient sqs;
  private final String prefix;
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  public JobQueue(Vertx vertx, SqsClient sqs, String prefix) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** A received work item. {@code receiveCount} says how often SQS has handed it out (1 the first time). */
  public record WorkItem(String itemId, String receiptHandle, int receiveCount) {}

  public static String queueName(String prefix, String jobId) {
    String name = prefix + "-console-job-" + jobId;
    return name.length() <= 80 ? name : name.substring(0, 80);
  }

  /** Creates the job's queue (idempotent). */
  public Future<Void> create(String jobId) {
    return blocking(() -> {
      urls.put(jobId, sqs.createQueue(b -> b.queueName(queueName(prefix, jobId))
          .attributes(Map.of(
              QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS),
              QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(RETENTION_SECONDS))))
          .queueUrl());
      return null;
    });
  }

  /** Queues the ids, in batches of ten; retries entries SQS did not take, a few times, then fails. */
  public Future<Void> send(String jobId, List<String> itemIds) {
    return blocking(() -> {
      String url = urlOf(jobId);
      for (int from = 0; from < itemIds.size(); from += BATCH) {
        List<String> chunk = itemIds.subList(from, Math.min(itemIds.size(), from + BATCH));
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
          entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i))
              .build());
        }
        for (int round = 0; !entries.isEmpty(); round++) {
          if (round == 5) {
            throw new IllegalStateException("SQS did not take " + entries.size() + " work item(s) of job " + jobId);
          }
          List<SendMessageBatchRequestEntry> asked = entries;
          SendMessageBatchResponse resp = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(asked));
          List<String> failed = resp.failed().stream().map(f -> f.id()).toList();
          entries = asked.stream().filter(e -> failed.contains(e.id())).toList();
        }
      }
      return null;
    });
  }

  public Future<List<WorkItem>> receive(String jobId, int max, int waitSeconds) {
    return blocking(() -> sqs.receiveMessage(b -> b.queueUrl(urlOf(jobId)).maxNumberOfMessages(max)
            .waitTimeSeconds(waitSeconds)
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .messages().stream()
        .map(m -> new WorkItem(m.body(), m.receiptHandle(), Integer.parseInt(m.attributes()
            .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))))
        .toList());
  }

  /** Deletes handled work items. */
  public Future<Void> delete(String jobId, List<WorkItem> items) {
    return blocking(() -> {
      String url = urlOf(jobId);
      for (int from = 0; from < items.size(); from += BATCH) {
        List<WorkItem> chunk = items.subList(from, Math.min(items.size(), from + BATCH));
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
          entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
              .receiptHandle(chunk.get(i).receiptHandle()).build());
        }
        sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
      }
      return null;
    });
  }

  /** Makes received but unhandled work items visible again at once (a pause, a stop). */
  public Future<Void> release(String jobId, List<WorkItem> items) {
    return blocking(() -> {
      String url = urlOf(jobId);
      for (int from = 0; from < items.size(); from += BATCH) {
        List<WorkItem> chunk = items.subList(from, Math.min(items.size(), from + BATCH));
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
          entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
              .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build());
        }
        sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
      }
      return null;
    });
  }

  /** Whether the queue holds nothing: no visible, in-flight or delayed work item (SQS's approximate counts). */
  public Future<Boolean> isEmpty(String jobId) {
    return blocking(() -> {
      Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(urlOf(jobId)).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
      return a.values().stream().allMatch(v -> "0".equals(v));
    });
  }

  /** Deletes the job's queue and what is left in it (cancel, halt, done). Absent already: nothing to do. */
  public Future<Void> deleteQueue(String jobId) {
    return blocking(() -> {
      try {
        sqs.deleteQueue(b -> b.queueUrl(urlOf(jobId)));
      } catch (QueueDoesNotExistException gone) {
        // deleted before
      }
      urls.remove(jobId);
      return null;
    });
  }

  private String urlOf(String jobId) {
    return urls.computeIfAbsent(jobId, id -> sqs.getQueueUrl(b -> b.queueName(queueName(prefix, id))).queueUrl());
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }
}

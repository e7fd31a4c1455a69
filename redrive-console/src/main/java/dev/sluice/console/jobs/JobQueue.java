package dev.sluice.console.jobs;

import dev.sluice.storekit.sqs.QueueMessages;
import dev.sluice.storekit.sqs.QueueNames;
import dev.sluice.storekit.sqs.QueueSpec;
import dev.sluice.storekit.sqs.QueueUrls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A job's work items: one SQS queue per job ({@code <prefix>-console-job-<id>}), one message per quarantine item id;
 * and what it has sent but not yet learned the outcome of: a second queue per job
 * ({@code <prefix>-console-outcomes-<id>}), one message per redrive.
 * A queue of its own lets a job be paused by simply not receiving (its work stays queued, and other jobs are not held
 * up behind it), cancelled by deleting the queue, and resumed after a console restart by receiving again: the queue,
 * not the console's memory, holds what is left to do.
 *
 * <p>The outcome queue makes watching as durable as sending: a console that restarts, or another console that takes
 * the job over, still learns what became of every redrive sent before.
 *
 * <p>A message is deleted only after its item has been handled, so a console that dies mid-batch leaves the rest to
 * be received again after the visibility timeout. SDK calls block; each runs on a worker.
 */
public final class JobQueue {
  /** How long a received work item stays invisible while the job handles it. */
  public static final int VISIBILITY_TIMEOUT_SECONDS = 30;
  /** SQS's longest retention: a paused job's work stays queued for up to 14 days. */
  public static final int RETENTION_SECONDS = QueueSpec.MAX_RETENTION_SECONDS;
  /** SQS's batch size for send, delete and change-visibility. */
  static final int BATCH = QueueMessages.BATCH;
  /** Both queues of a job: invisible for the work's visibility timeout, kept for SQS's longest. */
  private static final QueueSpec SPEC = new QueueSpec(VISIBILITY_TIMEOUT_SECONDS, RETENTION_SECONDS);

  private final Vertx vertx;
  private final SqsClient sqs;
  private final String prefix;
  private final QueueUrls urls;
  private final QueueMessages messages;

  public JobQueue(Vertx vertx, SqsClient sqs, String prefix) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.urls = new QueueUrls(sqs);
    this.messages = new QueueMessages(sqs);
  }

  /** A received work item. {@code receiveCount} says how often SQS has handed it out (1 the first time). */
  public record WorkItem(String itemId, String receiptHandle, int receiveCount) {}

  public static String queueName(String prefix, String jobId) {
    return QueueNames.of(prefix, "console-job", jobId);
  }

  /** Creates the job's queue (idempotent). */
  public Future<Void> create(String jobId) {
    return createByName(queueName(prefix, jobId));
  }


  /** Queues the ids, in batches of ten; retries entries SQS did not take, a few times, then fails. */
  public Future<Void> send(String jobId, List<String> itemIds) {
    return blocking(() -> {
      messages.sendAll(urlOf(jobId), itemIds, "job " + jobId);
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
    List<String> handles = items.stream().map(WorkItem::receiptHandle).toList();
    return blocking(() -> {
      messages.deleteAll(urlOf(jobId), handles);
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
    return blocking(() -> emptyByName(queueName(prefix, jobId)));
  }

  /** Deletes the job's queue and what is left in it (cancel, halt, done). Absent already: nothing to do. */
  public Future<Void> deleteQueue(String jobId) {
    return deleteByName(queueName(prefix, jobId));
  }


  // The job's outcome queue: what it sent and has not yet learned the outcome of.

  /** A redrive whose outcome the job waits for: the item and its {@code redriveCount} right after the redrive. */
  public record Watch(String itemId, int redriveCount, String receiptHandle) {
    /** The message body: {@code <redriveCount> <itemId>}. */
    static String body(String itemId, int redriveCount) {
      return redriveCount + " " + itemId;
    }

    static Watch parse(String body, String receiptHandle) {
      int space = body.indexOf(' ');
      return new Watch(body.substring(space + 1), Integer.parseInt(body.substring(0, space)), receiptHandle);
    }
  }

  public static String outcomeQueueName(String prefix, String jobId) {
    return QueueNames.of(prefix, "console-outcomes", jobId);
  }

  /** Creates the job's outcome queue (idempotent). */
  public Future<Void> createOutcomes(String jobId) {
    return createByName(outcomeQueueName(prefix, jobId));
  }


  /** Queues redrives to watch, given as {@code itemId -> redriveCount}. */
  public Future<Void> watch(String jobId, Map<String, Integer> redrives) {
    List<String> bodies = redrives.entrySet().stream().map(e -> Watch.body(e.getKey(), e.getValue())).toList();
    String name = outcomeQueueName(prefix, jobId);
    return blocking(() -> {
      messages.sendAll(urls.url(name), bodies, "job " + jobId);
      return null;
    });
  }

  /**
   * Up to {@code max} watched redrives, each hidden for {@code visibilitySeconds}: one not yet settled is simply not
   * forgotten and comes back after that. Nothing when the queue is gone (the job stopped watching).
   */
  public Future<List<Watch>> watched(String jobId, int max, int visibilitySeconds) {
    String name = outcomeQueueName(prefix, jobId);
    return blocking(() -> {
      List<Watch> out = new ArrayList<>();
      try {
        String url = urls.url(name);
        while (out.size() < max) {
          int want = Math.min(BATCH, max - out.size());
          var batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(want)
              .visibilityTimeout(visibilitySeconds)).messages();
          batch.forEach(m -> out.add(Watch.parse(m.body(), m.receiptHandle())));
          if (batch.isEmpty()) {
            break;
          }
        }
      } catch (QueueDoesNotExistException gone) {
        urls.forget(name);
      }
      return out;
    });
  }

  /** Forgets watched redrives whose outcome is known. */
  public Future<Void> forget(String jobId, List<Watch> watches) {
    String name = outcomeQueueName(prefix, jobId);
    List<String> handles = watches.stream().map(Watch::receiptHandle).toList();
    return blocking(() -> {
      messages.deleteAll(urls.url(name), handles);
      return null;
    });
  }


  /** Whether the outcome queue holds no watched redrive (visible or hidden); true when it is gone. */
  public Future<Boolean> nothingWatched(String jobId) {
    String name = outcomeQueueName(prefix, jobId);
    return blocking(() -> {
      try {
        return emptyByName(name);
      } catch (QueueDoesNotExistException gone) {
        urls.forget(name);
        return true;
      }
    });
  }

  /** Deletes the job's outcome queue (the job stopped watching). Absent already: nothing to do. */
  public Future<Void> deleteOutcomes(String jobId) {
    return deleteByName(outcomeQueueName(prefix, jobId));
  }


  private boolean emptyByName(String name) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(urls.url(name)).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return a.values().stream().allMatch(v -> "0".equals(v));
  }

  /** Creates a queue of a job (idempotent): invisible for the work's visibility timeout, kept for SQS's longest. */
  private Future<Void> createByName(String name) {
    return blocking(() -> {
      urls.create(name, SPEC);
      return null;
    });
  }

  /** Deletes a queue of a job and what is left in it. Absent already: nothing to do. */
  private Future<Void> deleteByName(String name) {
    return blocking(() -> {
      urls.delete(name);
      return null;
    });
  }

  private String urlOf(String jobId) {
    return urls.url(queueName(prefix, jobId));
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }
}

package dev.sluice.storekit.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends, receives and deletes messages on a queue, by URL ({@link QueueUrls}). Blocking, like the SDK client: call it
 * from a worker, never on an event loop.
 */
public final class QueueMessages {
  /** SQS's batch size for send, delete and change-visibility. */
  public static final int BATCH = 10;
  /** How often a batch send is asked again for the entries SQS did not take, before it fails. */
  static final int SEND_ROUNDS = 5;

  private final SqsClient sqs;

  public QueueMessages(SqsClient sqs) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
  }

  /** Sends one message, delayed as the queue's default says. */
  public void send(String url, String body) {
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
  }

  /** Sends one message, invisible for {@code delaySeconds} (at most 900, SQS's limit). */
  public void send(String url, String body, int delaySeconds) {
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).delaySeconds(delaySeconds));
  }

  /**
   * Sends the bodies in batches of ten; entries SQS did not take are asked again, a few times, and then the call fails
   * with an {@link IllegalStateException} that names {@code what} (e.g. "job 42"). Entries sent before stay sent.
   */
  public void sendAll(String url, List<String> bodies, String what) {
    for (int from = 0; from < bodies.size(); from += BATCH) {
      List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + BATCH));
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i)).build());
      }
      for (int round = 0; !entries.isEmpty(); round++) {
        if (round == SEND_ROUNDS) {
          throw new IllegalStateException("SQS did not take " + entries.size() + " message(s) of " + what);
        }
        List<SendMessageBatchRequestEntry> asked = entries;
        SendMessageBatchResponse resp = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(asked));
        List<String> failed = resp.failed().stream().map(BatchResultErrorEntry::id).toList();
        entries = asked.stream().filter(e -> failed.contains(e.id())).toList();
      }
    }
  }

  /** Long-polls for up to {@code waitSeconds} and returns up to {@code max} messages. */
  public List<Message> receive(String url, int max, int waitSeconds) {
    return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)).messages();
  }

  /** Deletes one received message. */
  public void delete(String url, String receiptHandle) {
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(receiptHandle));
  }

  /** Deletes received messages by receipt handle, ten per call. */
  public void deleteAll(String url, List<String> receiptHandles) {
    for (int from = 0; from < receiptHandles.size(); from += BATCH) {
      List<String> chunk = receiptHandles.subList(from, Math.min(receiptHandles.size(), from + BATCH));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(chunk.get(i))
            .build());
      }
      sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
    }
  }
}

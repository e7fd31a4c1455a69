package dev.sluice.storekit.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.SdkCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * QueueMessages against ElasticMQ: sends with and without a delay, batches over SQS's limit of ten (which ElasticMQ
 * enforces too), receive and delete, and a batch entry that SQS refuses. ElasticMQ's message counts are exact, so they
 * show what is in a queue without waiting for visibility timeouts.
 */
@ExtendWith(EnginesExtension.class)
class QueueMessagesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Long enough that no message of a test becomes visible again before the test ends. */
  private static final int VISIBILITY_SECONDS = 120;
  private static final int DELAY_SECONDS = 5;

  private final SdkCalls calls = new SdkCalls();
  private SqsClient sqs;
  private QueueMessages messages;

  @BeforeEach
  void setUp(Engines engines) {
    sqs = calls.sqs(engines.sqsEndpoint());
    messages = new QueueMessages(sqs);
  }

  @AfterEach
  void tearDown() {
    sqs.close();
  }

  private String newQueue(Map<QueueAttributeName, String> attributes) {
    Map<QueueAttributeName, String> all = new HashMap<>(attributes);
    all.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_SECONDS));
    return sqs.createQueue(b -> b.queueName("queue-messages-it-" + UUID.randomUUID()).attributes(all)).queueUrl();
  }

  private String newQueue() {
    return newQueue(Map.of());
  }

  /** Visible, in flight (received, not deleted) and delayed messages. */
  private List<Integer> counts(String url) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return List.of(Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)));
  }

  /** Receives (long polls of a second) into {@code received} until {@code count} messages have arrived in all. */
  private List<Message> receiveUntil(String url, List<Message> received, int count) {
    return Eventually.await(count + " messages", WAIT, () -> {
      received.addAll(messages.receive(url, QueueMessages.BATCH, 1));
      return received.size() >= count ? Optional.of(received) : Optional.empty();
    });
  }

  private static List<String> bodies(List<Message> received) {
    return received.stream().map(Message::body).sorted().toList();
  }

  private static List<String> items(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("item-%02d", i)).toList();
  }

  private List<Integer> batchSizes() {
    return calls.requests(SendMessageBatchRequest.class).stream().map(r -> r.entries().size()).toList();
  }

  @Test
  void aSentMessageIsReceivedAndDeleteRemovesIt() {
    String url = newQueue();
    messages.send(url, "hello");

    Message m = receiveUntil(url, new ArrayList<>(), 1).get(0);
    assertEquals("hello", m.body());
    assertEquals(List.of(0, 1, 0), counts(url), "received: in flight");
    messages.delete(url, m.receiptHandle());
    assertEquals(List.of(0, 0, 0), counts(url), "deleted, not just hidden");
  }

  @Test
  void aDelayedMessageIsNotReceivedBeforeAnUndelayedOneSentAfterIt() {
    String url = newQueue();
    messages.send(url, "later", DELAY_SECONDS);
    messages.send(url, "now");

    List<Message> received = receiveUntil(url, new ArrayList<>(), 1);
    assertEquals(List.of("now"), bodies(received), "the delayed message, sent first, is not there yet");
    receiveUntil(url, received, 2);
    assertEquals(List.of("later", "now"), bodies(received));
  }

  @Test
  void aPlainSendTakesTheQueuesDelayAndAnExplicitDelayOverridesIt() {
    String url = newQueue(Map.of(QueueAttributeName.DELAY_SECONDS, Integer.toString(DELAY_SECONDS)));
    messages.send(url, "default");
    messages.send(url, "now", 0);

    List<Message> received = receiveUntil(url, new ArrayList<>(), 1);
    assertEquals(List.of("now"), bodies(received), "the queue's delay holds the plain send back");
    receiveUntil(url, received, 2);
    assertEquals(List.of("default", "now"), bodies(received));
  }

  @Test
  void sendAllSendsMoreThanOneBatchEachBodyOnce() {
    String url = newQueue();
    messages.sendAll(url, items(23), "job 42");

    assertEquals(List.of(10, 10, 3), batchSizes(), "ElasticMQ, like SQS, refuses more than ten entries per batch");
    assertEquals(items(23), bodies(receiveUntil(url, new ArrayList<>(), 23)));
    assertEquals(List.of(0, 23, 0), counts(url), "each body once");
  }

  /**
   * SQS refuses a batch entry whose body holds a character it does not allow (ElasticMQ: InvalidMessageContents), the
   * other entries of the batch are taken. The refused entry is asked again, alone, until the rounds run out; the bodies
   * taken stay sent, once each, and the batches after are not sent.
   */
  @Test
  void aRefusedEntryIsAskedAgainAloneAndThenSendAllFailsSayingWhat() {
    String url = newQueue();
    List<String> bodies = new ArrayList<>(items(12));
    String refused = "item-01 \u0001";
    bodies.set(1, refused);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> messages.sendAll(url, bodies, "job 42"));
    assertEquals("SQS did not take 1 message(s) of job 42", e.getMessage());

    List<SendMessageBatchRequest> batches = calls.requests(SendMessageBatchRequest.class);
    assertEquals(QueueMessages.SEND_ROUNDS, batches.size());
    assertEquals(bodies.subList(0, 10), batches.get(0).entries().stream()
        .map(SendMessageBatchRequestEntry::messageBody).toList());
    for (SendMessageBatchRequest again : batches.subList(1, batches.size())) {
      assertEquals(List.of(refused), again.entries().stream().map(SendMessageBatchRequestEntry::messageBody).toList());
    }

    List<String> taken = new ArrayList<>(bodies.subList(0, 10));
    taken.remove(refused);
    assertEquals(taken, bodies(receiveUntil(url, new ArrayList<>(), 9)));
    assertEquals(List.of(0, 9, 0), counts(url), "each taken body once; item-10 and item-11 never sent");
  }

  @Test
  void deleteAllDeletesMoreThanOneBatch() {
    String url = newQueue();
    messages.sendAll(url, items(23), "job 42");
    List<Message> received = receiveUntil(url, new ArrayList<>(), 23);

    messages.deleteAll(url, received.stream().map(Message::receiptHandle).toList());
    assertEquals(List.of(10, 10, 3), calls.requests(DeleteMessageBatchRequest.class).stream()
        .map(r -> r.entries().size()).toList());
    assertEquals(23, calls.requests(DeleteMessageBatchRequest.class).stream().flatMap(r -> r.entries().stream())
        .map(DeleteMessageBatchRequestEntry::receiptHandle).distinct().count(), "every handle asked for");
    assertEquals(List.of(0, 0, 0), counts(url), "all 23 deleted");
  }
}

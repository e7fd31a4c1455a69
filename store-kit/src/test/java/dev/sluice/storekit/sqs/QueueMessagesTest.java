package dev.sluice.storekit.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

class QueueMessagesTest {
  /** Refuses the entry with id "1" of every batch the first {@code refusals} times. */
  private static final class Refusing implements SqsClient {
    final List<List<String>> batches = new ArrayList<>();
    int refusals;

    Refusing(int refusals) {
      this.refusals = refusals;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
      batches.add(request.entries().stream().map(SendMessageBatchRequestEntry::messageBody).toList());
      var b = SendMessageBatchResponse.builder();
      if (refusals > 0 && request.entries().stream().anyMatch(e -> e.id().equals("1"))) {
        refusals--;
        b.failed(BatchResultErrorEntry.builder().id("1").code("InternalError").senderFault(false).build());
      }
      return b.build();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  }

  private static List<String> bodies(int n) {
    return IntStream.range(0, n).mapToObj(i -> "item-" + i).toList();
  }

  @Test
  void sendsInBatchesOfTenAndAsksAgainForWhatSqsDidNotTake() {
    Refusing sqs = new Refusing(1);
    new QueueMessages(sqs).sendAll("url", bodies(12), "job 42");
    assertEquals(List.of(bodies(10), List.of("item-1"), List.of("item-10", "item-11")), sqs.batches);
  }

  @Test
  void givesUpAfterAFewRoundsAndSaysWhatFailed() {
    Refusing sqs = new Refusing(Integer.MAX_VALUE);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new QueueMessages(sqs).sendAll("url", bodies(3), "job 42"));
    assertEquals("SQS did not take 1 message(s) of job 42", e.getMessage());
    assertEquals(QueueMessages.SEND_ROUNDS, sqs.batches.size());
  }
}

package dev.sluice.console.jobs;

import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients bulk redrive jobs use for the jobs table and their work queues (settings: {@code ConsoleConfig.jobs()}).
 *
 * @param queuePrefix the prefix of the jobs' SQS queues ({@code sluice.sqs.queue.prefix}), as for redrive queues
 */
public record JobEngines(DynamoDbClient dynamo, SqsClient sqs, String queuePrefix) {
  public JobEngines {
    Objects.requireNonNull(dynamo, "dynamo");
    Objects.requireNonNull(sqs, "sqs");
    Objects.requireNonNull(queuePrefix, "queuePrefix");
  }
}

package dev.sluice.storekit.sqs;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a queue that Sluice creates itself is created with. A queue made ahead of time ({@code sluice init},
 * CloudFormation) may carry more, e.g. a dead-letter policy.
 *
 * @param visibilityTimeoutSeconds how long a received message stays invisible to other receivers
 * @param retentionSeconds how long SQS keeps a message nobody deletes
 */
public record QueueSpec(int visibilityTimeoutSeconds, int retentionSeconds) {
  /** SQS's longest retention, 14 days. */
  public static final int MAX_RETENTION_SECONDS = 14 * 24 * 3600;

  public QueueSpec {
    if (visibilityTimeoutSeconds < 0 || retentionSeconds < 1) {
      throw new IllegalArgumentException("bad queue spec: visibility " + visibilityTimeoutSeconds + " s, retention "
          + retentionSeconds + " s");
    }
  }

  /** Kept for SQS's longest retention. */
  public static QueueSpec keptLongest(int visibilityTimeoutSeconds) {
    return new QueueSpec(visibilityTimeoutSeconds, MAX_RETENTION_SECONDS);
  }

  Map<QueueAttributeName, String> attributes() {
    return Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(retentionSeconds));
  }
}

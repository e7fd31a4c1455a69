package dev.sluice.deploy.provision;

import dev.sluice.deploy.config.ProvisionSettings;
import dev.sluice.deploy.provision.Provisioner.Existing;
import dev.sluice.deploy.provision.Provisioner.Outcome;
import dev.sluice.deploy.provision.Provisioner.Step;
import dev.sluice.quarantine.queue.RedriveQueue;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The SQS side of provisioning: a consumer group's queues, each with its dead-letter queue. */
final class QueueProvisioner {
  /** How long a dead letter is kept: SQS's maximum, so an operator has the longest time to look at it. */
  static final int DEAD_LETTER_RETENTION_SECONDS = RedriveQueue.MAX_RETENTION_SECONDS;
  static final String DEAD_LETTER_SUFFIX = "-dlq";

  private QueueProvisioner() {}

  /**
   * The queue and its dead-letter queue ({@code <name>-dlq}): a request received {@code maxReceiveCount} times
   * without being deleted (a wrapper that keeps failing on it) moves there instead of cycling forever. The quarantine
   * item stays the source of truth, so a request lost to the dead-letter queue is resent by the wrapper's
   * resend-after rule; the dead letters are for looking at.
   */
  static void ensureQueueWithDeadLetters(SqsClient sqs, String name, int visibilitySeconds,
      ProvisionSettings p, Existing existing, String purpose, Consumer<Step> report) {
    String dlqName = (name.length() <= 80 - DEAD_LETTER_SUFFIX.length() ? name
        : name.substring(0, 80 - DEAD_LETTER_SUFFIX.length())) + DEAD_LETTER_SUFFIX;
    Map<QueueAttributeName, String> dlqAttributes = Map.of(
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(DEAD_LETTER_RETENTION_SECONDS));
    QueueOutcome dlqOutcome = ensureQueue(sqs, dlqName, dlqAttributes, existing);
    String dlqUrl = sqs.getQueueUrl(b -> b.queueName(dlqName)).queueUrl();
    String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    report.accept(new Step(dlqOutcome.outcome(), "sqs queue", dlqName, "dead letters of " + name + ", retention "
        + DEAD_LETTER_RETENTION_SECONDS + " s" + dlqOutcome.note()));

    Map<QueueAttributeName, String> attributes = Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, Long.toString(p.queueRetention().toSeconds()),
        QueueAttributeName.REDRIVE_POLICY, new JsonObject().put("deadLetterTargetArn", dlqArn)
            .put("maxReceiveCount", p.maxReceiveCount()).encode());
    QueueOutcome outcome = ensureQueue(sqs, name, attributes, existing);
    report.accept(new Step(outcome.outcome(), "sqs queue", name, purpose + ", visibility " + visibilitySeconds
        + " s, retention " + p.queueRetention().toSeconds() + " s, dead letters after " + p.maxReceiveCount()
        + " receives" + outcome.note()));
  }

  /**
   * What happened to a queue, and the wanted attributes the service does not report at all: those it does not
   * support (ElasticMQ ignores MessageRetentionPeriod), which therefore cannot be checked. Real SQS reports them all.
   */
  record QueueOutcome(Outcome outcome, Set<String> unsupported) {
    String note() {
      return unsupported.isEmpty() ? "" : " (this SQS does not report " + String.join(", ", new TreeSet<>(unsupported))
          + ": not checked)";
    }
  }

  /** Creates the queue, or sets the attributes of an existing one that differ. */
  static QueueOutcome ensureQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> wanted,
      Existing existing) {
    String url;
    Outcome outcome;
    try {
      url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
      outcome = Outcome.EXISTS;
    } catch (QueueDoesNotExistException absent) {
      url = sqs.createQueue(b -> b.queueName(name).attributes(wanted)).queueUrl();
      outcome = Outcome.CREATED;
    }
    String queueUrl = url;
    Map<QueueAttributeName, String> current = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(QueueAttributeName.ALL)).attributes();
    Set<String> unsupported = new TreeSet<>();
    Map<QueueAttributeName, String> differing = new HashMap<>();
    wanted.forEach((attribute, value) -> {
      if (!current.containsKey(attribute)) {
        unsupported.add(attribute.toString());
      } else if (!sameAttribute(attribute, value, current.get(attribute))) {
        differing.put(attribute, value);
      }
    });
    if (differing.isEmpty() || (outcome == Outcome.EXISTS && existing == Existing.LEAVE)) {
      return new QueueOutcome(outcome, unsupported);
    }
    sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(differing));
    return new QueueOutcome(outcome == Outcome.CREATED ? Outcome.CREATED : Outcome.UPDATED, unsupported);
  }

  /** A RedrivePolicy is JSON: services differ in spacing and in quoting maxReceiveCount, so compare its fields. */
  private static boolean sameAttribute(QueueAttributeName attribute, String wanted, String current) {
    if (current == null) {
      return false;
    }
    if (attribute != QueueAttributeName.REDRIVE_POLICY) {
      return wanted.equals(current);
    }
    try {
      JsonObject a = new JsonObject(wanted);
      JsonObject b = new JsonObject(current);
      return String.valueOf(a.getValue("deadLetterTargetArn")).equals(String.valueOf(b.getValue("deadLetterTargetArn")))
          && String.valueOf(a.getValue("maxReceiveCount")).equals(String.valueOf(b.getValue("maxReceiveCount")));
    } catch (DecodeException e) {
      return false;
    }
  }
}

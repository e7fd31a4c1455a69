package dev.sluice.storekit.sqs;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The URLs of queues known by name: looked up (or created) once, then cached, since every send, receive and delete
 * needs one. Thread-safe. Blocking, like the SDK client: call it from a worker, never on an event loop.
 */
public final class QueueUrls {
  private final SqsClient sqs;
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  public QueueUrls(SqsClient sqs) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
  }

  /** The queue's URL, looked up on first use; {@link QueueDoesNotExistException} (nothing cached) if it is absent. */
  public String url(String name) {
    return urls.computeIfAbsent(name, n -> sqs.getQueueUrl(b -> b.queueName(n)).queueUrl());
  }

  /** The queue's URL if it was looked up or created before; asks SQS nothing. */
  public Optional<String> known(String name) {
    return Optional.ofNullable(urls.get(name));
  }

  /**
   * Looks the queue up, and creates it with {@code spec} if it is absent. A queue made ahead of time (sluice init,
   * CloudFormation) may carry other attributes, e.g. a dead-letter RedrivePolicy or a shorter retention, which
   * CreateQueue would refuse as differing: so it is looked up first, and used as it is.
   */
  public String ensure(String name, QueueSpec spec) {
    String url;
    try {
      url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    } catch (QueueDoesNotExistException absent) {
      url = sqs.createQueue(b -> b.queueName(name).attributes(spec.attributes())).queueUrl();
    }
    urls.put(name, url);
    return url;
  }

  /** Creates the queue with {@code spec}: idempotent for a queue this created before with the same spec. */
  public String create(String name, QueueSpec spec) {
    String url = sqs.createQueue(b -> b.queueName(name).attributes(spec.attributes())).queueUrl();
    urls.put(name, url);
    return url;
  }

  /** Deletes the queue and what is left in it. Absent already: nothing to do. */
  public void delete(String name) {
    try {
      sqs.deleteQueue(b -> b.queueUrl(url(name)));
    } catch (QueueDoesNotExistException gone) {
      // deleted before
    }
    urls.remove(name);
  }

  /** Drops the cached URL: the queue is gone (deleted, or an engine restarted without persistence). */
  public void forget(String name) {
    urls.remove(name);
  }
}

package dev.sluice.quarantine.queue;

import dev.sluice.storekit.sqs.QueueMessages;
import dev.sluice.storekit.sqs.QueueNames;
import dev.sluice.storekit.sqs.QueueSpec;
import dev.sluice.storekit.sqs.QueueUrls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The delayed, non-blocking retry tier: one SQS queue per consumer group ({@code <prefix>-retry-<group>}) carries
 * "try item X again at time T" to that group only.
 *
 * <p>A message holds the item id, the item's attempt count when the retry was scheduled, and when it is due. The item
 * in DynamoDB stays the source of truth: a message whose attempt count no longer matches the item (a duplicate, or a
 * resend after the retry already ran) is stale and dropped.
 *
 * <p>SQS delays a message by at most 15 minutes. A longer wait is a chain: the message is sent with the longest delay,
 * and a receiver that gets it before it is due sends it on again with the rest of the wait (see {@link #isDue}).
 *
 * <p>SDK calls block; each runs on a Vert.x worker.
 */
public final class RetryQueue {
  /** SQS's limit on a message's delay. */
  public static final Duration MAX_SQS_DELAY = Duration.ofSeconds(900);
  /** How long a received retry stays invisible to other receivers while the wrapper works on it. */
  public static final int VISIBILITY_TIMEOUT_SECONDS = 60;
  /** SQS's longest retention, 14 days: what a queue the wrapper creates itself keeps requests for. */
  public static final int MAX_RETENTION_SECONDS = QueueSpec.MAX_RETENTION_SECONDS;
  private static final QueueSpec SPEC = QueueSpec.keptLongest(VISIBILITY_TIMEOUT_SECONDS);

  private final Vertx vertx;
  private final String prefix;
  private final Clock clock;
  private final QueueUrls urls;
  private final QueueMessages messages;

  public RetryQueue(Vertx vertx, SqsClient sqs, String prefix, Clock clock) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.clock = clock;
    this.urls = new QueueUrls(sqs);
    this.messages = new QueueMessages(sqs);
  }

  /**
   * A scheduled retry: the item, its attempt count when scheduled (the version the retry expects), when it is due,
   * and the wait it was drawn with (decorrelated jitter grows the next wait from it).
   */
  public record Request(String itemId, int attempts, Instant dueAt, Duration delay) {
    public Request {
      java.util.Objects.requireNonNull(itemId, "itemId");
      java.util.Objects.requireNonNull(dueAt, "dueAt");
      java.util.Objects.requireNonNull(delay, "delay");
    }

    String encode() {
      return new JsonObject().put("id", itemId).put("attempts", attempts).put("due", dueAt.toEpochMilli())
          .put("delayMs", delay.toMillis()).encode();
    }

    static Optional<Request> decode(String body) {
      try {
        JsonObject j = new JsonObject(body);
        return Optional.of(new Request(j.getString("id"), j.getInteger("attempts"),
            Instant.ofEpochMilli(j.getLong("due")), Duration.ofMillis(j.getLong("delayMs", 0L))));
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        return Optional.empty();
      }
    }
  }

  /** A received message: the request (empty if the body was unreadable), and the handle to delete it. */
  public record Received(Optional<Request> request, String receiptHandle) {}

  /** The queue name for a group: SQS allows 80 characters of [A-Za-z0-9_-]. */
  public String queueName(String group) {
    return queueName(prefix, group);
  }

  /** The queue name for a group under {@code prefix}; {@code sluice init} creates the same names ahead of time. */
  public static String queueName(String prefix, String group) {
    return QueueNames.forGroup(prefix, "retry", group);
  }

  /** Creates the group's queue if missing (CreateQueue is idempotent for equal attributes), on a worker. */
  public Future<String> ensureQueue(String group) {
    return vertx.executeBlocking(() -> urls.ensure(queueName(group), SPEC), false);
  }

  /**
   * Runs a call against the group's queue; if the queue is gone (an SQS-compatible engine restarted without
   * persistence), creates it again and runs the call once more. Blocking.
   */
  private <T> T onQueue(String group, java.util.function.Function<String, T> call) {
    try {
      return call.apply(urlOf(group));
    } catch (QueueDoesNotExistException gone) {
      urls.forget(queueName(group));
      return call.apply(urls.ensure(queueName(group), SPEC));
    }
  }

  /** The SQS delay for a message due at {@code dueAt}: the rest of the wait in whole seconds (rounded up), at most 900. */
  public static int delaySeconds(Instant now, Instant dueAt) {
    long millis = Duration.between(now, dueAt).toMillis();
    if (millis <= 0) {
      return 0;
    }
    long seconds = (millis + 999) / 1000;
    return (int) Math.min(MAX_SQS_DELAY.toSeconds(), seconds);
  }

  /** Whether a received request is due; one that is not must be sent on again (a chained long delay). */
  public boolean isDue(Request request) {
    return delaySeconds(clock.instant(), request.dueAt()) == 0;
  }

  /** Sends a retry request, delayed until its due time or by SQS's maximum, whichever is sooner. */
  public Future<Void> schedule(String group, Request request) {
    return vertx.executeBlocking(() -> onQueue(group, url -> {
      messages.send(url, request.encode(), delaySeconds(clock.instant(), request.dueAt()));
      return null;
    }), false);
  }

  /** Long-polls the group's queue for up to {@code waitSeconds}. */
  public Future<List<Received>> receive(String group, int max, int waitSeconds) {
    return vertx.executeBlocking(() -> {
      List<Message> received = onQueue(group, url -> messages.receive(url, max, waitSeconds));
      List<Received> out = new ArrayList<>(received.size());
      for (Message m : received) {
        out.add(new Received(Request.decode(m.body()), m.receiptHandle()));
      }
      return out;
    }, false);
  }

  public Future<Void> delete(String group, String receiptHandle) {
    return vertx.executeBlocking(() -> onQueue(group, url -> {
      messages.delete(url, receiptHandle);
      return null;
    }), false);
  }

  /** The group's queue; made here if it is missing, since the wrapper that schedules a retry also receives it. */
  private String urlOf(String group) {
    String name = queueName(group);
    return urls.known(name).orElseGet(() -> urls.ensure(name, SPEC));
  }
}

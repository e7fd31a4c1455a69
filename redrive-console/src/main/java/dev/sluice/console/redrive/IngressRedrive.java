package dev.sluice.console.redrive;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleError.RecordTooLarge;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.ingress.CapturedRequest;
import dev.sluice.console.ingress.IngressCheck;
import dev.sluice.console.ingress.StreamAppender;
import dev.sluice.console.ingress.StreamAppender.AppendFailed;
import dev.sluice.console.ingress.StreamAppender.Appended;
import dev.sluice.console.ingress.StreamAppender.Failure;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The redrive of an ingress reject: the gateway refused the event, so it was never appended, and redriving it means
 * appending it to its stream now, as ingest would have.
 *
 * <ol>
 *   <li>decode the captured HTTP request into its CloudEvent and swap in the operator's data, if any
 *       ({@link CapturedRequest});
 *   <li>check it as ingest would, as values ({@link IngressCheck}): a refusal answers 422 and writes nothing;
 *   <li>QUARANTINED -> REDRIVEN, a conditional write: of two concurrent redrives exactly one gets past it (the other
 *       gets 409), so the event is appended at most once per redrive;
 *   <li>append it, CloudEvents binary mode, with its original id (consumers deduplicate by it), key = partition key,
 *       and the {@code sluice-schema-version} it was checked against;
 *   <li>only after the broker's acknowledgement: REDRIVEN -> RESOLVED with the new position in the audit trail.
 * </ol>
 *
 * <p>Nothing is lost, nothing is claimed: if the append is not acknowledged, the item goes back to QUARANTINED (with
 * the error in its audit trail) and the operator gets a 503 to retry. A timed-out append may still have been written;
 * a retry then appends it again with the same CloudEvent id, which consumers deduplicate. If the last write
 * (RESOLVED) fails after the acknowledgement, the event is appended all the same: the answer is still 202, with the
 * position, and the item stays REDRIVEN, so that it cannot be appended twice.
 *
 * <p>Every store call and the append run off the event loop and come back as Futures; this class only composes them.
 */
final class IngressRedrive {
  private static final System.Logger LOG = System.getLogger(IngressRedrive.class.getName());

  private final QuarantineStore store;
  private final StreamAppender appender;
  private final SchemaRegistry registry;

  IngressRedrive(QuarantineStore store, StreamAppender appender, SchemaRegistry registry) {
    this.store = Objects.requireNonNull(store, "store");
    this.appender = Objects.requireNonNull(appender, "appender");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Steps 1 and 2, against the registry's current snapshot: pure, no I/O. */
  IngressCheck.Verdict check(QuarantineItem item, Optional<String> replacementData) {
    return IngressCheck.check(registry.state(), item.topic(),
        CapturedRequest.decode(item.headers(), item.payload(), replacementData));
  }

  /** Redrives a QUARANTINED ingress item (the caller checked the status for an early answer). */
  Future<Redriven> redrive(QuarantineItem item, Optional<String> replacementData, String actor) {
    IngressCheck.Verdict verdict = check(item, replacementData);
    if (verdict instanceof IngressCheck.Refused refused) {
      return fail(new EventRefused(refused.refusal()));
    }
    IngressCheck.Appendable event = (IngressCheck.Appendable) verdict;
    List<KafkaHeader> headers = event.headers(CapturedRequest.traceHeaders(item.headers()));
    String topic = event.stream().topic();
    return store.requestRedrive(item.id(), replacementData, actor)
        .compose(redriven -> appender.append(topic, event.partitionKey(), event.value(), headers)
            .transform(appended -> appended.succeeded()
                ? resolve(redriven, appended.result(), actor)
                : putBack(redriven, topic, appended.cause())));
  }

  private Future<Redriven> resolve(QuarantineItem redriven, Appended at, String actor) {
    return store.resolve(redriven.id(), actor, "appended to " + at.position())
        .map(resolved -> new Redriven(resolved, Optional.of(at)))
        .recover(failure -> {
          LOG.log(System.Logger.Level.WARNING, "the event of ingress item " + redriven.id() + " is appended at "
              + at.position() + ", but the item could not be marked RESOLVED; it stays REDRIVEN", failure);
          return Future.succeededFuture(new Redriven(redriven, Optional.of(at)));
        });
  }

  /** The append was not acknowledged: REDRIVEN -> QUARANTINED, so the operator can try again. */
  private Future<Redriven> putBack(QuarantineItem redriven, String topic, Throwable appendFailure) {
    Failure kind = appendFailure instanceof AppendFailed a ? a.failure() : Failure.UNAVAILABLE;
    LOG.log(System.Logger.Level.WARNING,
        "redrive of ingress item " + redriven.id() + " could not be appended to " + topic + " (" + kind + ")",
        appendFailure);
    String why = switch (kind) {
      case RECORD_TOO_LARGE -> "the event is larger than Kafka accepts for topic " + topic;
      case TIMED_OUT -> "Kafka did not acknowledge the append to topic " + topic + " within "
          + appender.appendTimeout().toMillis() + " ms; it may still have been written, and a retry appends it again "
          + "with the same CloudEvent id, which consumers deduplicate";
      case CLOSING -> "the console is shutting down; nothing was appended to topic " + topic;
      case UNAVAILABLE -> "Kafka did not take the append to topic " + topic + " ("
          + (appendFailure.getCause() == null ? appendFailure : appendFailure.getCause()).getClass().getSimpleName()
          + ")";
    };
    return store.cancelRedrive(redriven.id(), why)
        .onFailure(cancelFailure -> LOG.log(System.Logger.Level.ERROR, "ingress item " + redriven.id()
            + " stays REDRIVEN although its append was not acknowledged (moving it back failed); "
            + "an operator must look at it", cancelFailure))
        .transform(cancelled -> {
          String state = cancelled.succeeded()
              ? "; the item is QUARANTINED again"
              : "; the item stays REDRIVEN (moving it back failed)";
          return fail(kind == Failure.RECORD_TOO_LARGE
              ? new RecordTooLarge(why + state + ": fix the data to make it smaller")
              : new Unavailable(why + state + (cancelled.succeeded() ? ", retry later" : "")));
        });
  }

  private static <T> Future<T> fail(ConsoleError error) {
    return Future.failedFuture(new ConsoleFailure(error));
  }
}

package dev.sluice.console.redrive;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleError.RecordTooLarge;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.ingest.CapturedRequest;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.EventAdmission.Admission;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.AppendFailure;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.RedriveEdit;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/**
 * The redrive of an ingress reject: the gateway refused the event, so it was never appended, and redriving it means
 * appending it to its stream now, as ingest would have, through the same ingest contract ({@code sluice-ingest}).
 *
 * <ol>
 *   <li>read the captured HTTP request as the gateway reads one, with the operator's data in place of the
 *       producer's, if any, and check it with the gateway's admission chain, as values ({@link EventAdmission}); a
 *       validation too costly for the event loop runs on the validation pool ({@link ValidationLane}); a refusal
 *       answers 422 and writes nothing;
 *   <li>QUARANTINED -> REDRIVEN, a conditional write: of two concurrent redrives exactly one gets past it (the other
 *       gets 409), so the event is appended at most once per redrive;
 *   <li>append it, CloudEvents binary mode, with its original id (consumers deduplicate by it), key = partition key,
 *       and the {@code sluice-schema-version} it was checked against;
 *   <li>only after the broker's acknowledgement: REDRIVEN -> RESOLVED with the new position in the audit trail.
 * </ol>
 *
 * <p>Nothing is lost, nothing is claimed: if the append is not acknowledged, the item goes back to QUARANTINED (with
 * the error in its audit trail) and the operator gets a 503 to retry. An append that was not acknowledged may still
 * have been written; a retry then appends it again with the same CloudEvent id, which consumers deduplicate. If the
 * last write (RESOLVED) fails after the acknowledgement, the event is appended all the same: the answer is still 202,
 * with the position, and the item stays REDRIVEN, so that it cannot be appended twice.
 *
 * <p>Every store call and the append run off the event loop and come back as Futures; this class only composes them.
 */
final class IngressRedrive {
  private static final System.Logger LOG = System.getLogger(IngressRedrive.class.getName());

  private final QuarantineStore store;
  private final SealingAppender appender;
  private final EventAdmission admission;
  private final ValidationLane lane;

  IngressRedrive(QuarantineStore store, SealingAppender appender, EventAdmission admission, ValidationLane lane) {
    this.store = Objects.requireNonNull(store, "store");
    this.appender = Objects.requireNonNull(appender, "appender");
    this.admission = Objects.requireNonNull(admission, "admission");
    this.lane = Objects.requireNonNull(lane, "lane");
  }

  /** Step 1, against the registry's current snapshot; fails only when the validation pool is full (503). */
  Future<Admission> check(QuarantineItem item, Optional<String> replacementData) {
    CapturedRequest captured = new CapturedRequest(item.headers(), item.payload(), replacementData);
    return lane.run(meters -> admission.readmit(item.stream(), captured, meters))
        .recover(err -> err instanceof ValidationLane.Busy
            ? fail(new Unavailable("checking this event costs more than the event loop allows, and too many such "
                + "checks are already waiting; nothing was written, retry later"))
            : Future.failedFuture(err));
  }

  /** Redrives a QUARANTINED ingress item (the caller checked the status for an early answer). */
  Future<Redriven> redrive(QuarantineItem item, Optional<String> replacementData, String actor) {
    return check(item, replacementData).compose(checked -> checked.outcome().fold(
        event -> append(item, event, replacementData, actor),
        refusal -> fail(new EventRefused(refusal))));
  }

  private Future<Redriven> append(
      QuarantineItem item, AdmittedEvent event, Optional<String> replacementData, String actor) {
    String topic = event.stream().topic();
    // Sealed before the item moves: without its key the event cannot be appended, and the item stays as it was.
    return appender.sealing().seal(event)
        .recover(err -> err instanceof KeyUnavailableException
            ? fail(new Unavailable("the key that protects this event's sensitive values is unavailable; nothing was "
                + "written, retry later"))
            : Future.failedFuture(err))
        .compose(sealed -> requestRedrive(item, sealed, replacementData.isPresent(), actor)
        .compose(redriven -> appender.appender().append(sealed)
            .transform(appended -> appended.succeeded()
                ? resolve(redriven, appended.result(), actor)
                : putBack(redriven, topic, appended.cause()))));
  }

  /**
   * QUARANTINED -> REDRIVEN, keeping the operator's edit as it is appended: its marked values sealed, with the header
   * that says so, so that the item never holds what the operator typed in the clear.
   */
  private Future<QuarantineItem> requestRedrive(QuarantineItem item, AdmittedEvent sealed, boolean edited,
      String actor) {
    if (!edited) {
      return store.operator().requestRedrive(item.id(), Optional.empty(), actor);
    }
    Optional<String> seal = sealed.kafkaHeaders().stream().filter(h -> SealHeader.NAME.equals(h.key())).findFirst()
        .map(KafkaHeader::valueAsString);
    return store.operator().requestRedrive(item.id(), new RedriveEdit(sealed.event().data(), seal), actor);
  }

  private Future<Redriven> resolve(QuarantineItem redriven, Appended at, String actor) {
    return store.operator().resolve(redriven.id(), actor, "appended to " + at.position())
        .map(resolved -> new Redriven(resolved, Optional.of(at)))
        .recover(failure -> {
          LOG.log(System.Logger.Level.WARNING, "the event of ingress item " + redriven.id() + " is appended at "
              + at.position() + ", but the item could not be marked RESOLVED; it stays REDRIVEN", failure);
          return Future.succeededFuture(new Redriven(redriven, Optional.of(at)));
        });
  }

  /** The append was not acknowledged: REDRIVEN -> QUARANTINED, so the operator can try again. */
  private Future<Redriven> putBack(QuarantineItem redriven, String topic, Throwable appendFailure) {
    AppendFailure kind = AppendFailure.classify(appendFailure, false);
    LOG.log(System.Logger.Level.WARNING,
        "redrive of ingress item " + redriven.id() + " could not be appended to " + topic + " (" + kind + ")",
        appendFailure);
    String why = switch (kind) {
      case RECORD_TOO_LARGE -> "the event is larger than Kafka accepts for topic " + topic;
      case BROKER_UNREACHABLE, TIMED_OUT -> "Kafka did not acknowledge the append to topic " + topic + " within "
          + appender.appender().appendTimeout().toMillis() + " ms; it may still have been written, and a retry appends it again "
          + "with the same CloudEvent id, which consumers deduplicate";
      case CLOSING -> "the console is shutting down; nothing was appended to topic " + topic;
      case BACKPRESSURE, BUFFER_FULL, REJECTED_BY_BROKER -> "Kafka did not take the append to topic " + topic + " ("
          + kind.label() + ")";
    };
    return store.operator().cancelRedrive(redriven.id(), why)
        .onFailure(cancelFailure -> LOG.log(System.Logger.Level.ERROR, "ingress item " + redriven.id()
            + " stays REDRIVEN although its append was not acknowledged (moving it back failed); "
            + "an operator must look at it", cancelFailure))
        .transform(cancelled -> {
          String state = cancelled.succeeded()
              ? "; the item is QUARANTINED again"
              : "; the item stays REDRIVEN (moving it back failed)";
          return fail(kind == AppendFailure.RECORD_TOO_LARGE
              ? new RecordTooLarge(why + state + ": fix the data to make it smaller")
              : new Unavailable(why + state + (cancelled.succeeded() ? ", retry later" : "")));
        });
  }

  private static <T> Future<T> fail(ConsoleError error) {
    return Future.failedFuture(new ConsoleFailure(error));
  }
}

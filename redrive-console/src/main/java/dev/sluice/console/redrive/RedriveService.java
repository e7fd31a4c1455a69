package dev.sluice.console.redrive;

import static dev.sluice.console.problem.ConsoleFailure.failed;
import static dev.sluice.console.problem.ConsoleFailure.orFail;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleError.InvalidData;
import dev.sluice.console.problem.ConsoleError.ItemNotFound;
import dev.sluice.console.problem.ConsoleError.NoEventType;
import dev.sluice.console.problem.ConsoleError.NotRedrivable;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.console.problem.ConsoleError.UnknownEventType;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.seal.EditSealing;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.AppendObserver;
import dev.sluice.ingest.kafka.AppenderSettings;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.quarantine.store.RedriveEdit;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator redrive, as a chain of small steps: find the item, check it can be redriven, validate any replacement
 * data, move it QUARANTINED -> REDRIVEN (a conditional write), then hand its id to the group's queue.
 *
 * <p>An ingress reject (group {@value QuarantineItem#INGRESS_GROUP}) has no group to go back to: it was never appended,
 * so its redrive appends it to its stream instead ({@link IngressRedrive}).
 *
 * <p>Ordering matters for "nothing is lost": the status changes before the message is sent, so a consumer that
 * receives the message always finds the item REDRIVEN with the edited data in place. If the send fails, the status
 * is moved back so that the operator can try again. If that compensating write fails too (or the console dies between
 * its write and its send), the item stays REDRIVEN with no message; the owning group's wrapper finds such items after
 * {@code redriveResendAfter} and sends the request itself, so the redrive still happens.
 *
 * <p>Every store and queue call runs on a worker and returns a Future; this class only composes them, so it is safe
 * on the event loop. Schema validation is CPU work bounded by the console's body limit.
 */
public final class RedriveService {
  private static final System.Logger LOG = System.getLogger(RedriveService.class.getName());
  /** How long one append of the console's may take, acknowledged or failed. */
  public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(10);
  /** The console's producer's client id, unless the client properties name one. */
  public static final String CLIENT_ID = "sluice-console";

  private final QuarantineStore store;
  private final RecordPayloads payloads;
  private final RedriveQueue queue;
  private final SchemaRegistry registry;
  private final IngressRedrive ingress;
  private final EditSealing edits;

  /**
   * @param appender seals and appends redriven ingress rejects to their streams (its producer: {@link #appender})
   * @param lane where the check of a redriven ingress reject validates: on the event loop while it is cheap
   * @param payloads reads back the payloads of items too big for the store from their Kafka records
   */
  public RedriveService(QuarantineStore store, RedriveQueue queue, SealingAppender appender, SchemaRegistry registry,
      ValidationLane lane, RecordPayloads payloads) {
    this.store = Objects.requireNonNull(store, "store");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.registry = Objects.requireNonNull(registry, "registry");
    // The console does not know the gateway's configured limits: it reads captured requests with the defaults.
    this.ingress = new IngressRedrive(store, appender, new EventAdmission(registry, new CloudEventHttpReader()), lane);
    // An operator's edit is sealed with the keys ingest seals with: the process's key ring, or none.
    this.edits = new EditSealing(appender.sealing().keys());
  }

  /**
   * The console's producer, which appends redriven ingress rejects (and requeued events) to their topics: one
   * idempotent producer with {@code acks=all}, durability forced whatever the shared {@code sluice.kafka.*} client
   * properties say. Built on a worker; the console verticle owns it from then on and closes it.
   */
  public static Future<EventAppender> appender(Vertx vertx, Map<String, String> kafkaClientConfig,
      Duration appendTimeout) {
    return EventAppender.create(vertx, AppenderSettings.durable(kafkaClientConfig, appendTimeout, CLIENT_ID),
        AppendObserver.NONE);
  }

  /**
   * Redrives an item.
   *
   * @param replacementData compact JSON that replaces the event's data, or empty to redrive it as it is
   * @return the item as stored after the redrive (REDRIVEN for a consumer group's item, RESOLVED for an ingress
   *     reject, with where it was appended); fails with a {@link ConsoleFailure}, a {@code StoreException} or an
   *     engine error
   */
  public Future<Redriven> redrive(String id, Optional<String> replacementData, String actor) {
    return store.get(id)
        .compose(found -> orFail(found, new ItemNotFound(id)))
        .compose(item -> isIngressReject(item)
            ? redriveIngress(item, replacementData, actor)
            : redriveToGroup(item, replacementData, actor));
  }

  /** Refused at ingress, never appended: no consumer group has it. */
  static boolean isIngressReject(QuarantineItem item) {
    return QuarantineItem.INGRESS_GROUP.equals(item.group());
  }

  private Future<Redriven> redriveToGroup(QuarantineItem item, Optional<String> replacementData, String actor) {
    return prepare(item, replacementData)
        .compose(edit -> edit.isPresent()
            ? store.operator().requestRedrive(item.id(), edit.get(), actor)
            : store.operator().requestRedrive(item.id(), Optional.empty(), actor))
        .compose(this::enqueue)
        .map(redriven -> new Redriven(redriven, Optional.empty()));
  }

  Future<Redriven> redriveIngress(QuarantineItem item, Optional<String> replacementData, String actor) {
    // An early, clear answer only: the conditional write inside is what guards against a concurrent redrive.
    if (item.status() != QuarantineStatus.QUARANTINED) {
      return failed(new NotRedrivable(item.id(), item.status()));
    }
    return ingress.redrive(item, replacementData, actor);
  }

  /**
   * Checks that run before any write, and the edit as it will be stored. The status check here only gives an early,
   * clear answer: the conditional write that follows is what actually guards against a concurrent redrive.
   *
   * @return the edit to store (its marked values sealed), or empty to redrive the event as it is
   */
  Future<Optional<RedriveEdit>> prepare(QuarantineItem item, Optional<String> replacementData) {
    if (item.status() != QuarantineStatus.QUARANTINED) {
      return failed(new NotRedrivable(item.id(), item.status()));
    }
    return record(item).compose(record -> replacementData.isEmpty()
        ? Future.succeededFuture(Optional.<RedriveEdit>empty())
        : edit(item, record, replacementData.get()).map(Optional::of));
  }

  /** The item's record, as its group's consumer will read it for the redrive. */
  private record Record(byte[] payload, List<KafkaHeader> headers) {}

  private Future<Record> record(QuarantineItem item) {
    if (item.payloadStored()) {
      return Future.succeededFuture(new Record(item.payload(), item.headers()));
    }
    // Its group's consumer reads the record again to redrive it; asked first here, so that a record gone or not the
    // same is answered now, not found out later by the consumer.
    return payloads.read(item)
        .recover(err -> failed(new Unavailable("Kafka did not give back the record at " + item.topic() + "-"
            + item.partition() + "@" + item.offset() + ": " + err.getMessage())))
        .compose(read -> read instanceof RecordPayloads.Found found
            ? Future.succeededFuture(new Record(found.payload(), item.headersStored() ? item.headers()
                : found.headers()))
            : failed(new ConsoleError.PayloadNotInKafka(item, read)));
  }

  /**
   * The replacement data as stored: opened (values carried over still sealed are decrypted where they were sealed),
   * checked against the type's schema in the clear, then sealed again, so that no marked value is stored in the clear
   * and the check sees what the consumer's handler will.
   */
  private Future<RedriveEdit> edit(QuarantineItem item, Record record, String data) {
    if (item.eventType().isEmpty()) {
      return failed(new NoEventType(item.id()));
    }
    // Values carried over still sealed come from what the operator was shown: the earlier edit if there is one (with
    // its own seal header), else the record.
    Optional<EditSealing.Target> target = EditSealing.Target.of(item, record.payload(),
        item.headersForRedrive(record.headers()), registry.state());
    if (target.isEmpty()) {
      return checkReplacement(item.eventType().get(), data).map(ok -> new RedriveEdit(data, Optional.empty()));
    }
    return edits.open(target.get(), data)
        .compose(plain -> checkReplacement(item.eventType().get(), plain)
            .compose(ok -> edits.seal(target.get(), plain)));
  }

  /**
   * {@code data} (a draft of the item's data, or its current data: the edit if it has one) with the sealed values it
   * carries opened, where they were sealed: what an operator edits and a patch applies to. A captured reject's data
   * comes back as given. A stored item whose payload
   * Kafka keeps comes back as given (its event cannot be read here). Fails with a 422 naming the pointer when a value
   * does not open (moved, copied, a forgotten subject's), 503 when the keys do not answer.
   */
  public Future<String> open(QuarantineItem item, String data) {
    if (isIngressReject(item)) {
      // A captured reject was never sealed (its marked values are withheld, and typed anew in a fix); its redrive is
      // admitted and sealed as ingest would.
      return Future.succeededFuture(data);
    }
    Optional<EditSealing.Target> target = EditSealing.Target.of(item, item.payload(),
        item.headersForRedrive(item.headers()), registry.state());
    return target.isEmpty() ? Future.succeededFuture(data) : edits.open(target.get(), data);
  }

  private Future<Void> checkReplacement(String type, String data) {
    Validation validation = registry.validate(type, data);
    if (validation instanceof Validation.Valid) {
      return Future.succeededFuture();
    }
    if (validation instanceof Validation.Invalid invalid) {
      return failed(new InvalidData(invalid.violations()));
    }
    if (validation instanceof Validation.UnknownType) {
      return failed(new UnknownEventType(type));
    }
    // The data was produced by a JSON encoder, so the registry cannot find it malformed; if it does, say so plainly.
    Validation.Malformed malformed = (Validation.Malformed) validation;
    return failed(new ConsoleError.BadBody("the replacement data is not JSON: " + malformed.message()));
  }

  private Future<QuarantineItem> enqueue(QuarantineItem redriven) {
    return queue.send(redriven.group(), redriven.id())
        .map(sent -> redriven)
        .recover(sendFailure -> {
          LOG.log(System.Logger.Level.WARNING,
              "redrive of " + redriven.id() + " could not be queued for group " + redriven.group(), sendFailure);
          String why = "the redrive request could not be queued for group " + redriven.group()
              + " (" + sendFailure.getClass().getSimpleName() + ")";
          return store.operator().cancelRedrive(redriven.id(), why)
              .onFailure(cancelFailure -> LOG.log(System.Logger.Level.ERROR,
                  "item " + redriven.id() + " stays REDRIVEN with no queued request (moving it back failed); "
                      + "its group will resend the request once it has been REDRIVEN too long",
                  cancelFailure))
              .transform(cancelled -> failed(new Unavailable(cancelled.succeeded()
                  ? why + "; the item is QUARANTINED again, retry later"
                  : why + "; the item stays REDRIVEN and its consumer group will send the request itself later")));
        });
  }
}

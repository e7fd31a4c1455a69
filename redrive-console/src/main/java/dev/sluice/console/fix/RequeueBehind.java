package dev.sluice.console.fix;

import static dev.sluice.console.problem.ConsoleFailure.failed;
import static dev.sluice.console.problem.ConsoleFailure.orFail;

import dev.sluice.console.problem.ConsoleError.ItemNotFound;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleError.NotRedrivable;
import dev.sluice.console.problem.ConsoleError.NotRequeueable;
import dev.sluice.console.problem.ConsoleError.Unavailable;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Requeue behind: a head that can only succeed after the events parked behind it (a photo that arrived before its
 * product) goes to the back of its key's line, so the parked events are handled first and the head after them.
 *
 * <p>How, with no change to the consumer: the head's event is appended again to its topic, with its record key (so
 * the same partition, by the same partitioner the gateway uses) and its value and headers as read, and the head item
 * is settled (RESOLVED, the detail saying where its retry went). The consumer then sees, in its own order:
 * <ol>
 *   <li>the head settled: its key's lane now starts with the parked items, which it releases in offset order, as it
 *       does after a discard;</li>
 *   <li>the appended record, at an offset after every parked item: while any of them is still open it is parked
 *       behind them (the ordinary key guard), so it is handled after them; a failure makes it a new item.</li>
 * </ol>
 *
 * <p>Nothing is lost, nothing doubled: QUARANTINED -> REDRIVEN first (a conditional write, so of two concurrent
 * requests one gets 409), then the append (acks=all), then REDRIVEN -> RESOLVED. While REDRIVEN the head still holds
 * its lane, so nothing is released before the new record exists. If the append is not acknowledged the head goes back
 * to QUARANTINED and the operator gets 503. If the console dies between the write and the append, the group's wrapper
 * resends a redrive for the item after {@code redriveResendAfter}: the head is then retried in place (the plain
 * redrive), which is safe, only not reordered.
 */
public final class RequeueBehind {
  private static final System.Logger LOG = System.getLogger(RequeueBehind.class.getName());

  private final QuarantineStore store;
  private final EventAppender appender;

  public RequeueBehind(QuarantineStore store, EventAppender appender) {
    this.store = Objects.requireNonNull(store, "store");
    this.appender = Objects.requireNonNull(appender, "appender");
  }

  /** What was done: the head as settled, the parked items it went behind (in order), where its retry went. */
  public record Requeued(QuarantineItem head, List<OpenItem> parked, Appended appendedTo) {}

  public Future<Requeued> requeue(String id, String reason, String actor) {
    return store.get(id)
        .compose(found -> orFail(found, new ItemNotFound(id)))
        .compose(head -> check(head)
            .compose(checked -> store.openItems(head.group(), head.topic(), head.partition()))
            .compose(open -> {
              List<OpenItem> parked = parkedBehind(head, open);
              if (parked.isEmpty()) {
                return failed(new NotRequeueable(id, "nothing is parked behind it; redrive it instead"));
              }
              return store.operator().requestRedrive(id, Optional.empty(), actor)
                  .compose(redriven -> appender.append(head.topic(), head.key().get(), head.payload(),
                          head.headers())
                      .transform(appended -> appended.succeeded()
                          ? settle(redriven, parked, appended.result(), reason, actor)
                          : putBack(redriven, appended.cause())));
            }));
  }

  /** Early, clear answers; the conditional write is what guards against a concurrent change. */
  static Future<QuarantineItem> check(QuarantineItem head) {
    if (QuarantineItem.INGRESS_GROUP.equals(head.group()) || head.lane().isEmpty()) {
      return failed(new NotRequeueable(head.id(), "an ingress reject was never appended, so nothing waits behind it"));
    }
    if (head.key().isEmpty()) {
      return failed(new NotRequeueable(head.id(), "the record has no key, so nothing is parked behind it"));
    }
    if (head.status() != QuarantineStatus.QUARANTINED) {
      return failed(new NotRedrivable(head.id(), head.status()));
    }
    if (!head.payloadStored()) {
      // Appending the store's empty payload would put a different event in the head's place.
      return failed(new ConsoleError.PayloadNotStored(head));
    }
    return Future.succeededFuture(head);
  }

  /** The PARKED items of the head's key after it, in offset order (the order the consumer releases them in). */
  static List<OpenItem> parkedBehind(QuarantineItem head, List<OpenItem> open) {
    return open.stream()
        .filter(o -> o.status() == QuarantineStatus.PARKED && o.key().equals(head.key()) && o.offset() > head.offset())
        .sorted(Comparator.comparingLong(OpenItem::offset))
        .toList();
  }

  private Future<Requeued> settle(QuarantineItem redriven, List<OpenItem> parked, Appended at, String reason,
      String actor) {
    if (at.partition() != redriven.partition()) {
      // Same key, same partitioner: only a change of the topic's partition count can cause this.
      LOG.log(System.Logger.Level.WARNING, "the requeued event of " + redriven.id() + " landed at " + at.position()
          + ", not in partition " + redriven.partition() + " (has the topic's partition count changed?)");
    }
    String detail = "requeued behind " + parked.size() + " parked item(s) (" + reason + "): appended to "
        + at.position();
    return store.operator().resolve(redriven.id(), actor, detail)
        .map(resolved -> new Requeued(resolved, parked, at))
        .recover(failure -> {
          // The event is appended: its retry will happen. The item stays REDRIVEN (holding its lane until the
          // wrapper's resend retries it in place), which delays the release but loses nothing.
          LOG.log(System.Logger.Level.WARNING, "the event of " + redriven.id() + " is requeued at " + at.position()
              + ", but the item could not be marked RESOLVED; it stays REDRIVEN", failure);
          return Future.succeededFuture(new Requeued(redriven, parked, at));
        });
  }

  private Future<Requeued> putBack(QuarantineItem redriven, Throwable appendFailure) {
    LOG.log(System.Logger.Level.WARNING, "requeue of " + redriven.id() + " could not be appended to "
        + redriven.topic(), appendFailure);
    String why = "the event could not be appended to " + redriven.topic() + " ("
        + appendFailure.getClass().getSimpleName() + ")";
    return store.operator().cancelRedrive(redriven.id(), why)
        .transform(cancelled -> failed(new Unavailable(why + (cancelled.succeeded()
            ? "; the item is QUARANTINED again, retry later"
            : "; the item stays REDRIVEN and its group will retry it in place"))));
  }
}

package dev.sluice.quarantine.consumer;

import dev.sluice.crypto.keys.KeyAccessDeniedException;
import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.Placeholders;
import dev.sluice.crypto.seal.SealFailure;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.UnsealInput;
import dev.sluice.crypto.seal.Unsealed;
import dev.sluice.crypto.seal.Unsealer;
import dev.sluice.crypto.seal.Unsealing;
import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.metrics.ConsumerMetrics.UnsealOutcome;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.marks.DataSubject;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a ready event into what its handler may see: the one step every path that calls the handler takes right
 * before the call (a record from Kafka, a parked event released, a delayed retry, a redrive; the in-place retries of
 * a call reuse the event it made). An event with nothing sealed is handed on as it is, at no cost.
 *
 * <p><b>Granted or not.</b> A group built with keys ({@link WrapperBuilder#unsealWith}) is <em>granted</em> the
 * streams its {@link KeyGrant} covers (all it reads, or some): for their events its handler gets each sealed value back
 * in the clear, byte for byte as the producer sent it, or {@code "sluice:erased"} in place of each value of a forgotten
 * subject. For any other stream, and for every stream of a group built without keys, it is <em>ungranted</em>: its
 * handler gets each marked value replaced by {@code "sluice:withheld"}, and no key of that stream is ever asked for.
 * Both check the record the same way first ({@link Unsealer}: the header and the data agree, each marked value is a ciphertext, none is in the clear
 * without a header), so both judge a broken record alike; only a granted group can tell a tampered ciphertext.
 *
 * <p><b>Seal failures</b> ({@link SealFailure}: tampered or moved ciphertext, unknown key version, no key, header and
 * data disagreeing, a marked value in the clear, an unreadable header) are facts about the record, the same in every
 * process: each is poison, quarantined as {@link QuarantineReason#SEAL_FAILURE} with the failure's reason (pointers and
 * versions, never a value) and never retried.
 *
 * <p><b>Key outages.</b> A key that cannot be had now ({@link KeyUnavailableException}: the key table or the KEK does
 * not answer, or is slow) says nothing about the record, so it is neither poison nor a reason to hand over placeholders:
 * the event waits and its unsealing is tried again, with the wrapper's outage backoff, for as long as its caller still
 * wants it ({@link #open(Triage.Ready, BooleanSupplier, Runnable)}), exactly as a store outage is ridden out: the
 * partition holds the record, commits nothing past it and takes nothing more meanwhile, and carries on by itself once
 * the keys answer. A {@link KeyAccessDeniedException} (this process may not read the keys) is held the same way, as
 * the crypto module treats it: nothing is known about the key, only a change of permissions ends it, and handing the
 * group placeholders instead would have it act on, and commit past, events it was set up to read. It is logged as an
 * error and counted apart ({@code access_denied}) so that it is alerted on, not mistaken for a slow table.
 *
 * <p>Nothing unsealed is kept: the plaintext exists only in the event handed to the handler. The triage's verdict,
 * every item (its payload is the record as on the ledger), every log line and every meter are made from the sealed
 * record. Stateless apart from its meters; safe on any context (a key's Future completes on its caller's context, as
 * {@link SubjectKeys} promises).
 */
final class EventUnsealer {
  private static final Logger LOG = LoggerFactory.getLogger(EventUnsealer.class);

  /** How an ungranted group's key source answers every decrypt: not an error, the sign to withhold the values. */
  private static final class Withheld extends RuntimeException {
    private static final Withheld INSTANCE = new Withheld();

    private Withheld() {
      super("the group is not granted the keys of sealed fields", null, false, false);
    }
  }

  /**
   * An ungranted group's keys: none. The {@link Unsealer} asks for a key only once the record passed every check that
   * needs none, so an ungranted group runs those checks too, and then withholds the values without any key call.
   */
  private static final SubjectKeys WITHHOLDING = new SubjectKeys() {
    @Override
    public Future<SubjectKey> forEncrypt(SubjectRef subject) {
      return Future.failedFuture(new UnsupportedOperationException("a consumer never seals"));
    }

    @Override
    public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
      return Future.failedFuture(Withheld.INSTANCE);
    }
  };

  /** The group's keys and the streams it may open with them. */
  record Granted(SubjectKeys keys, KeyGrant streams) {
    Granted {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(streams, "streams");
    }
  }

  /** Over the group's keys, if it is granted any. */
  private final Optional<Unsealer> granting;
  private final Optional<KeyGrant> grant;
  /** Over no keys: for the streams outside the grant, and every stream of an ungranted group. */
  private final Unsealer withholding = new Unsealer(WITHHOLDING);
  private final OutageRetry outage;
  private final ConsumerMetrics metrics;
  private final String group;

  /**
   * @param granted the group's keys and the streams it is granted, if any; empty for an ungranted group
   * @param outage the wrapper's outage backoff, which a key outage is ridden out with
   */
  EventUnsealer(Optional<Granted> granted, OutageRetry outage, ConsumerMetrics metrics, String group) {
    this.granting = granted.map(g -> new Unsealer(g.keys()));
    this.grant = granted.map(Granted::streams);
    this.outage = Objects.requireNonNull(outage, "outage");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.group = Objects.requireNonNull(group, "group");
  }

  /** What the handler may be given, or why it may not be given the event at all. */
  sealed interface Outcome permits Open, Failed {}

  /**
   * The event as the handler sees it: sealed values in the clear (granted), or erased or withheld placeholders.
   * Never written or logged: only {@link ConsumedEvent} carries it to the handler.
   */
  record Open(String stream, CloudEvent event) implements Outcome {}

  /** A {@link SealFailure}, as the poison the record is (reason SEAL_FAILURE). */
  record Failed(Triage.Poison poison) implements Outcome {}

  /**
   * Unseals once: a key outage fails the Future with its {@link KeyUnavailableException}. For the queue drainers,
   * whose message then stays in its queue, to be handed out again, as with a store outage there.
   */
  Future<Outcome> open(Triage.Ready ready) {
    return open(ready, () -> false, () -> {});
  }

  /**
   * Unseals, riding out a key outage: each try that finds the keys unavailable is followed by {@code waiting} and,
   * after the outage backoff, by another, for as long as {@code keepTrying} says so (asked before each wait and after
   * it); then the Future fails with the last {@link KeyUnavailableException}. Never fails otherwise: every verdict is
   * a value. Complete at once when nothing is sealed, the group is not granted the stream, or the key is in memory.
   */
  Future<Outcome> open(Triage.Ready ready, BooleanSupplier keepTrying, Runnable waiting) {
    if (ready.sealed().isEmpty() || ready.sealed().get().nothingSealed()) {
      return Future.succeededFuture(new Open(ready.stream(), ready.event()));
    }
    SealedFields fields = ready.sealed().get();
    Optional<SealHeader> header = Optional.empty();
    if (fields.header().isPresent()) {
      if (fields.header().get() instanceof SealHeader.Parsed.Invalid invalid) {
        return Future.succeededFuture(failed(ready, SealFailure.unreadableHeader(invalid)));
      }
      header = Optional.of(((SealHeader.Parsed.Ok) fields.header().get()).header());
    }
    CloudEvent e = ready.event();
    // A header's subject is never empty: data that names no usable subject matches no header (a mismatch), and its
    // marked values present without a header are in the clear (not sealed).
    String subject = fields.subject() instanceof DataSubject.Valid valid ? valid.value() : "";
    UnsealInput input = new UnsealInput(new EventRef(ready.stream(), e.source(), e.id(), e.type()), subject,
        e.data(), fields.values(), header);
    return attempt(new Try(ready, fields, input, keepTrying, waiting), 1);
  }

  /** One event's unsealing, through its tries. */
  private record Try(Triage.Ready ready, SealedFields fields, UnsealInput input, BooleanSupplier keepTrying,
      Runnable waiting) {
    String stream() {
      return ready.stream();
    }
  }

  private Future<Outcome> attempt(Try t, int tries) {
    Future<Unsealing> once;
    try {
      once = unsealerFor(t.stream()).unseal(t.input());
    } catch (RuntimeException e) {
      once = Future.failedFuture(e);
    }
    if (once.isComplete()) {
      // The key in memory, or none needed (the common case): judged at once, without a continuation.
      return judge(once, t, tries);
    }
    return once.transform(ar -> judge(ar, t, tries));
  }

  private Future<Outcome> judge(AsyncResult<Unsealing> ar, Try t, int tries) {
    if (ar.succeeded()) {
      return Future.succeededFuture(judged(t, ar.result()));
    }
    Throwable err = ar.cause();
    if (err instanceof Withheld) {
      metrics.unseal(t.stream(), UnsealOutcome.WITHHELD);
      CloudEvent e = t.ready().event();
      return Future.succeededFuture(new Open(t.stream(),
          e.withData(Placeholders.replace(e.data(), t.fields().values(), Placeholders.WITHHELD))));
    }
    if (!(err instanceof KeyUnavailableException unavailable)) {
      // A bug (marks located wrongly, a key source breaking its contract): the values can be neither shown nor
      // withheld with confidence, and trying again would give the same. Poison, saying only what failed.
      LOG.error("group {}: unsealing an event of {} failed: {}", group, t.stream(), err.getClass().getName());
      return Future.succeededFuture(new Failed(poison(t.ready(), err.getClass().getSimpleName(),
          "the marked values could not be unsealed (" + err.getClass().getSimpleName() + ")")));
    }
    boolean denied = unavailable instanceof KeyAccessDeniedException;
    metrics.unseal(t.stream(), denied ? UnsealOutcome.ACCESS_DENIED : UnsealOutcome.KEY_UNAVAILABLE);
    if (!t.keepTrying().getAsBoolean()) {
      return Future.failedFuture(unavailable);
    }
    if (OutageRetry.worthLogging(tries)) {
      if (denied) {
        LOG.error("group {}: access to the keys of stream {} is denied (try {}): its events with sealed fields wait "
            + "until this process is granted the keys, or the group is built without a grant of the stream: {}",
            group, t.stream(), tries, unavailable.toString());
      } else {
        LOG.warn("group {}: the keys of stream {} are unavailable (try {}), trying again: {}", group, t.stream(),
            tries, unavailable.toString());
      }
    }
    t.waiting().run();
    return outage.pause(tries).compose(v -> t.keepTrying().getAsBoolean() ? attempt(t, tries + 1)
        : Future.failedFuture(unavailable));
  }

  /** The granted unsealer for a stream the grant covers, else the withholding one (which never asks for a key). */
  private Unsealer unsealerFor(String stream) {
    return grant.isPresent() && grant.get().covers(stream) ? granting.get() : withholding;
  }

  private Outcome judged(Try t, Unsealing result) {
    if (result instanceof Unsealed unsealed) {
      metrics.unseal(t.stream(), unsealed.erased().isEmpty() ? UnsealOutcome.UNSEALED : UnsealOutcome.ERASED);
      return new Open(t.stream(), t.ready().event().withData(unsealed.data()));
    }
    SealFailure failure = (SealFailure) result;
    metrics.unseal(t.stream(), outcomeOf(failure));
    return failed(t.ready(), failure);
  }

  private static Failed failed(Triage.Ready ready, SealFailure failure) {
    return new Failed(poison(ready, failure.getClass().getSimpleName(), failure.reason()));
  }

  private static Triage.Poison poison(Triage.Ready ready, String errorClass, String message) {
    return new Triage.Poison(ready.stream(), Optional.of(ready.event().id()), Optional.of(ready.event().type()),
        QuarantineReason.SEAL_FAILURE, errorClass, message, List.of());
  }

  static UnsealOutcome outcomeOf(SealFailure failure) {
    if (failure instanceof SealFailure.Tampered) {
      return UnsealOutcome.TAMPERED;
    }
    if (failure instanceof SealFailure.UnknownKeyVersion) {
      return UnsealOutcome.UNKNOWN_KEY_VERSION;
    }
    if (failure instanceof SealFailure.KeyNotFound) {
      return UnsealOutcome.KEY_NOT_FOUND;
    }
    if (failure instanceof SealFailure.NotSealed) {
      return UnsealOutcome.NOT_SEALED;
    }
    return UnsealOutcome.SEAL_MISMATCH;
  }
}

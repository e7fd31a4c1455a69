package dev.sluice.quarantine.consumer;

import static dev.sluice.quarantine.consumer.SealedRecords.EMAIL;
import static dev.sluice.quarantine.consumer.SealedRecords.NAME;
import static dev.sluice.quarantine.consumer.SealedRecords.PLAIN;
import static dev.sluice.quarantine.consumer.SealedRecords.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.keys.KeyAccessDeniedException;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.QuarantineReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Unsealing for the handler, over real sealed records (the real sealer, keys in memory): what a granted and an
 * ungranted group's handler sees, each seal failure as SEAL_FAILURE poison that quotes no value, and a key outage or
 * denial waited out, never turned into a verdict.
 */
class EventUnsealerTest {
  private static final SubjectRef PH1 = new SubjectRef(SealedRecords.STREAM, "ph-1");

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ConsumerMetrics metrics = new ConsumerMetrics(meters, "g");
  private final SealedRecords records = new SealedRecords();
  private final Triage triage = new Triage(records.registry);
  private final MemoryKeys keys = new MemoryKeys();
  /** A short outage backoff: 5 ms between tries. */
  private final OutageRetry outage = new OutageRetry(vertx,
      new BackoffPolicy(Duration.ofMillis(5), 1.0, Duration.ofMillis(5), Integer.MAX_VALUE), new SplittableRandom(1),
      metrics, "g");
  private final EventUnsealer granted = grantedOnly(KeyGrant.allStreams());
  private final EventUnsealer ungranted = new EventUnsealer(Optional.empty(), outage, metrics, "g");

  private EventUnsealer grantedOnly(KeyGrant streams) {
    return new EventUnsealer(Optional.of(new EventUnsealer.Granted(keys, streams)), outage, metrics, "g");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Triage.Ready ready(SealedRecords.Rec rec) {
    return assertInstanceOf(Triage.Ready.class, triage.triage("retail", rec.headers(), rec.value()));
  }

  /** The outcome of a Future that is complete already (no key call in flight). */
  private static EventUnsealer.Outcome now(Future<EventUnsealer.Outcome> f) {
    assertTrue(f.isComplete(), "answered at once");
    return f.result();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject dataOf(EventUnsealer.Outcome outcome) {
    return new JsonObject(assertInstanceOf(EventUnsealer.Open.class, outcome).event().data());
  }

  private double count(String result) {
    Counter c = meters.find("sluice.consumer.unseals").tags("result", result, "stream", "retail", "group", "g")
        .counter();
    return c == null ? 0 : c.count();
  }

  /** A seal failure's poison: reason SEAL_FAILURE, the failure's class, and nothing of the plaintext anywhere. */
  private static Triage.Poison sealFailure(EventUnsealer.Outcome outcome, String errorClass) {
    Triage.Poison poison = assertInstanceOf(EventUnsealer.Failed.class, outcome).poison();
    assertEquals(QuarantineReason.SEAL_FAILURE, poison.reason());
    assertEquals(errorClass, poison.errorClass());
    assertEquals(Optional.of("e-1"), poison.eventId());
    assertEquals(Optional.of(TYPE), poison.eventType());
    assertEquals(List.of(), poison.violations());
    assertFalse(poison.message().contains(NAME) || poison.message().contains(EMAIL)
        || poison.message().contains("Ann") || poison.message().contains("secret"), poison.message());
    return poison;
  }

  @Test
  void aGrantedGroupsHandlerSeesTheValuesAsTheProducerSentThem() {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    assertFalse(ready.event().data().contains(EMAIL), "the ledger's form is sealed");

    EventUnsealer.Open open = assertInstanceOf(EventUnsealer.Open.class, now(granted.open(ready)));
    assertEquals(PLAIN, open.event().data(), "byte for byte");
    assertEquals("e-1", open.event().id());
    assertEquals("retail", open.stream());
    assertEquals(1, count("unsealed"));
  }

  @Test
  void anUngrantedGroupsHandlerSeesWithheldValues() {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));

    JsonObject data = dataOf(now(ungranted.open(ready)));
    assertEquals("ph-1", data.getString("id"), "unmarked values stay");
    assertEquals("sluice:withheld", data.getString("name"));
    assertEquals("sluice:withheld", data.getString("email"));
    assertEquals(1, count("withheld"));
  }

  @Test
  void aGroupGrantedSomeStreamsOnlyIsUngrantedForTheOthersAndAsksForNoKeyOfThem() {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    // Were a key of retail asked for, it would be denied, and the event held instead of answered at once.
    keys.deniedFor(100);
    int before = keys.decrypts();

    JsonObject data = dataOf(now(grantedOnly(KeyGrant.only("payments", "orders")).open(ready)));
    assertEquals("ph-1", data.getString("id"));
    assertEquals("sluice:withheld", data.getString("name"));
    assertEquals("sluice:withheld", data.getString("email"));
    assertEquals(before, keys.decrypts(), "no key of a stream outside the grant is asked for");
    assertEquals(1, count("withheld"));
    assertEquals(0, count("access_denied"));
  }

  @Test
  void aGroupGrantedTheEventsStreamAmongOthersSeesItsValues() {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));

    EventUnsealer.Open open = assertInstanceOf(EventUnsealer.Open.class,
        now(grantedOnly(KeyGrant.only("payments", SealedRecords.STREAM)).open(ready)));
    assertEquals(PLAIN, open.event().data());
    assertEquals(1, count("unsealed"));
    assertEquals(0, count("withheld"));
  }

  @Test
  void aGrantedStreamsKeysAreStillAskedForAndAnOutageOfThemHolds() {
    // The same denial as above, for a stream the grant covers: held, never withheld.
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    keys.deniedFor(1);

    Future<EventUnsealer.Outcome> once = grantedOnly(KeyGrant.only(SealedRecords.STREAM)).open(ready);
    assertTrue(once.failed());
    assertInstanceOf(KeyAccessDeniedException.class, once.cause());
    assertEquals(1, count("access_denied"));
    assertEquals(0, count("withheld"));
  }

  @Test
  void aStreamOutsideTheGrantIsStillCheckedAsAnUngrantedGroupChecksIt() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    SealHeader h = rec.sealHeader();
    Triage.Ready mismatched = ready(rec.withSealHeader(new SealHeader(h.subject(), h.key(), List.of("/email"))
        .encode()));

    sealFailure(now(grantedOnly(KeyGrant.only("payments")).open(mismatched)), "SealMismatch");
    assertEquals(0, keys.decrypts());
  }

  @Test
  void aForgottenSubjectsValuesReadAsErased() {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    keys.forget(PH1);

    JsonObject data = dataOf(now(granted.open(ready)));
    assertEquals("ph-1", data.getString("id"));
    assertEquals("sluice:erased", data.getString("name"));
    assertEquals("sluice:erased", data.getString("email"));
    assertEquals(1, count("erased"));
  }

  @Test
  void anEventWithNothingSealedIsHandedOnAsItIsWithoutCounting() {
    String product = "{\"id\":\"p\",\"brand\":\"b\",\"name\":\"n\",\"category\":\"c\",\"price\":1}";
    Triage.Ready ready = ready(SealedRecords.plain("e-1", "retail.product.created", product));
    assertEquals(Optional.empty(), ready.sealed());

    EventUnsealer.Open open = assertInstanceOf(EventUnsealer.Open.class, now(granted.open(ready)));
    assertSame(ready.event(), open.event());
    assertEquals(0, meters.find("sluice.consumer.unseals").counters().size());
  }

  @Test
  void aChangedCiphertextIsTampered() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    String email = SealedRecords.ciphertextOf(rec.data(), "email");
    // A character in the middle of the base64 text: still a well-formed ciphertext, no longer the one sealed.
    int at = email.length() / 2;
    String changed = email.substring(0, at) + (email.charAt(at) == 'A' ? 'B' : 'A') + email.substring(at + 1);
    Triage.Ready ready = ready(rec.withData(rec.data().replace(email, changed)));

    Triage.Poison poison = sealFailure(now(granted.open(ready)), "Tampered");
    assertTrue(poison.message().contains("/email"), poison.message());
    assertEquals(1, count("tampered"));
  }

  @Test
  void aCiphertextMovedToAnotherFieldIsTampered() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    String name = SealedRecords.ciphertextOf(rec.data(), "name");
    String email = SealedRecords.ciphertextOf(rec.data(), "email");
    String swapped = rec.data().replace(name, "@N@").replace(email, name).replace("@N@", email);

    sealFailure(now(granted.open(ready(rec.withData(swapped)))), "Tampered");
  }

  @Test
  void aCiphertextCopiedFromAnotherEventIsTampered() {
    SealedRecords.Rec mine = records.sealed(keys, "e-1", PLAIN);
    SealedRecords.Rec other = records.sealed(keys, "e-2",
        PLAIN.replace(EMAIL, "someone.else@example.com"));
    String copied = mine.data().replace(SealedRecords.ciphertextOf(mine.data(), "email"),
        SealedRecords.ciphertextOf(other.data(), "email"));

    sealFailure(now(granted.open(ready(mine.withData(copied)))), "Tampered");
  }

  @Test
  void aKeyVersionTheSubjectDoesNotHaveIsUnknown() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    SealHeader h = rec.sealHeader();
    SealHeader other = new SealHeader(h.subject(), new KeyVersion(h.key().generation(), h.key().keyId() ^ 1),
        h.fields());

    Triage.Poison poison = sealFailure(now(granted.open(ready(rec.withSealHeader(other.encode())))),
        "UnknownKeyVersion");
    assertTrue(poison.message().contains(other.key().text()), poison.message());
    assertEquals(1, count("unknown_key_version"));
  }

  @Test
  void aSubjectTheKeysDoNotKnowHasNoKey() {
    SealedRecords.Rec rec = records.sealed(new MemoryKeys(), "e-1", PLAIN);

    sealFailure(now(granted.open(ready(rec))), "KeyNotFound");
    assertEquals(1, count("key_not_found"));
  }

  @Test
  void aHeaderThatListsOtherFieldsThanTheDataIsAMismatchForEveryGroup() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    SealHeader h = rec.sealHeader();
    Triage.Ready ready = ready(rec.withSealHeader(new SealHeader(h.subject(), h.key(), List.of("/email")).encode()));

    sealFailure(now(granted.open(ready)), "SealMismatch");
    sealFailure(now(ungranted.open(ready)), "SealMismatch");
    assertEquals(2, count("seal_mismatch"));
  }

  @Test
  void aHeaderNamingAnotherSubjectIsAMismatch() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    SealHeader h = rec.sealHeader();

    Triage.Poison poison = sealFailure(now(granted.open(ready(rec.withSealHeader(
        new SealHeader("ph-2", h.key(), h.fields()).encode())))), "SealMismatch");
    assertTrue(poison.message().contains("another data subject"), poison.message());
  }

  @Test
  void anUnreadableHeaderIsAMismatchThatQuotesNothing() {
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    Triage.Ready ready = ready(rec.withSealHeader("{\"v\":1,\"subject\":\"Ann Q. Example\"".getBytes(
        StandardCharsets.UTF_8)));

    Triage.Poison poison = sealFailure(now(granted.open(ready)), "SealMismatch");
    assertTrue(poison.message().contains("sluice-sealed header"), poison.message());
  }

  @Test
  void markedValuesInTheClearWithoutAHeaderAreNotSealedForEveryGroup() {
    Triage.Ready ready = ready(SealedRecords.plain("e-1", TYPE, PLAIN));
    assertTrue(ready.sealed().orElseThrow().header().isEmpty());

    Triage.Poison poison = sealFailure(now(granted.open(ready)), "NotSealed");
    assertTrue(poison.message().contains("/email"), poison.message());
    sealFailure(now(ungranted.open(ready)), "NotSealed");
    assertEquals(2, count("not_sealed"));
  }

  @Test
  void aValueTypedInTheClearOverASealedRecordIsAMismatch() {
    // An operator's edit before a redrive: the header stays, the value is no ciphertext.
    SealedRecords.Rec rec = records.sealed(keys, "e-1", PLAIN);
    String edited = rec.data().replace(SealedRecords.ciphertextOf(rec.data(), "email"), "\"" + EMAIL + "\"");
    Triage.Ready ready = assertInstanceOf(Triage.Ready.class,
        triage.triage("retail", rec.headers(), rec.value(), Optional.of(edited)));

    Triage.Poison poison = sealFailure(now(granted.open(ready)), "SealMismatch");
    assertTrue(poison.message().contains("/email is not a ciphertext"), poison.message());
  }

  @Test
  void aKeyOutageIsWaitedOutAndTheEventIsThenUnsealed() throws Exception {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    keys.outageFor(3);
    AtomicInteger waits = new AtomicInteger();

    EventUnsealer.Outcome outcome = await(granted.open(ready, () -> true, waits::incrementAndGet));
    assertEquals(PLAIN, assertInstanceOf(EventUnsealer.Open.class, outcome).event().data());
    assertEquals(3, waits.get(), "one wait after each failed try");
    assertEquals(3, count("key_unavailable"));
    assertEquals(1, count("unsealed"));
  }

  @Test
  void aKeyOutageIsNeverAVerdictTheCallerWhoStopsWantingItGetsTheOutage() {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    keys.outageFor(1);

    Future<EventUnsealer.Outcome> once = granted.open(ready);
    assertTrue(once.failed());
    assertInstanceOf(KeyUnavailableException.class, once.cause());
    assertEquals(1, count("key_unavailable"));
    assertEquals(0, count("withheld") + count("unsealed"), "neither placeholders nor a verdict");
    // The next try, the keys back, unseals it.
    assertEquals(PLAIN, assertInstanceOf(EventUnsealer.Open.class, now(granted.open(ready))).event().data());
  }

  @Test
  void anAccessDenialIsHeldLikeAnOutageAndCountedApart() throws Exception {
    Triage.Ready ready = ready(records.sealed(keys, "e-1", PLAIN));
    keys.deniedFor(100);
    AtomicInteger tries = new AtomicInteger();

    // The caller keeps trying for 4 tries, then stops wanting it (its partition was revoked).
    Future<EventUnsealer.Outcome> held = granted.open(ready, () -> tries.incrementAndGet() < 8, () -> {});
    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(held));
    assertInstanceOf(KeyAccessDeniedException.class, failed.getCause());
    assertEquals(4, count("access_denied"));
    assertEquals(0, count("key_unavailable"));
    assertEquals(0, count("withheld"), "a granted group is never handed placeholders for a denial");
  }
}

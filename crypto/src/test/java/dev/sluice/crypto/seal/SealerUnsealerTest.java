package dev.sluice.crypto.seal;

import static dev.sluice.crypto.testing.Futures.await;
import static dev.sluice.crypto.testing.Futures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.testing.HandTicker;
import dev.sluice.crypto.testing.MemoryKek;
import dev.sluice.crypto.testing.MemoryKeyRows;
import dev.sluice.crypto.testing.TestRing;
import dev.sluice.schemas.marks.MarkedValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SealerUnsealerTest {
  private static final EventRef EVENT = new EventRef("retail", "/shop", "e-1", "retail.photographer.registered");
  /** Unicode, escapes, a number in exponent form, an object, odd spacing: every byte must come back. */
  private static final String DATA = "{\"id\":\"ph-1\", \"name\":\"Zoë \\\"Z\\\" Ångström \\u00e9\\n🙂\","
      + "\"email\" : \"zoe@example.com\",\"age\":1.50e3,\n \"address\":{ \"city\":\"Oslo\", \"zip\":[1, 2] },"
      + "\"note\":\"keep  me\"}";
  private static final List<String> VALUES = List.of("\"Zoë \\\"Z\\\" Ångström \\u00e9\\n🙂\"",
      "\"zoe@example.com\"", "1.50e3", "{ \"city\":\"Oslo\", \"zip\":[1, 2] }");
  private static final List<String> POINTERS = List.of("/name", "/email", "/age", "/address");

  private final Vertx vertx = Vertx.vertx();
  private final MemoryKeyRows rows = new MemoryKeyRows();
  private final MemoryKek kek = new MemoryKek();
  private final KeyRing ring = TestRing.over(vertx, rows, kek, new HandTicker());
  private final Sealer sealer = new Sealer(ring);
  private final Unsealer unsealer = new Unsealer(ring);

  @AfterEach
  void tearDown() throws Exception {
    ring.close();
    await(vertx.close());
  }

  /** Where each marked value stands in {@code data}, found by its text (each occurs once). */
  private static List<MarkedValue> marks(String data, List<String> values) {
    List<MarkedValue> marks = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      int start = data.indexOf(values.get(i));
      assertTrue(start >= 0 && data.indexOf(values.get(i), start + 1) < 0, values.get(i));
      marks.add(new MarkedValue(POINTERS.get(i), start, start + values.get(i).length()));
    }
    return marks;
  }

  /** Where the sealed values stand in sealed data: the marks of the data's ciphertexts, by pointer. */
  private static List<MarkedValue> sealedMarks(String sealed) {
    List<String> ciphertexts = new ArrayList<>();
    int at = 0;
    while ((at = sealed.indexOf("\"sluice:v1:", at)) >= 0) {
      int end = sealed.indexOf('"', at + 1) + 1;
      ciphertexts.add(sealed.substring(at, end));
      at = end;
    }
    assertEquals(POINTERS.size(), ciphertexts.size());
    return marks(sealed, ciphertexts);
  }

  private Sealed seal(EventRef event, String data) throws Exception {
    return await(sealer.seal(new SealInput(event, "ph-1", data, marks(data, VALUES))));
  }

  private Unsealing unseal(EventRef event, String sealedData, Optional<SealHeader> header) throws Exception {
    return await(unsealer.unseal(new UnsealInput(event, "ph-1", sealedData, sealedMarks(sealedData), header)));
  }

  private Unsealing unseal(EventRef event, Sealed sealed) throws Exception {
    return unseal(event, sealed.data(), sealed.header());
  }

  @Test
  void sealingReplacesOnlyTheMarkedValuesAndUnsealingGivesBackTheExactText() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    for (String value : List.of("zoe@example.com", "Zoë", "Ångström", "1.50e3", "Oslo")) {
      assertFalse(sealed.data().contains(value), value);
    }
    assertTrue(sealed.data().startsWith("{\"id\":\"ph-1\", \"name\":\"sluice:v1:"), "unmarked bytes kept");
    assertTrue(sealed.data().endsWith(",\"note\":\"keep  me\"}"));
    SealHeader header = sealed.header().orElseThrow();
    assertEquals("ph-1", header.subject());
    assertEquals(List.of("/address", "/age", "/email", "/name"), header.fields());
    assertEquals(1, header.key().generation());
    assertEquals(new Unsealed(DATA, List.of()), unseal(EVENT, sealed));
  }

  @Test
  void sealingTheSameValueTwiceGivesDifferentCiphertexts() throws Exception {
    assertNotEquals(seal(EVENT, DATA).data(), seal(EVENT, DATA).data(), "a fresh IV each time");
  }

  @Test
  void withTheKeyInMemoryBothCompleteBeforeTheyReturn() throws Exception {
    Sealed first = seal(EVENT, DATA);
    Future<Sealed> sealing = sealer.seal(new SealInput(EVENT, "ph-1", DATA, marks(DATA, VALUES)));
    assertTrue(sealing.isComplete(), "no key call: the ingress keeps its synchronous path");
    Future<Unsealing> unsealing = unsealer.unseal(new UnsealInput(EVENT, "ph-1", first.data(),
        sealedMarks(first.data()), first.header()));
    assertTrue(unsealing.isComplete());
    assertEquals(new Unsealed(DATA, List.of()), unsealing.result());
  }

  @Test
  void dataWithNothingMarkedIsLeftAsItIsWithNoHeaderAndNoKeyCall() throws Exception {
    Sealed sealed = await(sealer.seal(new SealInput(EVENT, "ph-1", DATA, List.of())));
    assertEquals(new Sealed(DATA, Optional.empty()), sealed);
    assertEquals(new Unsealed(DATA, List.of()),
        await(unsealer.unseal(new UnsealInput(EVENT, "ph-1", DATA, List.of(), Optional.empty()))));
    assertEquals(0, rows.dekReads.get());
  }

  @Test
  void aFlippedBitInACiphertextIsTampered() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    MarkedValue email = mark(sealed.data(), "/email");
    byte[] bytes = ((Ciphertext.Parsed.Ok) Ciphertext.parseJson(email.text(sealed.data()))).ciphertext().bytes();
    bytes[bytes.length - 20] ^= 0x01;
    String flipped = sealed.data().substring(0, email.start()) + Ciphertext.of(bytes).json()
        + sealed.data().substring(email.end());
    assertEquals(new SealFailure.Tampered("/email"), unseal(EVENT, flipped, sealed.header()));
  }

  @Test
  void aCiphertextMovedToAnotherFieldIsTampered() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    MarkedValue name = mark(sealed.data(), "/name");
    MarkedValue email = mark(sealed.data(), "/email");
    String swapped = sealed.data().substring(0, name.start()) + email.text(sealed.data())
        + sealed.data().substring(name.end(), email.start()) + name.text(sealed.data())
        + sealed.data().substring(email.end());
    assertEquals(new SealFailure.Tampered("/name"), unseal(EVENT, swapped, sealed.header()), "the first by position");
  }

  @Test
  void aCiphertextCopiedIntoAnotherEventOfTheSameSubjectIsTampered() throws Exception {
    EventRef other = new EventRef(EVENT.stream(), EVENT.source(), "e-2", EVENT.type());
    Sealed mine = seal(EVENT, DATA);
    Sealed theirs = seal(other, DATA);
    MarkedValue emailOfMine = mark(mine.data(), "/email");
    MarkedValue emailOfTheirs = mark(theirs.data(), "/email");
    String copied = theirs.data().substring(0, emailOfTheirs.start()) + emailOfMine.text(mine.data())
        + theirs.data().substring(emailOfTheirs.end());
    assertEquals(new SealFailure.Tampered("/email"), unseal(other, copied, theirs.header()));
  }

  @Test
  void aRecordReadAsAnotherTypeOrSourceIsTampered() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    EventRef otherType = new EventRef(EVENT.stream(), EVENT.source(), EVENT.id(), "retail.photographer.updated");
    EventRef otherSource = new EventRef(EVENT.stream(), "/elsewhere", EVENT.id(), EVENT.type());
    assertInstanceOf(SealFailure.Tampered.class, unseal(otherType, sealed));
    assertInstanceOf(SealFailure.Tampered.class, unseal(otherSource, sealed));
  }

  @Test
  void aRecordCopiedIntoAnotherStreamIsNotUnsealed() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    EventRef otherStream = new EventRef("retail-eu", EVENT.source(), EVENT.id(), EVENT.type());
    assertEquals(new SealFailure.KeyNotFound(), unseal(otherStream, sealed), "keys are per stream");
    seal(otherStream, DATA);
    assertInstanceOf(SealFailure.UnknownKeyVersion.class, unseal(otherStream, sealed),
        "the other stream's key for the subject is another key");
  }

  @Test
  void theStreamIsBoundEvenWereBothStreamsToShareAKey() throws Exception {
    // The key hierarchy already separates streams; the associated data binds the stream as well.
    SubjectKey one = await(ring.forEncrypt(new SubjectRef("retail", "ph-1")));
    SubjectKeys sameKeyEverywhere = new SubjectKeys() {
      @Override
      public Future<SubjectKey> forEncrypt(SubjectRef subject) {
        return Future.succeededFuture(one);
      }

      @Override
      public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
        return Future.succeededFuture(new KeyLookup.Found(one));
      }
    };
    Sealed sealed = await(new Sealer(sameKeyEverywhere).seal(
        new SealInput(EVENT, "ph-1", DATA, marks(DATA, VALUES))));
    EventRef otherStream = new EventRef("retail-eu", EVENT.source(), EVENT.id(), EVENT.type());
    assertInstanceOf(SealFailure.Tampered.class, await(new Unsealer(sameKeyEverywhere).unseal(
        new UnsealInput(otherStream, "ph-1", sealed.data(), sealedMarks(sealed.data()), sealed.header()))));
  }

  @Test
  void aHeaderNamingAKeyVersionTheSubjectNeverHadIsUnknown() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    SealHeader header = sealed.header().orElseThrow();
    SealHeader nextGeneration = new SealHeader(header.subject(), new KeyVersion(2, header.key().keyId()),
        header.fields());
    assertEquals(new SealFailure.UnknownKeyVersion(nextGeneration.key()),
        unseal(EVENT, sealed.data(), Optional.of(nextGeneration)));
    SealHeader otherId = new SealHeader(header.subject(), new KeyVersion(1, header.key().keyId() ^ 1),
        header.fields());
    assertEquals(new SealFailure.UnknownKeyVersion(otherId.key()), unseal(EVENT, sealed.data(), Optional.of(otherId)));
  }

  @Test
  void aForgottenSubjectsValuesReadAsErasedAndTheRestIsUntouched() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    await(ring.forget(new SubjectRef("retail", "ph-1"), "admin", "audit-1"));
    Unsealed erased = assertInstanceOf(Unsealed.class, unseal(EVENT, sealed));
    assertEquals("{\"id\":\"ph-1\", \"name\":\"sluice:erased\",\"email\" : \"sluice:erased\",\"age\":\"sluice:erased\","
        + "\n \"address\":\"sluice:erased\",\"note\":\"keep  me\"}", erased.data());
    assertEquals(List.of("/address", "/age", "/email", "/name"), erased.erased());
    Sealed after = seal(EVENT, DATA);
    assertEquals(2, after.header().orElseThrow().key().generation(), "a new key for new events");
    assertEquals(new Unsealed(DATA, List.of()), unseal(EVENT, after));
  }

  @Test
  void aSubjectWithoutAnyKeyIsKeyNotFound() throws Exception {
    KeyRing elsewhere = TestRing.over(vertx, new MemoryKeyRows(), new MemoryKek(), new HandTicker());
    try {
      Sealed sealed = await(new Sealer(elsewhere).seal(new SealInput(EVENT, "ph-1", DATA, marks(DATA, VALUES))));
      assertEquals(new SealFailure.KeyNotFound(), unseal(EVENT, sealed));
    } finally {
      elsewhere.close();
    }
  }

  @Test
  void aHeaderThatDisagreesWithTheDataIsAMismatch() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    SealHeader header = sealed.header().orElseThrow();
    SealHeader fewer = new SealHeader(header.subject(), header.key(), List.of("/address", "/age", "/email"));
    assertInstanceOf(SealFailure.SealMismatch.class, unseal(EVENT, sealed.data(), Optional.of(fewer)));
    SealHeader otherSubject = new SealHeader("ph-2", header.key(), header.fields());
    assertInstanceOf(SealFailure.SealMismatch.class, unseal(EVENT, sealed.data(), Optional.of(otherSubject)));
    assertInstanceOf(SealFailure.SealMismatch.class, await(unsealer.unseal(
        new UnsealInput(EVENT, "ph-1", DATA, marks(DATA, VALUES), sealed.header()))), "a header over clear values");
    assertEquals(1, rows.dekReads.get(), "judged without a key call: the one read is the sealing's");
  }

  @Test
  void markedValuesInTheClearWithoutAHeaderAreNotSealed() throws Exception {
    assertEquals(new SealFailure.NotSealed("/address"), await(unsealer.unseal(
        new UnsealInput(EVENT, "ph-1", DATA, marks(DATA, VALUES), Optional.empty()))));
  }

  @Test
  void anUnreadableHeaderIsAMismatch() {
    SealHeader.Parsed.Invalid invalid = (SealHeader.Parsed.Invalid) SealHeader.parse(new byte[] {'{'});
    assertInstanceOf(SealFailure.SealMismatch.class, SealFailure.unreadableHeader(invalid));
  }

  @Test
  void aKeyOutageFailsTheFutureAndIsNeverAPlaceholder() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    KeyRing cold = TestRing.over(vertx, rows, kek, new HandTicker());
    try {
      rows.failWith(new IllegalStateException("table down"));
      assertInstanceOf(KeyUnavailableException.class, failure(new Unsealer(cold).unseal(
          new UnsealInput(EVENT, "ph-1", sealed.data(), sealedMarks(sealed.data()), sealed.header()))));
      assertInstanceOf(KeyUnavailableException.class, failure(new Sealer(cold).seal(
          new SealInput(EVENT, "ph-2", DATA, marks(DATA, VALUES)))));
    } finally {
      cold.close();
    }
  }

  @Test
  void overlappingMarksAreRefused() {
    List<MarkedValue> overlapping = List.of(new MarkedValue("/a", 1, 10), new MarkedValue("/b", 5, 12));
    assertInstanceOf(IllegalArgumentException.class, failure(sealer.seal(new SealInput(EVENT, "ph-1", DATA,
        overlapping))));
  }

  @Test
  void ciphertextsAreUnpaddedBase64UrlOfTinkOutputNamingTheSubjectsKey() throws Exception {
    Sealed sealed = seal(EVENT, DATA);
    String token = mark(sealed.data(), "/email").text(sealed.data());
    String encoded = token.substring("\"sluice:v1:".length(), token.length() - 1);
    byte[] bytes = Base64.getUrlDecoder().decode(encoded);
    assertEquals(0x01, bytes[0]);
    Ciphertext c = ((Ciphertext.Parsed.Ok) Ciphertext.parse(token.substring(1, token.length() - 1))).ciphertext();
    assertEquals(sealed.header().orElseThrow().key().keyId(), c.keyId());
    assertEquals("\"zoe@example.com\"".length() + Ciphertext.MIN_BYTES, bytes.length);
  }

  private static MarkedValue mark(String sealed, String pointer) {
    return sealedMarks(sealed).stream().filter(m -> m.pointer().equals(pointer)).findFirst().orElseThrow();
  }
}

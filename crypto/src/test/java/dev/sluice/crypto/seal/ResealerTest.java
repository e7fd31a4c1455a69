package dev.sluice.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.testing.HandTicker;
import dev.sluice.crypto.testing.MemoryKek;
import dev.sluice.crypto.testing.MemoryKeyRows;
import dev.sluice.crypto.testing.TestRing;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.marks.SensitiveMarks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's edit on its way back, with a real key ring over keys in memory: what it carries over opens only where
 * it was sealed, placeholders and moved values are refused by pointer, and the edit sealed again opens to exactly what
 * the operator meant, under a header that agrees with it.
 */
class ResealerTest {
  private static final EventRef EVENT = new EventRef("retail", "/shop", "e-1", "retail.photographer.registered");
  private static final EventRef OTHER = new EventRef("retail", "/shop", "e-2", "retail.photographer.registered");
  private static final SensitiveMarks MARKS = SensitiveMarks.of(("{'x-data-subject':'/id','type':'object',"
      + "'properties':{'id':{'type':'string'},'email':{'type':'string','x-sensitive':true},"
      + "'name':{'type':'string','x-sensitive':true},'city':{'type':'string'}}}").replace('\'', '"'));
  private static final String ORIGINAL = "{\"id\":\"ph-1\",\"email\":\"zoe@example.com\",\"name\":\"Zoë\","
      + "\"city\":\"Oslo\"}";

  private final Vertx vertx = Vertx.vertx();
  private final KeyRing ring = TestRing.over(vertx, new MemoryKeyRows(), new MemoryKek(), new HandTicker());
  private final Resealer resealer = new Resealer(ring);
  private final Sealer sealer = new Sealer(ring);
  private final Unsealer unsealer = new Unsealer(ring);

  @AfterEach
  void tearDown() throws Exception {
    ring.close();
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** {@code data} of {@code event} sealed as the gateway seals it. */
  private Sealed sealed(EventRef event, String data) throws Exception {
    MarkedLocations.Located located = MarkedLocations.locate(MARKS, data).orElseThrow();
    String subject = new JsonObject(data).getString("id");
    return await(sealer.seal(new SealInput(event, subject, data, located.values())));
  }

  /** The data a reader with the keys gets back from {@code sealed}. */
  private String unsealed(EventRef event, Sealed sealed) throws Exception {
    MarkedLocations.Located located = MarkedLocations.locate(MARKS, sealed.data()).orElseThrow();
    String subject = new JsonObject(sealed.data()).getString("id");
    return assertInstanceOf(Unsealed.class, await(unsealer.unseal(
        new UnsealInput(event, subject, sealed.data(), located.values(), sealed.header())))).data();
  }

  @Test
  void carriedOverSealedValuesOpenAndTypedOnesStayAsTyped() throws Exception {
    Sealed record = sealed(EVENT, ORIGINAL);
    // The raw data edited: the name retyped, the e-mail's ciphertext kept as it was.
    String edit = new JsonObject(record.data()).put("name", "Zoé").put("city", "Bergen").encode();

    Resealer.Opened opened = assertInstanceOf(Resealer.Opened.class,
        await(resealer.open(EVENT, record.header(), edit, MARKS)));

    JsonObject plain = new JsonObject(opened.data());
    assertEquals("zoe@example.com", plain.getString("email"));
    assertEquals("Zoé", plain.getString("name"));
    assertEquals("Bergen", plain.getString("city"));
  }

  @Test
  void theSealedEditOpensToWhatWasMeantUnderAHeaderThatAgrees() throws Exception {
    // The subject changed and a marked member removed: the header follows the edit, not the record.
    String plain = "{\"id\":\"ph-2\",\"email\":\"new@example.com\",\"city\":\"Bergen\"}";

    Resealer.Resealed resealed = assertInstanceOf(Resealer.Resealed.class,
        await(resealer.seal(EVENT, plain, MARKS)));

    SealHeader header = resealed.sealed().header().orElseThrow();
    assertEquals("ph-2", header.subject());
    assertEquals(List.of("/email"), header.fields());
    assertFalse(resealed.sealed().data().contains("new@example.com"), "no marked value in the clear");
    assertEquals(plain, unsealed(EVENT, resealed.sealed()));
  }

  @Test
  void anEditWithNothingMarkedPresentIsStoredWithoutAHeaderAndWithoutAKey() throws Exception {
    String plain = "{\"id\":\"ph-3\",\"city\":\"Bergen\"}";

    Resealer.Resealed resealed = assertInstanceOf(Resealer.Resealed.class,
        await(resealer.seal(EVENT, plain, MARKS)));

    assertEquals(plain, resealed.sealed().data());
    assertTrue(resealed.sealed().header().isEmpty());
    assertTrue(await(ring.forDecrypt(new SubjectRef("retail", "ph-3"),
        new dev.sluice.crypto.keys.KeyVersion(1, 1))) instanceof dev.sluice.crypto.keys.KeyLookup.Missing,
        "no key was made for a subject with nothing to seal");
  }

  @Test
  void aCiphertextCopiedFromAnotherEventIsRefusedByPointer() throws Exception {
    Sealed record = sealed(EVENT, ORIGINAL);
    Sealed other = sealed(OTHER, ORIGINAL.replace("zoe@", "eve@"));
    String edit = new JsonObject(record.data())
        .put("email", new JsonObject(other.data()).getString("email")).encode();

    Resealer.Refused refused = assertInstanceOf(Resealer.Refused.class,
        await(resealer.open(EVENT, record.header(), edit, MARKS)));

    assertEquals(Optional.of("/email"), refused.pointer());
    assertFalse(refused.reason().contains("eve@"));
  }

  @Test
  void aCiphertextMovedToAnotherMemberIsRefused() throws Exception {
    Sealed record = sealed(EVENT, ORIGINAL);
    JsonObject raw = new JsonObject(record.data());
    String edit = raw.copy().put("name", raw.getString("email")).encode();

    Resealer.Refused refused = assertInstanceOf(Resealer.Refused.class,
        await(resealer.open(EVENT, record.header(), edit, MARKS)));

    assertEquals(Optional.of("/name"), refused.pointer());
  }

  @Test
  void aSealedValueInAnEditOfARecordThatSealedNothingIsRefused() throws Exception {
    Sealed other = sealed(OTHER, ORIGINAL);

    Resealer.Refused refused = assertInstanceOf(Resealer.Refused.class,
        await(resealer.open(EVENT, Optional.empty(), other.data(), MARKS)));

    assertTrue(refused.pointer().isPresent());
  }

  @Test
  void aPlaceholderLeftAtAMarkedMemberIsRefused() throws Exception {
    String edit = "{\"id\":\"ph-1\",\"email\":\"sluice:withheld\",\"name\":\"Zoë\"}";

    Resealer.Refused refused = assertInstanceOf(Resealer.Refused.class,
        await(resealer.open(EVENT, Optional.empty(), edit, MARKS)));

    assertEquals(Optional.of("/email"), refused.pointer());
    assertTrue(refused.reason().contains("sluice:withheld"));
  }

  @Test
  void aForgottenSubjectsCarriedOverValueCannotBeOpened() throws Exception {
    Sealed record = sealed(EVENT, ORIGINAL);
    await(ring.forget(new SubjectRef("retail", "ph-1"), "admin", "audit-1"));

    Resealer.Refused refused = assertInstanceOf(Resealer.Refused.class,
        await(resealer.open(EVENT, record.header(), record.data(), MARKS)));

    assertTrue(refused.reason().contains("forgotten"), refused.reason());
  }

  @Test
  void editedDataWithoutAUsableSubjectIsRefusedBeforeAnyKeyIsMade() throws Exception {
    String plain = "{\"email\":\"new@example.com\"}";

    Resealer.Refused refused = assertInstanceOf(Resealer.Refused.class, await(resealer.seal(EVENT, plain, MARKS)));

    assertEquals(Optional.of("/id"), refused.pointer());
    assertFalse(refused.reason().contains("new@example.com"));
  }
}

package dev.sluice.crypto.keys;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.kek.Kek;
import dev.sluice.crypto.kek.LocalKek;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealInput;
import dev.sluice.crypto.seal.Sealed;
import dev.sluice.crypto.seal.Sealer;
import dev.sluice.crypto.seal.UnsealInput;
import dev.sluice.crypto.seal.Unsealed;
import dev.sluice.crypto.seal.Unsealer;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.schemas.marks.MarkedValue;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Key rings over the key table on DynamoDB Local, with a local KEK file: processes racing on a new subject agree on one
 * key, a forget reads as forgotten everywhere, the next key comes a generation later, and a table that cannot be used
 * is an outage. Each ring has its own cache, as each process does.
 */
@ExtendWith(EnginesExtension.class)
class KeyRingIT {
  private static final SubjectRef PH1 = new SubjectRef("retail", "ph-1");
  private static final CryptoSettings SETTINGS = CryptoSettings.defaults("local:/unused");

  @TempDir
  Path dir;

  private MarkTableFixture t;
  private KeyTable table;
  private Kek kek;
  private final List<KeyRing> rings = new ArrayList<>();

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "key-ring-it", KeyTable::ensure);
    table = new KeyTable(new WorkerTable(t.vertx, t.dynamo, t.table, t.clock), SETTINGS.keyCalls().timeout());
    kek = LocalKek.open(dir.resolve("kek.json"));
  }

  @AfterEach
  void tearDown() throws Exception {
    rings.forEach(KeyRing::close);
    t.close();
  }

  /** A ring as another process has it: its own cache (on a clock that does not move), the shared table and KEK. */
  private KeyRing ring(KeyRows rows) {
    Ticker still = () -> 0L;
    KeyRing ring = new KeyRing(new KeyRing.Parts(t.vertx, rows, kek, new KeyCache(SETTINGS, still),
        SETTINGS.keyCalls(), t.clock));
    rings.add(ring);
    return ring;
  }

  private Map<String, AttributeValue> item() {
    return t.dynamo.getItem(b -> b.tableName(t.table).key(Map.of("pk", AttributeValue.fromS("dek#retail#ph-1")))
        .consistentRead(true)).item();
  }

  @Test
  void twoRingsRacingOnANewSubjectBothWriteConditionallyAndAgreeOnTheWinnersKey() throws Exception {
    // Each ring's first read of the subject waits for the other's, so both see "no key" and both write.
    ReadsTogether racing = new ReadsTogether(table, new CountDownLatch(2), new AtomicInteger());
    KeyRing a = ring(racing);
    KeyRing b = ring(racing);
    Future<SubjectKey> askedOfA = a.forEncrypt(PH1);
    Future<SubjectKey> askedOfB = b.forEncrypt(PH1);
    SubjectKey fromA = await(askedOfA);
    SubjectKey fromB = await(askedOfB);
    assertEquals(2, racing.firstKeyWrites().get(), "both tried to write a first key");
    assertEquals(fromA.version(), fromB.version());
    assertEquals(AttributeValue.fromN("1"), item().get("generation"));
    byte[] sealed = fromA.aead().encrypt(new byte[] {42}, new byte[0]);
    assertEquals(42, fromB.aead().decrypt(sealed, new byte[0])[0], "what one seals the other opens");
  }

  @Test
  void aForgottenSubjectIsForgottenForEveryRingAndItsNextKeyIsAGenerationLater() throws Exception {
    KeyRing ingress = ring(table);
    SubjectKey first = await(ingress.forEncrypt(PH1));
    Forgot forgot = await(ring(table).forget(PH1, "admin", "audit-1"));
    assertEquals(1, forgot.tombstone().generation());
    assertEquals(new KeyLookup.Forgotten(1), await(ring(table).forDecrypt(PH1, first.version())), "a fresh ring");
    assertEquals(SubjectState.State.FORGOTTEN, await(ingress.state(PH1)).state());

    SubjectKey second = await(ring(table).forEncrypt(PH1));
    assertEquals(2, second.generation());
    KeyRing reader = ring(table);
    assertEquals(new KeyLookup.Forgotten(1), await(reader.forDecrypt(PH1, first.version())));
    assertEquals(second.version(), assertInstanceOf(KeyLookup.Found.class,
        await(reader.forDecrypt(PH1, second.version()))).key().version());
  }

  @Test
  void sealedValuesRoundTripAndReadAsErasedOnceTheSubjectIsForgotten() throws Exception {
    KeyRing ring = ring(table);
    EventRef event = new EventRef("retail", "/shop", "e-1", "retail.photographer.registered");
    String data = "{\"id\":\"ph-1\",\"email\":\"zoe@example.com\"}";
    MarkedValue email = new MarkedValue("/email", data.indexOf("\"zoe"), data.length() - 1);
    Sealed sealed = await(new Sealer(ring).seal(new SealInput(event, "ph-1", data, List.of(email))));
    int start = sealed.data().indexOf("\"sluice:v1:");
    MarkedValue sealedEmail = new MarkedValue("/email", start, sealed.data().length() - 1);
    UnsealInput input = new UnsealInput(event, "ph-1", sealed.data(), List.of(sealedEmail), sealed.header());
    assertEquals(new Unsealed(data, List.of()), await(new Unsealer(ring(table)).unseal(input)));
    await(ring.forget(PH1, "admin", "audit-1"));
    assertEquals(new Unsealed("{\"id\":\"ph-1\",\"email\":\"sluice:erased\"}", List.of("/email")),
        await(new Unsealer(ring(table)).unseal(input)));
  }

  @Test
  void aTableThatCannotBeUsedIsAnOutageNeverAVerdict() {
    KeyTable missing = new KeyTable(new WorkerTable(t.vertx, t.dynamo, t.table + "-missing", t.clock),
        SETTINGS.keyCalls().timeout());
    KeyRing ring = ring(missing);
    Throwable encrypt = assertThrows(ExecutionException.class, () -> await(ring.forEncrypt(PH1))).getCause();
    assertInstanceOf(KeyUnavailableException.class, encrypt);
    assertInstanceOf(ResourceNotFoundException.class, encrypt.getCause());
    assertInstanceOf(KeyUnavailableException.class,
        assertThrows(ExecutionException.class, () -> await(ring.forDecrypt(PH1, new KeyVersion(1, 1)))).getCause());
  }

  /** The table, with the first two reads of a subject key held until both are made; first-key writes counted. */
  private record ReadsTogether(KeyRows table, CountDownLatch bothRead, AtomicInteger firstKeyWrites)
      implements KeyRows {
    @Override
    public Optional<SwkRow> swk(String stream) {
      return table.swk(stream);
    }

    @Override
    public boolean createSwk(SwkRow row) {
      return table.createSwk(row);
    }

    @Override
    public Optional<DekRow> dek(SubjectRef subject) {
      bothRead.countDown();
      try {
        bothRead.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return table.dek(subject);
    }

    @Override
    public boolean createDek(DekRow row) {
      firstKeyWrites.incrementAndGet();
      return table.createDek(row);
    }

    @Override
    public boolean recreateDek(DekRow row) {
      return table.recreateDek(row);
    }

    @Override
    public boolean forgetDek(SubjectRef subject, long generation, Forgetting forgetting) {
      return table.forgetDek(subject, generation, forgetting);
    }
  }
}

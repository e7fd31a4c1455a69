package dev.sluice.crypto.keys;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.kek.Kek;
import dev.sluice.crypto.kek.KekWithPrevious;
import dev.sluice.crypto.kek.LocalKek;
import dev.sluice.deploy.cli.RewrapKeysCli;
import dev.sluice.deploy.config.RawConfig;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Moving the stream keys to another KEK, on the key table in DynamoDB Local with local KEK files: what was sealed
 * before the move opens after it with the new KEK alone, and no longer with the old one; the move is conditional,
 * repeatable, and reports each row; a process that runs with both KEKs reads keys before and after their move.
 */
@ExtendWith(EnginesExtension.class)
class KeyRewrapIT {
  private static final SubjectRef RETAIL = new SubjectRef("retail", "ph-1");
  private static final SubjectRef PAYMENTS = new SubjectRef("payments", "cu-7");
  private static final CryptoSettings SETTINGS = CryptoSettings.defaults("local:/unused");
  private static final byte[] VALUE = "zoe@example.com".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AD = "field".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private MarkTableFixture t;
  private KeyTable table;
  private LocalKek oldKek;
  private LocalKek newKek;
  private final List<KeyRing> rings = new ArrayList<>();

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "key-rewrap-it", KeyTable::ensure);
    table = new KeyTable(new WorkerTable(t.vertx, t.dynamo, t.table, t.clock), SETTINGS.keyCalls().timeout());
    oldKek = LocalKek.open(dir.resolve("old-kek.json"));
    newKek = LocalKek.open(dir.resolve("new-kek.json"));
  }

  @AfterEach
  void tearDown() throws Exception {
    rings.forEach(KeyRing::close);
    t.close();
  }

  /** A ring as a fresh process has it: its own empty cache, over the shared table, with {@code kek}. */
  private KeyRing ring(Kek kek) {
    Ticker still = () -> 0L;
    KeyRing ring = new KeyRing(new KeyRing.Parts(t.vertx, table, kek, new KeyCache(SETTINGS, still),
        SETTINGS.keyCalls(), t.clock));
    rings.add(ring);
    return ring;
  }

  /** What {@code subject}'s key opens {@code sealed} to, as a fresh process with {@code kek} reads it. */
  private byte[] opened(Kek kek, SubjectKey sealedWith, byte[] sealed) throws Exception {
    KeyLookup lookup = await(ring(kek).forDecrypt(sealedWith.subject(), sealedWith.version()));
    return assertInstanceOf(KeyLookup.Found.class, lookup).key().aead().decrypt(sealed, AD);
  }

  private Map<String, AttributeValue> swkItem(String stream) {
    return t.dynamo.getItem(b -> b.tableName(t.table).key(Map.of("pk", AttributeValue.fromS("swk#" + stream)))
        .consistentRead(true)).item();
  }

  @Test
  void afterTheMoveWhatWasSealedOpensWithTheNewKekAloneAndNotWithTheOld() throws Exception {
    KeyRing before = ring(oldKek);
    SubjectKey retailKey = await(before.forEncrypt(RETAIL));
    SubjectKey paymentsKey = await(before.forEncrypt(PAYMENTS));
    byte[] retailSealed = retailKey.aead().encrypt(VALUE, AD);
    byte[] paymentsSealed = paymentsKey.aead().encrypt(VALUE, AD);
    KekWithPrevious moving = new KekWithPrevious(newKek, oldKek);
    // Every process runs with both before the move: keys wrapped by the old KEK still read.
    assertArrayEquals(VALUE, opened(moving, retailKey, retailSealed));

    KeyRewrap.Report dryRun = new KeyRewrap(table, moving, t.clock).run(false);
    assertEquals(2, dryRun.count(KeyRewrap.Kind.WOULD_MOVE), dryRun.toString());
    assertEquals(AttributeValue.fromS(oldKek.uri()), swkItem("retail").get("kek"), "a dry run writes nothing");

    KeyRewrap.Report moved = new KeyRewrap(table, moving, t.clock).run(true);
    assertEquals(2, moved.count(KeyRewrap.Kind.MOVED), moved.toString());
    assertTrue(moved.complete());
    assertTrue(moved.outcomes().stream().allMatch(o -> o.fromKek().equals(oldKek.uri())), moved.toString());
    for (String stream : List.of("retail", "payments")) {
      assertEquals(AttributeValue.fromS(newKek.uri()), swkItem(stream).get("kek"));
      assertNotNull(swkItem(stream).get("rewrappedAt"));
    }

    assertArrayEquals(VALUE, opened(newKek, retailKey, retailSealed), "the new KEK alone opens old values");
    assertArrayEquals(VALUE, opened(newKek, paymentsKey, paymentsSealed));
    assertArrayEquals(VALUE, opened(moving, paymentsKey, paymentsSealed), "and so does a process with both");
    Throwable oldOnly = assertThrows(ExecutionException.class,
        () -> await(ring(oldKek).forDecrypt(RETAIL, retailKey.version()))).getCause();
    assertInstanceOf(KeyUnavailableException.class, oldOnly, "the old KEK no longer unwraps the stream key");
    // New subjects of a moved stream get keys under the moved stream key, readable with the new KEK alone.
    SubjectKey later = await(ring(newKek).forEncrypt(new SubjectRef("retail", "ph-2")));
    assertArrayEquals(VALUE, opened(newKek, later, later.aead().encrypt(VALUE, AD)));

    KeyRewrap.Report again = new KeyRewrap(table, moving, t.clock).run(true);
    assertEquals(2, again.count(KeyRewrap.Kind.ALREADY), "running it again changes nothing");
  }

  @Test
  void aRowChangedSinceItWasReadIsLeftAsItIs() throws Exception {
    await(ring(oldKek).forEncrypt(RETAIL));
    SwkRow read = table.swkRows().get(0);
    SwkRow movedByAnother = new SwkRow("retail", WrappedKey.of(new byte[] {1, 2, 3}), newKek.uri(), read.createdAt());
    assertTrue(table.rewrapSwk(read, movedByAnother, t.clock.instant()));

    assertFalse(table.rewrapSwk(read, new SwkRow("retail", WrappedKey.of(new byte[] {4}), newKek.uri(),
        read.createdAt()), t.clock.instant()), "its condition names what was read");
    assertArrayEquals(new byte[] {1, 2, 3}, swkItem("retail").get("wrapped").b().asByteArray());
  }

  @Test
  void rowsNeitherKekWrappedAreReportedAndTheOthersStillMove() throws Exception {
    await(ring(oldKek).forEncrypt(RETAIL));
    LocalKek stranger = LocalKek.open(dir.resolve("stranger.json"));
    await(ring(stranger).forEncrypt(PAYMENTS));

    KeyRewrap.Report report = new KeyRewrap(table, new KekWithPrevious(newKek, oldKek), t.clock).run(true);
    assertEquals(1, report.count(KeyRewrap.Kind.MOVED), report.toString());
    KeyRewrap.Outcome failed = report.outcomes().stream().filter(o -> o.kind() == KeyRewrap.Kind.FAILED)
        .findFirst().orElseThrow();
    assertEquals("payments", failed.stream());
    assertTrue(failed.detail().contains(newKek.uri()) && failed.detail().contains(oldKek.uri()), failed.detail());
    assertFalse(report.complete());
    assertEquals(AttributeValue.fromS(stranger.uri()), swkItem("payments").get("kek"), "left as it was");

    KeyRewrap.Report withoutPrevious = new KeyRewrap(table, newKek, t.clock).run(false);
    assertTrue(withoutPrevious.outcomes().stream().filter(o -> o.kind() == KeyRewrap.Kind.FAILED)
        .allMatch(o -> o.detail().contains("set sluice.crypto.kek.previous")), withoutPrevious.toString());
  }

  @Test
  void theCommandMovesTheKeysTheConfigNamesAndSaysSo(Engines engines) throws Exception {
    SubjectKey key = await(ring(oldKek).forEncrypt(RETAIL));
    byte[] sealed = key.aead().encrypt(VALUE, AD);
    Map<String, String> raw = Map.of("sluice.dynamodb.endpoint", engines.dynamoEndpoint(),
        "sluice.crypto.keys.table", t.table, "sluice.crypto.kek", newKek.uri(),
        "sluice.crypto.kek.previous", oldKek.uri());
    SluiceConfig config = SluiceConfig.from(RawConfig.of(raw));

    ByteArrayOutputStream dryOut = new ByteArrayOutputStream();
    assertEquals(RewrapKeysCli.OK, RewrapKeysCli.run(config, false, new PrintStream(dryOut, true, "UTF-8"),
        System.err));
    assertTrue(dryOut.toString(StandardCharsets.UTF_8).contains("would move       retail"), dryOut.toString());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(RewrapKeysCli.OK, RewrapKeysCli.run(config, true, new PrintStream(out, true, "UTF-8"), System.err));
    String said = out.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("moved            retail  (was " + oldKek.uri() + ")"), said);
    assertTrue(said.contains("rewrap-keys: 1 moved, 0 to move, 0 already under the KEK"), said);
    assertArrayEquals(VALUE, opened(newKek, key, sealed));
  }
}

package dev.sluice.loadtests.sealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.KeysetHandle;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.seal.Ciphertext;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.FieldAad;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.schemas.marks.SensitiveMarks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class CustomerRecordsTest {
  /** One key for every subject, always in memory. */
  private static final class OneKey implements SubjectKeys {
    final KeysetHandle keyset = Keysets.newAes256Gcm();
    SubjectRef asked;

    @Override
    public Future<SubjectKey> forEncrypt(SubjectRef subject) {
      asked = subject;
      try {
        return Future.succeededFuture(new SubjectKey(subject, 1, keyset.getPrimary().getId(),
            Keysets.keyIds(keyset), Keysets.aead(keyset)));
      } catch (GeneralSecurityException e) {
        return Future.failedFuture(e);
      }
    }

    @Override
    public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
      throw new UnsupportedOperationException("sealing only");
    }
  }

  private final CustomerEvents events = new CustomerEvents("t", 1024, 3, "2026-12-06T00:00:00Z");
  private final SensitiveMarks marks = CustomerTypes.registry(Map.of("s", CustomerTypes.SEALED)).state()
      .latest(CustomerTypes.SEALED).orElseThrow().marks();

  private static String header(ProducerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aSealedRecordHoldsTheThreeValuesAsCiphertextsOfItsSubjectsKeyBoundToTheRecord() throws Exception {
    OneKey keys = new OneKey();
    ProducerRecord<byte[], byte[]> r = new CustomerRecords(marks, keys, events).sealed("s", 1);
    assertEquals(new SubjectRef("s", "cust-000001"), keys.asked);
    assertEquals("cust-000001", new String(r.key(), StandardCharsets.UTF_8));
    JsonObject sealed = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
    JsonObject plain = new JsonObject(events.warmData(1));
    assertEquals(plain.getString("notes"), sealed.getString("notes"));
    assertEquals(plain.getString("id"), sealed.getString("id"));
    EventRef ref = new EventRef("s", header(r, "ce_source"), header(r, "ce_id"), CustomerTypes.SEALED);
    for (String member : CustomerTypes.MARKED) {
      Ciphertext c = ((Ciphertext.Parsed.Ok) Ciphertext.parse(sealed.getString(member))).ciphertext();
      byte[] opened = keys.keyset.getPrimitive(com.google.crypto.tink.RegistryConfiguration.get(),
          com.google.crypto.tink.Aead.class).decrypt(c.bytes(), FieldAad.of(ref).forPointer("/" + member));
      assertEquals("\"" + plain.getString(member) + "\"", new String(opened, StandardCharsets.UTF_8));
    }
    String seal = header(r, SealHeader.NAME);
    assertTrue(seal.contains("\"subject\":\"cust-000001\""), seal);
    assertEquals(CustomerTypes.SEALED, header(r, "ce_type"));
    assertEquals("1", header(r, "sluice-schema-version"));
  }

  @Test
  void aPlainRecordHoldsTheSameDataAsItIsWithoutASealHeader() {
    ProducerRecord<byte[], byte[]> r = new CustomerRecords(marks, new OneKey(), events).plain("p", 2);
    assertEquals(events.warmData(2), new String(r.value(), StandardCharsets.UTF_8));
    assertEquals(CustomerTypes.PLAIN, header(r, "ce_type"));
    assertNull(header(r, SealHeader.NAME));
  }

  @Test
  void aKeyNotInMemoryIsASetupErrorNotAWait() {
    SubjectKeys pending = new SubjectKeys() {
      @Override
      public Future<SubjectKey> forEncrypt(SubjectRef subject) {
        return Promise.<SubjectKey>promise().future();
      }

      @Override
      public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
        throw new UnsupportedOperationException();
      }
    };
    assertTrue(assertThrows(IllegalStateException.class,
        () -> new CustomerRecords(marks, pending, events).sealed("s", 0)).getMessage().contains("make the keys"));
  }
}

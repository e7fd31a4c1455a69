package dev.sluice.ingest.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.KeysetHandle;
import dev.sluice.crypto.Keysets;
import dev.sluice.crypto.keys.KeyLookup;
import dev.sluice.crypto.keys.KeyUnavailableException;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.keys.SubjectKey;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.crypto.keys.SubjectRef;
import dev.sluice.crypto.seal.EventRef;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.crypto.seal.UnsealInput;
import dev.sluice.crypto.seal.Unsealed;
import dev.sluice.crypto.seal.Unsealer;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.HttpEventRequest;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.kafka.AppenderSettings;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.marks.MarkedLocations;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The step between admission and append, on the shipped catalog (the demo marks the photographer's name and e-mail,
 * for the subject at /id), with keys held in memory: what it seals, what it leaves alone, and that the appender refuses
 * what was not sealed.
 */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class EventSealingTest {
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  private static final String DATA = "{\"id\":\"ph-1\",\"name\":\"Ann Secret\",\"email\":\"ann@secret-example.com\"}";

  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  private final EventAdmission admission = new EventAdmission(registry, new CloudEventHttpReader());
  private final MemoryKeys keys = new MemoryKeys();

  private AdmittedEvent admitted(String type, String data) {
    HttpEventRequest request = HttpEventRequest.of("application/cloudevents+json", Map.of(),
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"" + type + "\",\"data\":" + data + "}");
    Outcome.Ok<AdmittedEvent> ok = assertInstanceOf(Outcome.Ok.class, admission.admit("retail", request).outcome());
    return ok.value();
  }

  @Test
  void markedValuesLeaveSealedWithAHeaderAndOpenAgainToTheSameBytes() throws Exception {
    AdmittedEvent event = admitted(PHOTOGRAPHER, DATA);
    AdmittedEvent sealed = new EventSealing(keys).seal(event).await(5, TimeUnit.SECONDS);

    String value = new String(sealed.recordValue(), StandardCharsets.UTF_8);
    assertFalse(value.contains("Ann Secret"), value);
    assertFalse(value.contains("ann@secret-example.com"), value);
    assertTrue(value.contains("\"id\":\"ph-1\""), "unmarked values stay as they were: " + value);
    assertFalse(sealed.needsSealing());
    assertEquals(event.partitionKey(), sealed.partitionKey());
    assertEquals(event.event().id(), sealed.event().id());

    List<KafkaHeader> headers = sealed.recordHeaders();
    KafkaHeader last = headers.get(headers.size() - 1);
    assertEquals(SealHeader.NAME, last.key());
    SealHeader header = assertInstanceOf(SealHeader.Parsed.Ok.class, SealHeader.parse(last.value())).header();
    assertEquals("ph-1", header.subject());
    assertEquals(List.of("/email", "/name"), header.fields());
    // KafkaHeader holds a byte[]: compare as text.
    assertEquals(text(event.recordHeaders()), text(headers.subList(0, headers.size() - 1)),
        "the CloudEvents and schema headers are kept, in order, before it");

    // What a consumer allowed to read does: locate the marks in the sealed data, then unseal with the same keys.
    var located = MarkedLocations.locate(event.schema().marks(), value).orElseThrow();
    Unsealed opened = assertInstanceOf(Unsealed.class, new Unsealer(keys).unseal(new UnsealInput(
        new EventRef("retail", "/t", "e-1", PHOTOGRAPHER), "ph-1", value, located.values(), Optional.of(header)))
        .await(5, TimeUnit.SECONDS));
    assertEquals(DATA, opened.data());
  }

  @Test
  void aTypeThatMarksNothingPassesThroughWithoutAKeyCall() throws Exception {
    AdmittedEvent event = admitted("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":9.5}");
    assertSame(event, new EventSealing(SubjectKeys.NONE).seal(event).await(5, TimeUnit.SECONDS));
  }

  @Test
  void withoutItsKeyAnEventWithMarkedValuesFailsAndIsNeverAppendedInTheClear() throws Exception {
    AdmittedEvent event = admitted(PHOTOGRAPHER, DATA);
    Future<AdmittedEvent> sealing = new EventSealing(SubjectKeys.NONE).seal(event);
    assertInstanceOf(KeyUnavailableException.class, assertThrows(Exception.class,
        () -> sealing.await(5, TimeUnit.SECONDS)));
  }

  @Test
  void theAppenderRefusesAnEventWhoseMarkedValuesAreStillInTheClear() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EventAppender appender = EventAppender.create(vertx, AppenderSettings.durable(
          Map.of("bootstrap.servers", "127.0.0.1:1"), Duration.ofSeconds(1), "test"), failure -> {})
          .await(30, TimeUnit.SECONDS);
      Throwable refused = assertThrows(Exception.class,
          () -> appender.append(admitted(PHOTOGRAPHER, DATA)).await(5, TimeUnit.SECONDS));
      assertInstanceOf(IllegalStateException.class, refused);
      assertEquals(0, appender.appendsInFlight(), "nothing was handed to the producer");
      appender.close().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> text(List<KafkaHeader> headers) {
    return headers.stream().map(h -> h.key() + "=" + h.valueAsString()).toList();
  }

  /** Subject keys held in memory: one AES-256-GCM keyset per subject, made on first use (our own interface). */
  private static final class MemoryKeys implements SubjectKeys {
    private final Map<SubjectRef, SubjectKey> keys = new ConcurrentHashMap<>();

    @Override
    public Future<SubjectKey> forEncrypt(SubjectRef subject) {
      return Future.succeededFuture(keys.computeIfAbsent(subject, MemoryKeys::make));
    }

    @Override
    public Future<KeyLookup> forDecrypt(SubjectRef subject, KeyVersion version) {
      SubjectKey key = keys.get(subject);
      return Future.succeededFuture(key != null && key.version().equals(version)
          ? new KeyLookup.Found(key) : new KeyLookup.Missing());
    }

    private static SubjectKey make(SubjectRef subject) {
      KeysetHandle keyset = Keysets.newAes256Gcm();
      try {
        int primary = keyset.getPrimary().getId();
        return new SubjectKey(subject, 1, primary, Keysets.keyIds(keyset), Keysets.aead(keyset));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

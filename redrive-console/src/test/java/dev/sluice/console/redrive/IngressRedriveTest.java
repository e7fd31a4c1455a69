package dev.sluice.console.redrive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.support.DeadEngines;
import dev.sluice.console.support.Items;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.EventAdmission;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The redrive of an ingress reject up to its first write. The engines are not there, so a redrive that gets as far
 * as the store fails with the SDK's error: that tells "checked, then written" apart from "refused, nothing written".
 */
class IngressRedriveTest {
  private static final String VALID =
      "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":25}";
  private static final String NEGATIVE_PRICE =
      "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":-5}";

  private Vertx vertx;
  private DeadEngines engines;
  private IngressRedrive ingress;
  private RedriveService service;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    engines = new DeadEngines(vertx);
    SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    ValidationLane lane = ValidationLane.create(vertx);
    ingress = new IngressRedrive(engines.store, engines.sealingStreams(),
        new EventAdmission(registry, new CloudEventHttpReader()), lane);
    service = new RedriveService(engines.store, engines.queue, engines.sealingStreams(), registry, lane, engines.payloads());
  }

  @AfterEach
  void tearDown() throws Exception {
    engines.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static QuarantineItem rejected(String data) {
    return Items.ingressReject(Items.structuredProduct(data), Items.structuredHeaders());
  }

  @Test
  void theCapturedEventAsItIsBreaksTheSchemaAndNothingIsWritten() throws Exception {
    EventRefused refused = assertInstanceOf(EventRefused.class,
        error(ingress.redrive(rejected(NEGATIVE_PRICE), Optional.empty(), "op")));
    Rejection.SchemaViolation v = assertInstanceOf(Rejection.SchemaViolation.class, refused.refusal());
    assertEquals("/data/price", v.violations().get(0).pointer());
  }

  @Test
  void aBrokenFixIsRefusedWithItsViolations() throws Exception {
    EventRefused refused = assertInstanceOf(EventRefused.class,
        error(ingress.redrive(rejected(NEGATIVE_PRICE), Optional.of("{\"id\":\"p-1\",\"price\":0}"), "op")));
    assertTrue(refused.refusal().violations().stream().map(Violation::pointer).toList().contains("/data/brand"));
  }

  @Test
  @SuppressWarnings("unchecked") // assertInstanceOf on a generic record
  void aGoodFixPassesTheChecksAndGoesOnToTheConditionalWrite() throws Exception {
    QuarantineItem item = rejected(NEGATIVE_PRICE);
    Outcome.Ok<AdmittedEvent> a = assertInstanceOf(Outcome.Ok.class,
        ingress.check(item, Optional.of(VALID)).await(30, TimeUnit.SECONDS).outcome());
    assertEquals("evt-7", a.value().event().id());
    Future<Redriven> redriven = ingress.redrive(item, Optional.of(VALID), "op");
    Throwable failure = assertThrows(Exception.class, () -> redriven.await(30, TimeUnit.SECONDS));
    assertInstanceOf(SdkException.class, failure, "the store was asked (and is not there)");
  }

  @Test
  void anUnreadableRejectIsRefusedEvenWithData() throws Exception {
    QuarantineItem garbage = Items.ingressReject("{not json", Items.structuredHeaders());
    assertInstanceOf(Rejection.Unreadable.class, assertInstanceOf(EventRefused.class,
        error(ingress.redrive(garbage, Optional.of(VALID), "op"))).refusal());
  }

  @Test
  void theServiceRoutesIngressRejectsByGroup() {
    assertTrue(RedriveService.isIngressReject(rejected(VALID)));
    assertTrue(!RedriveService.isIngressReject(Items.rejectedProduct()));
  }

  @Test
  void anIngressItemThatIsNotQuarantinedConflicts() throws Exception {
    QuarantineItem item = rejected(VALID);
    QuarantineItem resolved = new QuarantineItem(item.id(), QuarantineStatus.RESOLVED, item.stream(), item.group(),
        item.topic(), item.partition(), item.offset(), item.key(), item.payload(), item.headers(), item.eventId(),
        item.eventType(), item.reason(), item.errorClass(), item.errorMessage(), item.violations(), item.attempts(),
        item.quarantinedAt(), item.updatedAt(), item.editedData(), 1, item.history());
    assertInstanceOf(ConsoleError.NotRedrivable.class,
        error(service.redriveIngress(resolved, Optional.empty(), "op")));
  }

  private static ConsoleError error(Future<?> f) {
    Throwable failure = assertThrows(Exception.class, () -> f.await(30, TimeUnit.SECONDS));
    return assertInstanceOf(ConsoleFailure.class, failure).error();
  }
}

package dev.sluice.console.redrive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.ConsoleFailure;
import dev.sluice.console.support.DeadEngines;
import dev.sluice.console.support.Items;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.RedriveEdit;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checks a redrive makes before it writes anything; they need no engine. */
class RedriveServiceTest {
  private Vertx vertx;
  private DeadEngines engines;
  private RedriveService service;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    engines = new DeadEngines(vertx);
    service = new RedriveService(engines.store, engines.queue, engines.sealingStreams(),
        SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()), ValidationLane.create(vertx), engines.payloads());
  }

  @AfterEach
  void tearDown() {
    engines.close();
    vertx.close().await();
  }

  @Test
  void aQuarantinedItemWithoutDataPasses() {
    QuarantineItem item = Items.rejectedProduct();
    Future<Optional<RedriveEdit>> checked = service.prepare(item, Optional.empty());
    assertTrue(checked.succeeded());
    assertEquals(Optional.empty(), checked.result(), "nothing to store: redriven as it is");
  }

  @Test
  void validReplacementDataPasses() {
    String data = "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":99.5}";
    Future<Optional<RedriveEdit>> checked = service.prepare(Items.rejectedProduct(), Optional.of(data));
    assertTrue(checked.succeeded(), String.valueOf(checked.cause()));
    // A type that marks nothing: the edit is stored as typed, with no seal header.
    assertEquals(Optional.of(new RedriveEdit(data, Optional.empty())), checked.result());
  }

  @Test
  void invalidReplacementDataFailsWithPointersIntoTheEvent() {
    Future<Optional<RedriveEdit>> checked = service.prepare(Items.rejectedProduct(),
        Optional.of("{\"id\":\"p-1\",\"brand\":\"Acme\",\"category\":\"tools\",\"price\":-1}"));
    ConsoleError.InvalidData invalid = assertInstanceOf(ConsoleError.InvalidData.class, error(checked));
    assertTrue(invalid.violations().stream().map(Violation::pointer).toList().contains("/data/price"),
        invalid.toString());
    assertTrue(invalid.violations().stream().map(Violation::pointer).toList().contains("/data/name"),
        invalid.toString());
  }

  @Test
  void anItemThatIsNotQuarantinedConflictsBeforeAnyWrite() {
    QuarantineItem resolved = Items.item(QuarantineStatus.RESOLVED, Items.PRODUCT.getBytes(StandardCharsets.UTF_8),
        Optional.of("retail.product.created"), Optional.empty());
    ConsoleError.NotRedrivable conflict =
        assertInstanceOf(ConsoleError.NotRedrivable.class, error(service.prepare(resolved, Optional.empty())));
    assertEquals(QuarantineStatus.RESOLVED, conflict.actual());
  }

  @Test
  void anItemWithNoTypeCannotTakeData() {
    QuarantineItem poison = Items.item(QuarantineStatus.QUARANTINED, "garbage".getBytes(StandardCharsets.UTF_8),
        Optional.empty(), Optional.empty());
    assertInstanceOf(ConsoleError.NoEventType.class, error(service.prepare(poison, Optional.of("{}"))));
    // ...but it can still be redriven as it is.
    assertTrue(service.prepare(poison, Optional.empty()).succeeded());
  }

  @Test
  void anItemOfATypeTheRegistryDoesNotKnowCannotTakeData() {
    QuarantineItem unknown = Items.item(QuarantineStatus.QUARANTINED, "{}".getBytes(StandardCharsets.UTF_8),
        Optional.of("retail.order.placed"), Optional.empty());
    ConsoleError.UnknownEventType e = assertInstanceOf(ConsoleError.UnknownEventType.class,
        error(service.prepare(unknown, Optional.of("{}"))));
    assertEquals("retail.order.placed", e.type());
  }

  private static ConsoleError error(Future<?> f) {
    assertTrue(f.failed(), "expected a failure, got " + f.result());
    return assertInstanceOf(ConsoleFailure.class, f.cause()).error();
  }
}

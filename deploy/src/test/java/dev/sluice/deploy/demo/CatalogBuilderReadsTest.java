package dev.sluice.deploy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.PointerReach;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo consumer declares reads its wrapper accepts at start-up: every type and field is in the demo catalog. */
class CatalogBuilderReadsTest {
  @Test
  void everyDeclaredTypeIsRegisteredAndEveryPointerReachedByItsSchema() {
    RegistryState state = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state();
    assertEquals(Set.of("retail.product.created", "retail.photographer.registered", "retail.product.photographed"),
        CatalogBuilderHandler.READS.reads().keySet(), "every type of the retail stream");
    CatalogBuilderHandler.READS.reads().forEach((type, pointers) -> {
      assertFalse(state.versions(type).isEmpty(), type);
      PointerReach reach = new PointerReach(state.latest(type).orElseThrow().schemaJson());
      pointers.forEach(p -> assertTrue(reach.reaches(p), type + " " + p));
    });
    assertEquals("team-catalog", CatalogBuilderHandler.READS.owner());
  }
}

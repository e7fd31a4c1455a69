package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import org.junit.jupiter.api.Test;

/** The "validation off" gateway of figure (d) rests on this: its registry, loaded through the loader, checks nothing. */
class PermissiveSchemaLoaderTest {
  private static final String WITHOUT_BRAND = "{\"id\":\"p-1\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":-1}";

  @Test
  void registryLoadedThroughTheLoaderAcceptsWhatTheRealSchemaRefuses() {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    SchemaRegistry permissive;
    t.setContextClassLoader(new GatewayUnderTest.PermissiveSchemaLoader(previous));
    try {
      permissive = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
    } finally {
      t.setContextClassLoader(previous);
    }
    SchemaRegistry real = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());

    assertInstanceOf(Validation.Invalid.class, real.validate(ProductEvents.TYPE, WITHOUT_BRAND));
    assertInstanceOf(Validation.Valid.class, permissive.validate(ProductEvents.TYPE, WITHOUT_BRAND));
    // Only the benchmark's type is affected.
    assertInstanceOf(Validation.Invalid.class, permissive.validate("retail.photographer.registered", "{}"));
  }
}

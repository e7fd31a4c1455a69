package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Validation off in figure (d) rests on this: the registry loaded through the loader knows a twin type that checks
 * nothing, on the same stream and partition key, while the real type still checks its schema.
 */
class UncheckedTwinLoaderTest {
  private static final String WITHOUT_BRAND = "{\"id\":\"p-1\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":-1}";

  @Test
  void twinTypeAcceptsWhatTheRealSchemaRefusesAndTheRealTypeStillChecks() {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    StreamCatalog catalog;
    SchemaRegistry registry;
    t.setContextClassLoader(new GatewayUnderTest.UncheckedTwinLoader(previous));
    try {
      catalog = StreamCatalog.loadDefault();
      registry = SchemaRegistry.fromCatalog(catalog);
    } finally {
      t.setContextClassLoader(previous);
    }

    assertInstanceOf(Validation.Valid.class, registry.validate(GatewayUnderTest.UNCHECKED_TYPE, WITHOUT_BRAND));
    assertInstanceOf(Validation.Invalid.class, registry.validate(ProductEvents.TYPE, WITHOUT_BRAND));
    assertInstanceOf(Validation.Invalid.class, registry.validate("retail.photographer.registered", "{}"));
    // Same stream, same key: the twin's events take the real type's path to the same topic and partitions.
    Map<String, EventTypeBinding> types = catalog.stream(ProductEvents.STREAM).orElseThrow().types();
    assertEquals(types.get(ProductEvents.TYPE).partitionKeyPointer(),
        types.get(GatewayUnderTest.UNCHECKED_TYPE).partitionKeyPointer());
    // The class path's own catalog is untouched.
    assertFalse(StreamCatalog.loadDefault().stream(ProductEvents.STREAM).orElseThrow().types()
        .containsKey(GatewayUnderTest.UNCHECKED_TYPE));
  }
}

package dev.sluice.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.StreamCatalog;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());

  @Test
  void everyCatalogTypeIsCompiled() {
    assertEquals(Set.of("retail.product.created", "retail.photographer.registered", "retail.product.photographed"),
        registry.types());
  }

  @Test
  void aValidProductPasses() {
    var v = registry.validate("retail.product.created",
        "{\"id\":\"p1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":12.5}");
    assertInstanceOf(Validation.Valid.class, v);
  }

  @Test
  void violationsPointIntoTheWholeEvent() {
    var v = registry.validate("retail.product.created",
        "{\"id\":\"p1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"price\":0}");
    List<Violation> violations = assertInstanceOf(Validation.Invalid.class, v).violations();
    assertEquals(2, violations.size());
    Violation price = violations.stream().filter(x -> x.pointer().equals("/data/price")).findFirst().orElseThrow();
    assertEquals("exclusiveMinimum", price.keyword());
    Violation category = violations.stream().filter(x -> x.pointer().equals("/data/category")).findFirst().orElseThrow();
    assertEquals("required", category.keyword());
  }

  @Test
  void formatsAreChecked() {
    var photographer = registry.validate("retail.photographer.registered",
        "{\"id\":\"ph\",\"name\":\"Ann\",\"email\":\"not-an-email\"}");
    assertEquals("/data/email", assertInstanceOf(Validation.Invalid.class, photographer).violations().get(0).pointer());
    var photo = registry.validate("retail.product.photographed",
        "{\"productId\":\"p\",\"photographerId\":\"ph\",\"imageUrl\":\"not a uri\"}");
    Violation url = assertInstanceOf(Validation.Invalid.class, photo).violations().get(0);
    assertEquals("/data/imageUrl", url.pointer());
    assertEquals("format", url.keyword());
  }

  @Test
  void wrongTypesAreReportedAtTheirPointer() {
    var v = registry.validate("retail.product.created",
        "{\"id\":7,\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":\"cheap\"}");
    List<String> pointers = assertInstanceOf(Validation.Invalid.class, v).violations().stream()
        .map(Violation::pointer).sorted().toList();
    assertEquals(List.of("/data/id", "/data/price"), pointers);
  }

  @Test
  void unknownTypesAndMalformedJsonAreValuesNotExceptions() {
    assertInstanceOf(Validation.UnknownType.class, registry.validate("nope", "{}"));
    assertInstanceOf(Validation.Malformed.class, registry.validate("retail.product.created", "{\"id\":"));
    assertInstanceOf(Validation.Malformed.class, registry.validate("retail.product.created", "{} trailing"));
  }

  @Test
  void partitionKeysAreReadFromData() {
    var v = (Validation.Valid) registry.validate("retail.product.photographed",
        "{\"productId\":\"p-9\",\"photographerId\":\"ph\",\"imageUrl\":\"https://img.example/p-9.jpg\"}");
    assertEquals("p-9", SchemaRegistry.partitionKey(v.parsed(), "/productId").orElseThrow());
    assertTrue(SchemaRegistry.partitionKey(v.parsed(), "/missing").isEmpty());
  }

  @Test
  void remoteReferencesAreRefused() {
    var r = assertInstanceOf(SchemaCompiler.Refused.class, SchemaCompiler.compile(
        "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:1/evil.json\"}}}"));
    assertTrue(r.problems().toString().contains("remote $ref is not allowed"), r.problems().toString());
  }
}

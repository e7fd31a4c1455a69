package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a group declares it reads, against the registry: unknown types and unreachable pointers are refused. */
class DeclaredReadsTest {
  private static final String CREATED = "retail.product.created";

  private static SchemaRegistry demo() {
    return SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  }

  @Test
  void readsTheSchemasReachPass() {
    ReadContract contract = ReadContract.builder().owner("catalog")
        .reads(CREATED, "/data/id", "/data/price", "/data")
        .reads("retail.product.photographed", "/data/imageUrl").build();
    assertEquals(List.of(), DeclaredReads.problems(contract, demo().state()));
    assertEquals(Optional.empty(), DeclaredReads.of("g", contract, demo()).refusal());
  }

  @Test
  void anUnknownTypeAndAnUnreachablePointerAreEachNamed() {
    ReadContract contract = ReadContract.builder()
        .reads(CREATED, "/data/prize", "/data/price")
        .reads("retail.product.craeted", "/data/id").build();
    List<String> problems = DeclaredReads.problems(contract, demo().state());
    assertEquals(List.of(
        "type `retail.product.craeted` is not in the schema registry (a typo would declare nothing)",
        "type `retail.product.created`: no version of its schema (v1) reaches `/data/prize`"), problems);

    String refusal = DeclaredReads.of("catalog-builder", contract, demo()).refusal().orElseThrow();
    assertTrue(refusal.startsWith("consumer group catalog-builder declares reads the schema registry refutes"),
        refusal);
    assertTrue(refusal.contains(problems.get(0)) && refusal.contains(problems.get(1)), refusal);
  }

  @Test
  void aPointerAnyVersionReachesIsAcceptedAndTheRegistryIsReadAsItIsNow() {
    SchemaRegistry registry = demo();
    ReadContract contract = ReadContract.builder().reads(CREATED, "/data/currency").build();
    DeclaredReads declared = DeclaredReads.of("g", contract, registry);
    assertTrue(declared.refusal().isPresent());

    // v2 adds the member: a group reading it may start, though v1 events lack it.
    String v2 = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
        + "\"price\":{\"type\":\"number\"},\"currency\":{\"type\":\"string\"}}}";
    registry.update(s -> s.apply(new RegistryRecord.SchemaRegistered(CREATED, 2, v2)));
    assertEquals(Optional.empty(), declared.refusal());
    assertEquals(List.of(), DeclaredReads.problems(contract, registry.state()));
    assertTrue(DeclaredReads.problems(ReadContract.builder().reads(CREATED, "/data/colour").build(),
        registry.state()).get(0).contains("(v1-v2) reaches `/data/colour`"));
  }

  @Test
  void nothingDeclaredIsNothingToRefuse() {
    assertEquals(Optional.empty(), DeclaredReads.none().refusal());
    assertEquals(Optional.empty(), DeclaredReads.of("g", ReadContract.NONE, demo()).refusal());
    assertEquals(List.of(), DeclaredReads.problems(ReadContract.NONE, RegistryState.empty()));
  }
}

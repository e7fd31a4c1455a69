package dev.sluice.gateway.confluent;

import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.registry.ContractChecks;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * What the Confluent-compatible API works with: the same registry (read), writer, keys, body limit and declared reads
 * as the registry's own API.
 *
 * @param maxSchemaBytes the largest schema text accepted (the body that carries it, escaped, may be larger)
 * @param contracts the live consumer groups' declared reads, and whether they are protected
 */
public record ConfluentParts(SchemaRegistry registry, RegistryAdmin admin, Authorizer authorizer, long maxSchemaBytes,
    MeterRegistry meters, ContractChecks contracts) {
  public ConfluentParts {
    List.of(registry, admin, authorizer, meters, contracts);
  }

  /** Without declared reads ({@link ContractChecks#NONE}). */
  public ConfluentParts(SchemaRegistry registry, RegistryAdmin admin, Authorizer authorizer, long maxSchemaBytes,
      MeterRegistry meters) {
    this(registry, admin, authorizer, maxSchemaBytes, meters, ContractChecks.NONE);
  }
}

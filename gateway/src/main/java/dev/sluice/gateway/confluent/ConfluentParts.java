package dev.sluice.gateway.confluent;

import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * What the Confluent-compatible API works with: the same registry (read), writer, keys and body limit as the
 * registry's own API.
 *
 * @param maxSchemaBytes the largest schema text accepted (the body that carries it, escaped, may be larger)
 */
public record ConfluentParts(
    SchemaRegistry registry, RegistryAdmin admin, Authorizer authorizer, long maxSchemaBytes, MeterRegistry meters) {
  public ConfluentParts {
    List.of(registry, admin, authorizer, meters);
  }
}

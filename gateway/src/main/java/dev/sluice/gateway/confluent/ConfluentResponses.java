package dev.sluice.gateway.confluent;

import dev.sluice.gateway.registry.ContractJson;
import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.SchemaVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Writes the Confluent-compatible API's answer bodies, in Confluent Schema Registry's shapes. Pure and stateless. */
public final class ConfluentResponses {
  private ConfluentResponses() {}

  /** {@code ["a", "b"]}. */
  public static JsonArray subjects(Collection<String> subjects) {
    return new JsonArray(List.copyOf(subjects));
  }

  /** {@code [1, 2, 3]}. */
  public static JsonArray versions(List<SchemaVersion> versions) {
    JsonArray out = new JsonArray();
    versions.forEach(v -> out.add(v.version()));
    return out;
  }

  /**
   * {@code {"subject", "version", "id", "schemaType": "JSON", "schema"}}: the schema text as registered, verbatim
   * (Confluent's clients cache by it).
   */
  public static JsonObject version(String subject, SchemaVersion v, int id) {
    return new JsonObject().put("subject", subject).put("version", v.version()).put("id", id)
        .put("schemaType", ConfluentRequests.JSON).put("schema", v.schemaJson());
  }

  /** {@code {"id"}}: the answer to a registration. */
  public static JsonObject id(int id) {
    return new JsonObject().put("id", id);
  }

  /** {@code {"schema", "schemaType": "JSON"}}: a schema by id. */
  public static JsonObject schema(SchemaVersion v) {
    return new JsonObject().put("schema", v.schemaJson()).put("schemaType", ConfluentRequests.JSON);
  }

  /** {@code ["JSON"]}: the schema types this registry takes. */
  public static JsonArray schemaTypes() {
    return new JsonArray().add(ConfluentRequests.JSON);
  }

  /** {@code {"compatibilityLevel"}}: GET /config. */
  public static JsonObject config(Compatibility level) {
    return new JsonObject().put("compatibilityLevel", level.name());
  }

  /** {@code {"compatibility"}}: PUT /config. */
  public static JsonObject configSet(Compatibility level) {
    return new JsonObject().put("compatibility", level.name());
  }

  /** {@code {"is_compatible"}}, and with {@code verbose} the breaking changes as {@code messages}. */
  public static JsonObject compatibility(List<BreakingChange> changes, boolean verbose) {
    return compatibility(changes, ContractImpact.NONE, Optional.empty(), false, verbose);
  }

  /**
   * {@code {"is_compatible"}}, and with {@code verbose} {@code messages}: the breaking changes, then a line per live
   * consumer group whose declared reads the change touches ({@code affects group ...}), and, when the registry
   * {@code protects} declared reads, one per group whose declared fields it breaks ({@code breaks group ...}), which
   * makes the schema not compatible; or why the groups are unknown.
   */
  public static JsonObject compatibility(List<BreakingChange> changes, ContractImpact impact,
      Optional<String> affectsUnknown, boolean protects, boolean verbose) {
    boolean readsBroken = protects && !impact.protectedFieldsBroken().isEmpty();
    JsonObject out = new JsonObject().put("is_compatible", changes.isEmpty() && !readsBroken);
    if (verbose) {
      List<String> messages = new ArrayList<>(changes.stream().map(ConfluentResponses::message).toList());
      messages.addAll(ContractJson.lines("affects", impact.affects()));
      if (readsBroken) {
        messages.addAll(ContractJson.lines("breaks declared reads of", impact.protectedFieldsBroken()));
      }
      affectsUnknown.ifPresent(messages::add);
      out.put("messages", new JsonArray(messages));
    }
    return out;
  }

  /** One breaking change as a line: where, which rule, what. */
  static String message(BreakingChange c) {
    return (c.pointer().isEmpty() ? "" : c.pointer() + ": ") + c.message() + " (" + c.rule() + ")";
  }
}

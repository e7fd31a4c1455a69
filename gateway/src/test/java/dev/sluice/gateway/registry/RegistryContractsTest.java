package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.gateway.config.DeclaredReadsMode;
import dev.sluice.gateway.problem.Problems;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.ContractImpact;
import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.SchemaVersion;
import dev.sluice.schemas.registry.log.Registration;
import dev.sluice.schemas.registry.log.RegistryDecisions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the registry API answers about the consumer groups a proposed schema affects: the dry run and the registration
 * answers, as values (the routes around them are {@code RegistryContractRoutesTest}, the registration against a real
 * registry log {@code RegistryContractsIT}).
 */
class RegistryContractsTest {
  private static final String TYPE = "retail.product.created";
  private static final RegistryState STATE = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state();
  private static final SchemaVersion PRODUCT = STATE.latest(TYPE).orElseThrow();
  /** The product without its optional description: BACKWARD allows it (an open object may lose a property). */
  private static final String NO_DESCRIPTION = PRODUCT.schemaJson()
      .replace(",\n    \"description\": { \"type\": \"string\" }", "");
  /** The product with an integer price: BACKWARD refuses it. */
  private static final String INTEGER_PRICE = PRODUCT.schemaJson()
      .replace("\"price\": { \"type\": \"number\"", "\"price\": { \"type\": \"integer\"");
  private static final DeclaredReader BILLING =
      new DeclaredReader("billing", "payments", "#payments", new TreeSet<>(List.of("/data/price")));
  private static final DeclaredReader SEARCH =
      new DeclaredReader("search", "discovery", "", new TreeSet<>(List.of("/data/description", "/data/name")));
  private static final ContractChecks.Readers BOTH =
      new ContractChecks.Readers(List.of(SEARCH, BILLING), Optional.empty());

  private static JsonObject dryRun(String schema, ContractChecks.Readers readers, DeclaredReadsMode mode) {
    return assertInstanceOf(RegistryAnswer.Ok.class, RegistryRoutes.dryRun(STATE, TYPE, schema, readers, mode)).body();
  }

  private static List<String> groups(JsonArray groups) {
    return groups.stream().map(g -> ((JsonObject) g).getString("group")).toList();
  }

  @Test
  void theFixturesAreWhatTheTestsSayTheyAre() {
    assertFalse(NO_DESCRIPTION.contains("description\": {"), NO_DESCRIPTION);
    assertTrue(INTEGER_PRICE.contains("\"integer\""), INTEGER_PRICE);
  }

  @Test
  void aDryRunOfACompatibleChangeNamesTheGroupsWhoseDeclaredFieldsItRemoves() {
    JsonObject inform = dryRun(NO_DESCRIPTION, BOTH, DeclaredReadsMode.INFORM);
    assertEquals(true, inform.getBoolean("compatible"));
    assertEquals("BACKWARD", inform.getString("level"));
    assertEquals(new JsonArray().add(1), inform.getJsonArray("checkedAgainst"));
    assertEquals(new JsonArray(), inform.getJsonArray("changes"));
    assertEquals("inform", inform.getString("declaredReads"));
    assertEquals(List.of("search"), groups(inform.getJsonArray("affects")));
    assertEquals(List.of("search"), groups(inform.getJsonArray("protectedFieldsBroken")));
    JsonObject search = inform.getJsonArray("affects").getJsonObject(0);
    assertEquals("discovery", search.getString("owner"));
    assertEquals(new JsonArray().add("/data/description"), search.getJsonArray("pointers"));
    assertEquals(new JsonArray().add("declared-field-removed"), search.getJsonArray("rules"));
    JsonObject touch = search.getJsonArray("changes").getJsonObject(0);
    assertEquals("/data/description", touch.getString("read"));
    assertEquals("/properties/description", touch.getString("pointer"));
    assertEquals(new JsonArray().add("/description"), touch.getJsonArray("paths"));
    assertFalse(inform.containsKey("affectsUnknown"));

    JsonObject protect = dryRun(NO_DESCRIPTION, BOTH, DeclaredReadsMode.PROTECT);
    assertEquals(false, protect.getBoolean("compatible"), "protect mode refuses what breaks a declared field");
    assertEquals("protect", protect.getString("declaredReads"));
    assertEquals(List.of("search"), groups(protect.getJsonArray("protectedFieldsBroken")));
    assertEquals(true, dryRun(NO_DESCRIPTION, new ContractChecks.Readers(List.of(BILLING), Optional.empty()),
        DeclaredReadsMode.PROTECT).getBoolean("compatible"), "nobody reads the description");
  }

  @Test
  void aDryRunOfAnIncompatibleChangeNamesWhoReadsTheBrokenFields() {
    JsonObject r = dryRun(INTEGER_PRICE, BOTH, DeclaredReadsMode.INFORM);
    assertEquals(false, r.getBoolean("compatible"));
    JsonObject change = r.getJsonArray("changes").getJsonObject(0);
    assertEquals("type-narrowed", change.getString("rule"));
    assertEquals("/properties/price/type", change.getString("pointer"));
    assertEquals(new JsonArray().add("/price"), change.getJsonArray("paths"));
    assertEquals(List.of("billing"), groups(r.getJsonArray("affects")));
    assertEquals(new JsonArray().add("/data/price"), r.getJsonArray("affects").getJsonObject(0)
        .getJsonArray("pointers"));
  }

  @Test
  void aDryRunOfTheRegisteredSchemaIsCompatibleAndAffectsNoOne() {
    JsonObject r = dryRun(PRODUCT.schemaJson(), BOTH, DeclaredReadsMode.PROTECT);
    assertEquals(true, r.getBoolean("compatible"));
    assertEquals(1, r.getInteger("existingVersion"));
    assertEquals(new JsonArray(), r.getJsonArray("affects"));
  }

  @Test
  void aDryRunWithTheGroupsUnknownSaysSo() {
    JsonObject r = dryRun(NO_DESCRIPTION, new ContractChecks.Readers(List.of(), Optional.of("store down")),
        DeclaredReadsMode.INFORM);
    assertEquals(true, r.getBoolean("compatible"));
    assertEquals("store down", r.getString("affectsUnknown"));
    assertEquals(new JsonArray(), r.getJsonArray("affects"));
  }

  @Test
  void aDryRunOfADocumentThatCannotBeRegisteredIsA422() {
    RegistryAnswer.Failed f = assertInstanceOf(RegistryAnswer.Failed.class,
        RegistryRoutes.dryRun(STATE, TYPE, "{\"type\":\"strin\"}", BOTH, DeclaredReadsMode.INFORM));
    assertInstanceOf(RegistryFailure.SchemaRefused.class, f.failure());
  }

  @Test
  void aNewVersionsAnswerNamesWhoItAffects() {
    ContractImpact impact = ContractImpact.of(Optional.of(PRODUCT.schemaJson()), NO_DESCRIPTION, List.of(),
        List.of(SEARCH, BILLING));
    SchemaVersion v2 = STATE.apply(new dev.sluice.schemas.registry.RegistryRecord.SchemaRegistered(TYPE, 2,
        NO_DESCRIPTION)).version(TYPE, 2).orElseThrow();
    RegistryAnswer.Ok ok = assertInstanceOf(RegistryAnswer.Ok.class,
        RegistryRoutes.registered(TYPE, new Registration.Created(v2), impact, Optional.empty()));
    assertEquals(201, ok.status());
    assertEquals(2, ok.body().getInteger("version"));
    assertEquals(List.of("search"), groups(ok.body().getJsonArray("affects")));
    RegistryAnswer.Ok unknown = assertInstanceOf(RegistryAnswer.Ok.class, RegistryRoutes.registered(TYPE,
        new Registration.Created(v2), ContractImpact.NONE, Optional.of("the live consumer groups could not be read")));
    assertEquals("the live consumer groups could not be read", unknown.body().getString("affectsUnknown"));
  }

  @Test
  void anIncompatibleAnswerNamesWhoReadsTheBrokenFields() {
    Registration.Incompatible i = assertInstanceOf(Registration.Incompatible.class,
        ((RegistryDecisions.Decision.Answer<Registration>) RegistryDecisions.register(STATE, TYPE, INTEGER_PRICE))
            .answer());
    ContractImpact impact = ContractImpacts.after(STATE, TYPE, INTEGER_PRICE, i, List.of(SEARCH, BILLING))
        .orElseThrow();
    RegistryAnswer.Failed f = assertInstanceOf(RegistryAnswer.Failed.class,
        RegistryRoutes.registered(TYPE, i, impact, Optional.empty()));
    JsonObject problem = Problems.of(f.failure(), "/v1/schemas/" + TYPE + "/versions").body();
    assertEquals(409, problem.getInteger("status"));
    assertEquals(Problems.TYPE_BASE + "incompatible-schema", problem.getString("type"));
    assertEquals(List.of("billing"), groups(problem.getJsonArray("affects")));
    assertEquals(new JsonArray().add("type-narrowed"),
        problem.getJsonArray("affects").getJsonObject(0).getJsonArray("rules"));
    assertEquals(new JsonArray().add("/price"),
        problem.getJsonArray("changes").getJsonObject(0).getJsonArray("paths"));
  }

  @Test
  void aChangeProtectModeRefusesIsA409DeclaredReadsBroken() {
    Registration broken = ((RegistryDecisions.Decision.Answer<Registration>) RegistryDecisions.register(STATE, TYPE,
        NO_DESCRIPTION, List.of(SEARCH, BILLING))).answer();
    RegistryAnswer.Failed f = assertInstanceOf(RegistryAnswer.Failed.class, RegistryRoutes.registered(TYPE, broken,
        ContractImpacts.after(STATE, TYPE, NO_DESCRIPTION, broken, List.of(SEARCH, BILLING)).orElseThrow(),
        Optional.empty()));
    JsonObject problem = Problems.of(f.failure(), "/v1/schemas/" + TYPE + "/versions").body();
    assertEquals(409, problem.getInteger("status"));
    assertEquals(Problems.TYPE_BASE + "declared-reads-broken", problem.getString("type"));
    assertEquals(1, problem.getInteger("latestVersion"));
    assertEquals(List.of("search"), groups(problem.getJsonArray("affects")));
    assertEquals("declared-field-removed", problem.getJsonArray("changes").getJsonObject(0).getString("rule"));
    assertTrue(problem.getString("detail").contains("1 live consumer group declared"), problem.getString("detail"));
  }

  @Test
  void readsThatCannotBeReadInProtectModeAreARetryable503() {
    Problems.Problem p = Problems.of(new RegistryFailure.DeclaredReadsUnavailable("the live consumer groups could "
        + "not be read (TimeoutException); who this change affects is unknown"), "/v1/schemas/t/versions");
    assertEquals(503, p.status());
    assertEquals("5", p.headers().get("Retry-After"));
    assertEquals(Problems.TYPE_BASE + "declared-reads-unavailable", p.body().getString("type"));
    assertTrue(p.body().getString("detail").contains("nothing was registered"), p.body().getString("detail"));
  }
}

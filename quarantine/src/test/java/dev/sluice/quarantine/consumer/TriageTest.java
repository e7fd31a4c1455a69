package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriageTest {
  private static final StreamCatalog CATALOG = StreamCatalog.loadDefault();
  private final Triage triage = new Triage(SchemaRegistry.fromCatalog(CATALOG));

  private static List<KafkaHeader> headersFor(String type) {
    return CloudEventKafkaBinding.headers(new CloudEvent("1.0", "e-1", "/test", type, null, null, null, null,
        Map.of(), "{}"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aValidEventIsReadyForTheHandler() {
    var verdict = triage.triage("retail", headersFor("retail.photographer.registered"),
        utf8("{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}"));
    Triage.Ready ready = assertInstanceOf(Triage.Ready.class, verdict);
    assertEquals("retail", ready.stream());
    assertEquals("ph-1", new io.vertx.core.json.JsonObject(ready.event().data()).getString("id"));
  }

  @Test
  void aRecordWithoutCloudEventHeadersIsNotACloudEvent() {
    var verdict = triage.triage("retail", List.of(), utf8("hello"));
    assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, assertInstanceOf(Triage.Poison.class, verdict).reason());
  }

  @Test
  void malformedJsonDataIsMalformed() {
    var verdict = triage.triage("retail", headersFor("retail.photographer.registered"), utf8("{\"id\": "));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, verdict);
    assertEquals(QuarantineReason.MALFORMED, poison.reason());
    assertEquals("/data", poison.violations().get(0).pointer());
  }

  @Test
  void aTypeTheStreamDoesNotAcceptIsUnknown() {
    var verdict = triage.triage("retail", headersFor("retail.order.placed"), utf8("{}"));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, verdict);
    assertEquals(QuarantineReason.UNKNOWN_TYPE, poison.reason());
    assertEquals("retail.order.placed", poison.eventType().orElseThrow());
  }

  @Test
  void schemaInvalidDataListsEveryViolation() {
    var verdict = triage.triage("retail", headersFor("retail.product.created"),
        utf8("{\"id\":\"p\",\"brand\":\"b\",\"name\":\"n\",\"price\":-1}"));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, verdict);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, poison.reason());
    List<String> pointers = poison.violations().stream().map(v -> v.pointer()).sorted().toList();
    assertEquals(List.of("/data/category", "/data/price"), pointers);
  }

  @Test
  void invalidUtf8IsNotACloudEvent() {
    var verdict = triage.triage("retail", headersFor("retail.product.created"), new byte[] {(byte) 0xC3, (byte) 0x28});
    assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, assertInstanceOf(Triage.Poison.class, verdict).reason());
    assertTrue(((Triage.Poison) verdict).message().contains("UTF-8"));
  }

  /** A registry where product.created has a second, stricter version (v2 requires a "sku"). */
  private static SchemaRegistry withStricterVersion2() {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(CATALOG);
    String v1 = registry.state().latest("retail.product.created").orElseThrow().schemaJson();
    io.vertx.core.json.JsonObject v2 = new io.vertx.core.json.JsonObject(v1);
    v2.getJsonArray("required").add("sku");
    registry.update(s -> s.apply(new RegistryRecord.SchemaRegistered("retail.product.created", 2, v2.encode())));
    return registry;
  }

  private static List<KafkaHeader> withVersion(List<KafkaHeader> headers, String version) {
    List<KafkaHeader> out = new java.util.ArrayList<>(headers);
    out.add(KafkaHeader.of(CloudEventKafkaBinding.SCHEMA_VERSION, version));
    return out;
  }

  private static final String PRODUCT_WITHOUT_SKU =
      "{\"id\":\"p\",\"brand\":\"b\",\"name\":\"n\",\"category\":\"c\",\"price\":1}";

  @Test
  void anEventPinnedToAnOlderVersionIsCheckedAgainstThatVersion() {
    Triage pinnedTriage = new Triage(withStricterVersion2());
    var verdict = pinnedTriage.triage("retail", withVersion(headersFor("retail.product.created"), "1"),
        utf8(PRODUCT_WITHOUT_SKU));
    assertInstanceOf(Triage.Ready.class, verdict);
  }

  @Test
  void withoutAVersionHeaderTheLatestVersionJudges() {
    Triage latestTriage = new Triage(withStricterVersion2());
    var verdict = latestTriage.triage("retail", headersFor("retail.product.created"), utf8(PRODUCT_WITHOUT_SKU));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, verdict);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, poison.reason());
    assertEquals("/data/sku", poison.violations().get(0).pointer());
  }

  @Test
  void aVersionTheRegistryDoesNotHaveIsPoison() {
    var verdict = triage.triage("retail", withVersion(headersFor("retail.product.created"), "7"),
        utf8(PRODUCT_WITHOUT_SKU));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, verdict);
    assertEquals(QuarantineReason.UNKNOWN_TYPE, poison.reason());
    assertTrue(poison.message().contains("version 7"), poison.message());
  }

  @Test
  void eachValidRecordReportsTheVersionItWasCheckedAgainst() {
    java.util.List<String> seen = new java.util.ArrayList<>();
    Triage reporting = new Triage(withStricterVersion2(), (type, version) -> seen.add(type + "@" + version));
    reporting.triage("retail", withVersion(headersFor("retail.product.created"), "1"), utf8(PRODUCT_WITHOUT_SKU));
    reporting.triage("retail", headersFor("retail.product.created"), utf8(PRODUCT_WITHOUT_SKU)); // invalid under v2
    assertEquals(List.of("retail.product.created@1"), seen);
  }

  /** Version 2 of the product type gives {@code name} the costliest pattern the registry allows (9,943 instructions). */
  private static SchemaRegistry withCostlyPattern() {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(CATALOG);
    String v1 = registry.state().latest("retail.product.created").orElseThrow().schemaJson();
    io.vertx.core.json.JsonObject v2 = new io.vertx.core.json.JsonObject(v1);
    v2.getJsonObject("properties").getJsonObject("name").put("pattern", "^(a{1,70}){1,70}$");
    registry.update(s -> s.apply(new RegistryRecord.SchemaRegistered("retail.product.created", 2, v2.encode())));
    return registry;
  }

  @Test
  void aRecordTooCostlyToValidateIsPoisonWithTheSameVerdictAsTheGateway() {
    Triage costly = new Triage(withCostlyPattern());
    String name = "a".repeat(5_000) + "!";
    var verdict = costly.triage("retail", headersFor("retail.product.created"),
        utf8("{\"id\":\"p\",\"brand\":\"b\",\"name\":\"" + name + "\",\"category\":\"c\",\"price\":1}"));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, verdict);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, poison.reason());
    assertEquals(List.of(dev.sluice.schemas.registry.SchemaVersion.COST_KEYWORD),
        poison.violations().stream().map(dev.sluice.schemas.Violation::keyword).toList());
    // Within the per-event ceiling the same pattern judges the value itself.
    var fine = costly.triage("retail", headersFor("retail.product.created"),
        utf8("{\"id\":\"p\",\"brand\":\"b\",\"name\":\"aaa\",\"category\":\"c\",\"price\":1}"));
    assertInstanceOf(Triage.Ready.class, fine);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Marked schemas: the ledger holds the sealed form

  private final SealedRecords records = new SealedRecords();

  @Test
  void theSealedFormOfValidDataIsValidAndCarriesWhatUnsealingNeeds() {
    SealedRecords.Rec rec = records.sealed(new MemoryKeys(), "e-1", SealedRecords.PLAIN);
    dev.sluice.schemas.registry.SchemaVersion schema =
        SchemaRegistry.fromCatalog(CATALOG).state().latest(SealedRecords.TYPE).orElseThrow();
    assertInstanceOf(dev.sluice.schemas.registry.Validation.Invalid.class, schema.validate(rec.data()),
        "the full schema refuses a ciphertext where an e-mail address goes");

    Triage.Ready ready = assertInstanceOf(Triage.Ready.class, triage.triage("retail", rec.headers(), rec.value()));
    assertEquals(rec.data(), ready.event().data(), "the event as on the ledger: sealed");
    SealedFields fields = ready.sealed().orElseThrow();
    assertEquals(List.of("/email", "/name"),
        fields.values().stream().map(dev.sluice.schemas.marks.MarkedValue::pointer).toList());
    assertEquals(new dev.sluice.schemas.marks.DataSubject.Valid("ph-1"), fields.subject());
    assertEquals(rec.sealHeader(), assertInstanceOf(dev.sluice.crypto.seal.SealHeader.Parsed.Ok.class,
        fields.header().orElseThrow()).header());
  }

  @Test
  void sealedDataWhoseUnmarkedPartsBreakTheSchemaIsStillASchemaViolation() {
    SealedRecords.Rec rec = records.sealed(new MemoryKeys(), "e-1", SealedRecords.PLAIN);
    var wrongType = triage.triage("retail", rec.headers(), utf8(rec.data().replace("\"id\":\"ph-1\"", "\"id\":7")));
    Triage.Poison poison = assertInstanceOf(Triage.Poison.class, wrongType);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, poison.reason());
    assertEquals(List.of("/data/id"), poison.violations().stream().map(v -> v.pointer()).toList());

    String name = SealedRecords.ciphertextOf(rec.data(), "name");
    var missing = triage.triage("retail", rec.headers(), utf8(rec.data().replace("\"name\":" + name + ",", "")));
    Triage.Poison gone = assertInstanceOf(Triage.Poison.class, missing);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, gone.reason(), "a marked member is still required");
    assertTrue(gone.message().contains("name"), gone.message());
  }

  @Test
  void markedValuesInTheClearAreLeftForUnsealingToRefuse() {
    // Judged as sealed data would be: the verdict on the rest; that the values are not sealed is unsealing's verdict.
    var verdict = triage.triage("retail", headersFor("retail.photographer.registered"),
        utf8("{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}"));
    SealedFields fields = assertInstanceOf(Triage.Ready.class, verdict).sealed().orElseThrow();
    assertEquals(2, fields.values().size());
    assertTrue(fields.header().isEmpty());
  }

  @Test
  void anUnmarkedTypeWithoutAHeaderCarriesNothingToUnseal() {
    var verdict = triage.triage("retail", headersFor("retail.product.created"), utf8(PRODUCT_WITHOUT_SKU));
    assertEquals(java.util.Optional.empty(), assertInstanceOf(Triage.Ready.class, verdict).sealed());
  }

  @Test
  void aSealHeaderOnAnUnmarkedTypeIsCarriedSoThatUnsealingFindsTheMismatch() {
    List<KafkaHeader> headers = new java.util.ArrayList<>(headersFor("retail.product.created"));
    headers.add(new KafkaHeader(dev.sluice.crypto.seal.SealHeader.NAME, utf8("not json")));
    SealedFields fields = assertInstanceOf(Triage.Ready.class,
        triage.triage("retail", headers, utf8(PRODUCT_WITHOUT_SKU))).sealed().orElseThrow();
    assertEquals(List.of(), fields.values());
    assertInstanceOf(dev.sluice.crypto.seal.SealHeader.Parsed.Invalid.class, fields.header().orElseThrow());
  }

  @Test
  void twoSealHeadersAreUnreadable() {
    SealedRecords.Rec rec = records.sealed(new MemoryKeys(), "e-1", SealedRecords.PLAIN);
    List<KafkaHeader> headers = new java.util.ArrayList<>(rec.headers());
    headers.add(new KafkaHeader(dev.sluice.crypto.seal.SealHeader.NAME, rec.sealHeader().encode()));
    SealedFields fields = assertInstanceOf(Triage.Ready.class, triage.triage("retail", headers, rec.value()))
        .sealed().orElseThrow();
    assertInstanceOf(dev.sluice.crypto.seal.SealHeader.Parsed.Invalid.class, fields.header().orElseThrow());
  }
}

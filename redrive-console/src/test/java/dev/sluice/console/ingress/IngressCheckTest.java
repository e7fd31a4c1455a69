package dev.sluice.console.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.ingress.CapturedRequest.Decoded;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngressCheckTest {
  private static final RegistryState RETAIL = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state();
  private static final String TYPE = "retail.product.created";
  private static final String PRODUCT =
      "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":25}";

  private static CloudEvent product(String data) {
    return event(TYPE, null, Map.of(), data);
  }

  private static CloudEvent event(String type, String dataschema, Map<String, String> extensions, String data) {
    return new CloudEvent("1.0", "evt-1", "/test", type, null, dataschema, null, null, extensions, data);
  }

  private static IngressCheck.Verdict check(RegistryState state, String topic, CloudEvent e) {
    return IngressCheck.check(state, topic, new Decoded.Event(e, CapturedRequest.ContentMode.STRUCTURED, List.of()));
  }

  private static IngressRefusal refusal(IngressCheck.Verdict v) {
    return assertInstanceOf(IngressCheck.Refused.class, v, v.toString()).refusal();
  }

  @Test
  void aValidEventIsAppendableWithItsKeySchemaVersionAndHeaders() {
    IngressCheck.Appendable a =
        assertInstanceOf(IngressCheck.Appendable.class, check(RETAIL, "retail", product(PRODUCT)));
    assertEquals("retail", a.stream().topic());
    assertEquals("p-1", a.partitionKey());
    assertEquals(1, a.schema().version());
    assertEquals(PRODUCT, new String(a.value(), StandardCharsets.UTF_8));
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    a.headers(List.of(KafkaHeader.of("traceparent", "tp"))).forEach(h -> headers.put(h.key(), h.valueAsString()));
    assertEquals("evt-1", headers.get("ce_id"), "the original id is kept");
    assertEquals(TYPE, headers.get("ce_type"));
    assertEquals("/test", headers.get("ce_source"));
    assertEquals("1.0", headers.get("ce_specversion"));
    assertEquals("application/json", headers.get("content-type"));
    assertEquals("1", headers.get("sluice-schema-version"));
    assertEquals("tp", headers.get("traceparent"));
  }

  @Test
  void dataThatBreaksTheSchemaIsRefusedWithPointersIntoTheEvent() {
    IngressRefusal.SchemaViolation v = assertInstanceOf(IngressRefusal.SchemaViolation.class, refusal(check(RETAIL,
        "retail", product("{\"id\":\"p-1\",\"brand\":\"Acme\",\"category\":\"tools\",\"price\":-1}"))));
    List<String> pointers = v.violations().stream().map(Violation::pointer).toList();
    assertTrue(pointers.contains("/data/price"), pointers.toString());
    assertTrue(pointers.contains("/data/name"), pointers.toString());
    assertEquals(1, v.schemaVersion());
  }

  @Test
  void dataThatIsNotJsonIsMalformed() {
    assertInstanceOf(IngressRefusal.MalformedData.class, refusal(check(RETAIL, "retail", product("{nope"))));
  }

  @Test
  void anUnreadableRequestAndBrokenAttributesAreRefusedFirst() {
    assertEquals(new IngressRefusal.Unreadable("why"),
        refusal(IngressCheck.check(RETAIL, "retail", new Decoded.Unreadable("why"))));

    CloudEvent noId = new CloudEvent("1.0", null, "/test", TYPE, "text/plain", null, null, "yesterday", Map.of(),
        PRODUCT);
    IngressRefusal.InvalidAttributes bad = assertInstanceOf(IngressRefusal.InvalidAttributes.class,
        refusal(IngressCheck.check(RETAIL, "retail", new Decoded.Event(noId, CapturedRequest.ContentMode.BINARY,
            List.of(new Violation("/subject", "encoding", "bad header"))))));
    assertEquals(List.of("/subject", "/id", "/time", "/datacontenttype"),
        bad.violations().stream().map(Violation::pointer).toList());
  }

  @Test
  void aTopicNoStreamWritesToAndATypeTheStreamDoesNotAcceptAreRefused() {
    assertEquals(new IngressRefusal.NoStreamForTopic("gone"), refusal(check(RETAIL, "gone", product(PRODUCT))));
    IngressRefusal.TypeNotAccepted t = assertInstanceOf(IngressRefusal.TypeNotAccepted.class,
        refusal(check(RETAIL, "retail", event("retail.order.placed", null, Map.of(), "{}"))));
    assertTrue(t.acceptedTypes().contains(TYPE));
    assertEquals("/type", t.violations().get(0).pointer());
  }

  @Test
  void aPinnedVersionIsUsedAndAnUnknownOrForeignPinIsRefused() {
    RegistryState twoVersions = RETAIL.apply(new RegistryRecord.SchemaRegistered(TYPE, 2,
        "{\"type\":\"object\",\"required\":[\"id\",\"sku\"],\"properties\":{\"id\":{\"type\":\"string\"}}}"));
    // Latest (2) needs a sku; pinned version 1 does not.
    assertInstanceOf(IngressRefusal.SchemaViolation.class, refusal(check(twoVersions, "retail", product(PRODUCT))));
    IngressCheck.Appendable pinned = assertInstanceOf(IngressCheck.Appendable.class, check(twoVersions, "retail",
        event(TYPE, "https://sluice.example/v1/schemas/" + TYPE + "/versions/1", Map.of(), PRODUCT)));
    assertEquals(1, pinned.schema().version());

    IngressRefusal.UnknownSchemaVersion unknown = assertInstanceOf(IngressRefusal.UnknownSchemaVersion.class,
        refusal(check(twoVersions, "retail", event(TYPE, "/v1/schemas/" + TYPE + "/versions/9", Map.of(), PRODUCT))));
    assertEquals(2, unknown.latestVersion());
    assertInstanceOf(IngressRefusal.UnsupportedDataschema.class,
        refusal(check(RETAIL, "retail", event(TYPE, "https://schemas.example/product.json", Map.of(), PRODUCT))));
    assertInstanceOf(IngressRefusal.UnsupportedDataschema.class, refusal(check(RETAIL, "retail",
        event(TYPE, "/v1/schemas/retail.photographer.registered/versions/1", Map.of(), PRODUCT))));
  }

  @Test
  void thePartitionKeyExtensionIsRefusedWhereTheStreamDoesNotAllowIt() {
    IngressRefusal r = refusal(check(RETAIL, "retail", event(TYPE, null, Map.of("partitionkey", "k"), PRODUCT)));
    assertInstanceOf(IngressRefusal.PartitionKeyExtensionNotAllowed.class, r);
    assertEquals("/partitionkey", r.violations().get(0).pointer());
  }

  @Test
  void theKeyComesFromTheTypesPointerOrTheAllowedExtension() {
    RegistryState loose = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("t.loose", 1, "{\"type\":\"object\"}"))
        .apply(new RegistryRecord.StreamPut(new StreamDefinition("loose", "loose-topic", 1, OrderingPolicy.KEY_ORDERED,
            Map.of("t.loose", new EventTypeBinding("t.loose", "/sku", "")), true)));
    IngressRefusal.MissingPartitionKey missing = assertInstanceOf(IngressRefusal.MissingPartitionKey.class,
        refusal(check(loose, "loose-topic", event("t.loose", null, Map.of(), "{\"sku\":\"\"}"))));
    assertEquals("/data/sku", missing.pointer());
    assertEquals("/data/sku", missing.violations().get(0).pointer());

    assertEquals("42", assertInstanceOf(IngressCheck.Appendable.class,
        check(loose, "loose-topic", event("t.loose", null, Map.of(), "{\"sku\":42}"))).partitionKey());
    assertEquals("k-1", assertInstanceOf(IngressCheck.Appendable.class, check(loose, "loose-topic",
        event("t.loose", null, Map.of("partitionkey", "k-1"), "{}"))).partitionKey());
  }
}

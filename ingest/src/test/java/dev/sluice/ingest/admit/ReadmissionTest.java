package dev.sluice.ingest.admit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.CapturedRequest;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.CostMeter;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A captured ingress reject admitted again for a redrive: the gateway's own chain, so an operator learns before
 * anything is written what ingest would say. (The chain itself, against every rule, is {@link EventAdmissionTest}.)
 */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class ReadmissionTest {
  private static final RegistryState RETAIL = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state();
  private static final String TYPE = "retail.product.created";
  private static final String PRODUCT =
      "{\"id\":\"p-1\",\"brand\":\"Acme\",\"name\":\"Anvil\",\"category\":\"tools\",\"price\":25}";
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final List<KafkaHeader> STRUCTURED =
      List.of(KafkaHeader.of("content-type", "application/cloudevents+json"), KafkaHeader.of("user-agent", "t"));

  /** A structured-mode body: the attributes given, in order, then the data as raw JSON text. */
  private static String body(Map<String, Object> attributes, String data) {
    JsonObject envelope = new JsonObject(new LinkedHashMap<>(attributes));
    String head = envelope.encode();
    return head.substring(0, head.length() - 1) + (envelope.isEmpty() ? "" : ",") + "\"data\":" + data + "}";
  }

  private static Map<String, Object> event(String type, Map<String, Object> more) {
    Map<String, Object> out = new LinkedHashMap<>(Map.of("specversion", "1.0", "id", "evt-1", "source", "/test"));
    out.put("type", type);
    out.putAll(more);
    return out;
  }

  private static Outcome<AdmittedEvent> readmit(
      RegistryState state, String stream, List<KafkaHeader> headers, String body) {
    EventAdmission admission = new EventAdmission(new SchemaRegistry(state), new CloudEventHttpReader());
    CapturedRequest captured =
        new CapturedRequest(headers, body.getBytes(StandardCharsets.UTF_8), Optional.empty());
    return admission.readmit(stream, captured, CostMeter::forOneEvent).outcome();
  }

  private static Outcome<AdmittedEvent> readmit(RegistryState state, String stream, Map<String, Object> attributes,
      String data) {
    return readmit(state, stream, STRUCTURED, body(attributes, data));
  }

  private static AdmittedEvent admitted(Outcome<AdmittedEvent> outcome) {
    Outcome.Ok<AdmittedEvent> ok = assertInstanceOf(Outcome.Ok.class, outcome, outcome::toString);
    return ok.value();
  }

  private static Rejection refusal(Outcome<AdmittedEvent> outcome) {
    Outcome.Rejected<AdmittedEvent> r = assertInstanceOf(Outcome.Rejected.class, outcome, outcome::toString);
    return r.rejection();
  }

  @Test
  void aValidEventIsAppendableWithItsKeySchemaVersionAndHeaders() {
    List<KafkaHeader> headers = List.of(KafkaHeader.of("content-type", "application/cloudevents+json"),
        KafkaHeader.of("traceparent", TRACEPARENT));
    AdmittedEvent a = admitted(readmit(RETAIL, "retail", headers, body(event(TYPE, Map.of()), PRODUCT)));
    assertEquals("retail", a.stream().topic());
    assertEquals("p-1", a.partitionKey());
    assertEquals(1, a.schema().version());
    assertEquals(PRODUCT, new String(a.recordValue(), StandardCharsets.UTF_8));
    Map<String, String> record = new LinkedHashMap<>();
    a.recordHeaders().forEach(h -> record.put(h.key(), h.valueAsString()));
    assertEquals("evt-1", record.get("ce_id"), "the original id is kept");
    assertEquals(TYPE, record.get("ce_type"));
    assertEquals("/test", record.get("ce_source"));
    assertEquals("1.0", record.get("ce_specversion"));
    assertEquals("application/json", record.get("content-type"));
    assertEquals("1", record.get("sluice-schema-version"));
    assertEquals(TRACEPARENT, record.get("traceparent"), "the producer's trace goes on");
  }

  @Test
  void dataThatBreaksTheSchemaIsRefusedWithPointersIntoTheEvent() {
    Rejection.SchemaViolation v = assertInstanceOf(Rejection.SchemaViolation.class, refusal(readmit(RETAIL, "retail",
        event(TYPE, Map.of()), "{\"id\":\"p-1\",\"brand\":\"Acme\",\"category\":\"tools\",\"price\":-1}")));
    List<String> pointers = v.violations().stream().map(Violation::pointer).toList();
    assertTrue(pointers.contains("/data/price"), pointers.toString());
    assertTrue(pointers.contains("/data/name"), pointers.toString());
    assertEquals(1, v.version());
  }

  @Test
  void dataThatIsNotJsonIsRefusedAtTheData() {
    List<KafkaHeader> binary = List.of(KafkaHeader.of("content-type", "application/json"),
        KafkaHeader.of("ce-specversion", "1.0"), KafkaHeader.of("ce-id", "evt-1"),
        KafkaHeader.of("ce-source", "/test"), KafkaHeader.of("ce-type", TYPE));
    Rejection r = refusal(readmit(RETAIL, "retail", binary, "{nope"));
    assertInstanceOf(Rejection.Unreadable.class, r);
    assertEquals("/data", r.violations().get(0).pointer());
  }

  @Test
  void anUnreadableRequestAndBrokenAttributesAreRefusedBeforeTheStreamsRules() {
    assertInstanceOf(Rejection.Unreadable.class, refusal(readmit(RETAIL, "retail", STRUCTURED, "{not json")));

    Map<String, Object> broken = new LinkedHashMap<>(Map.of("specversion", "1.0", "source", "/test"));
    broken.putAll(Map.of("type", "retail.order.placed", "datacontenttype", "text/plain", "time", "yesterday",
        "subject", 7));
    Rejection.InvalidAttributes bad =
        assertInstanceOf(Rejection.InvalidAttributes.class, refusal(readmit(RETAIL, "retail", broken, PRODUCT)));
    assertEquals(List.of("/subject", "/id", "/time", "/datacontenttype"),
        bad.violations().stream().map(Violation::pointer).toList());
  }

  @Test
  void aStreamThatIsGoneAndATypeTheStreamDoesNotAcceptAreRefused() {
    assertEquals(new Rejection.UnknownStream("gone"), refusal(readmit(RETAIL, "gone", event(TYPE, Map.of()), PRODUCT)));
    Rejection.TypeNotAccepted t = assertInstanceOf(Rejection.TypeNotAccepted.class,
        refusal(readmit(RETAIL, "retail", event("retail.order.placed", Map.of()), "{}")));
    assertTrue(t.accepted().contains(TYPE));
    assertEquals("/type", t.violations().get(0).pointer());
  }

  @Test
  void aPinnedVersionIsUsedAndAnUnknownOrForeignPinIsRefused() {
    RegistryState twoVersions = RETAIL.apply(new RegistryRecord.SchemaRegistered(TYPE, 2,
        "{\"type\":\"object\",\"required\":[\"id\",\"sku\"],\"properties\":{\"id\":{\"type\":\"string\"}}}"));
    // Latest (2) needs a sku; pinned version 1 does not.
    assertInstanceOf(Rejection.SchemaViolation.class,
        refusal(readmit(twoVersions, "retail", event(TYPE, Map.of()), PRODUCT)));
    AdmittedEvent pinned = admitted(readmit(twoVersions, "retail",
        event(TYPE, Map.of("dataschema", "https://sluice.example/v1/schemas/" + TYPE + "/versions/1")), PRODUCT));
    assertEquals(1, pinned.schema().version());

    Rejection.UnknownSchemaVersion unknown = assertInstanceOf(Rejection.UnknownSchemaVersion.class,
        refusal(readmit(twoVersions, "retail",
            event(TYPE, Map.of("dataschema", "/v1/schemas/" + TYPE + "/versions/9")), PRODUCT)));
    assertEquals(2, unknown.latest());
    assertInstanceOf(Rejection.UnsupportedDataschema.class, refusal(readmit(RETAIL, "retail",
        event(TYPE, Map.of("dataschema", "https://schemas.example/product.json")), PRODUCT)));
    assertInstanceOf(Rejection.UnsupportedDataschema.class, refusal(readmit(RETAIL, "retail",
        event(TYPE, Map.of("dataschema", "/v1/schemas/retail.photographer.registered/versions/1")), PRODUCT)));
  }

  @Test
  void thePartitionKeyExtensionIsRefusedWhereTheStreamDoesNotAllowIt() {
    Rejection r = refusal(readmit(RETAIL, "retail", event(TYPE, Map.of("partitionkey", "k")), PRODUCT));
    assertInstanceOf(Rejection.PartitionKeyExtensionNotAllowed.class, r);
    assertEquals("/partitionkey", r.violations().get(0).pointer());
  }

  @Test
  void theKeyComesFromTheTypesPointerOrTheAllowedExtension() {
    RegistryState loose = RegistryState.empty()
        .apply(new RegistryRecord.SchemaRegistered("t.loose", 1, "{\"type\":\"object\"}"))
        .apply(new RegistryRecord.StreamPut(new StreamDefinition("loose", "loose-topic", 1, OrderingPolicy.KEY_ORDERED,
            Map.of("t.loose", new EventTypeBinding("t.loose", "/sku", "")), true)));
    Rejection.MissingPartitionKey missing = assertInstanceOf(Rejection.MissingPartitionKey.class,
        refusal(readmit(loose, "loose", event("t.loose", Map.of()), "{\"sku\":\"\"}")));
    assertEquals("/data/sku", missing.pointer());
    assertEquals("/data/sku", missing.violations().get(0).pointer());

    assertEquals("42", admitted(readmit(loose, "loose", event("t.loose", Map.of()), "{\"sku\":42}")).partitionKey());
    assertEquals("k-1", admitted(readmit(loose, "loose", event("t.loose", Map.of("partitionkey", "k-1")), "{}"))
        .partitionKey());
  }
}

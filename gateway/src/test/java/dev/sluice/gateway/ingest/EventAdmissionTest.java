package dev.sluice.gateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.gateway.ingest.EventAdmission.Admission;
import dev.sluice.gateway.ingest.EventAdmission.AdmittedEvent;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The check chain against the shipped Hello Retail catalog and its real schemas. */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class EventAdmissionTest {
  private static final StreamCatalog CATALOG = StreamCatalog.loadDefault();
  private final EventAdmission admission =
      new EventAdmission(CATALOG, SchemaRegistry.fromCatalog(CATALOG), new CloudEventHttpReader());

  private static HttpEventRequest event(String type, String data) {
    return HttpEventRequest.of("application/cloudevents+json", Map.of(),
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"" + type + "\",\"data\":" + data + "}");
  }

  private static <R extends Rejection> R rejection(Admission a, Class<R> kind) {
    Outcome.Rejected<AdmittedEvent> r = assertInstanceOf(Outcome.Rejected.class, a.outcome());
    return assertInstanceOf(kind, r.rejection());
  }

  @Test
  void validProductIsAdmittedWithItsPartitionKey() {
    Admission a = admission.admit("retail", event("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":9.5}"));
    Outcome.Ok<AdmittedEvent> admitted = assertInstanceOf(Outcome.Ok.class, a.outcome());
    AdmittedEvent ok = admitted.value();
    assertEquals("p-1", ok.partitionKey());
    assertEquals("retail", ok.stream().topic());
    assertEquals("retail.product.created", ok.binding().type());
    assertEquals("retail", a.streamLabel());
    assertEquals("retail.product.created", a.typeLabel());
  }

  @Test
  void photoIsKeyedByProductId() {
    Admission a = admission.admit("retail", event("retail.product.photographed",
        "{\"productId\":\"p-9\",\"photographerId\":\"ph-1\",\"imageUrl\":\"https://img.example/1.jpg\"}"));
    Outcome.Ok<AdmittedEvent> ok = assertInstanceOf(Outcome.Ok.class, a.outcome());
    assertEquals("p-9", ok.value().partitionKey());
  }

  @Test
  void unknownStreamComesFirstAndIsLabelledUnknown() {
    Admission a = admission.admit("nope", HttpEventRequest.of("text/plain", Map.of(), "garbage"));
    assertEquals("nope", rejection(a, Rejection.UnknownStream.class).stream());
    assertEquals(EventAdmission.UNKNOWN, a.streamLabel());
    assertEquals(EventAdmission.UNKNOWN, a.typeLabel());
  }

  @Test
  void typeNotAcceptedKeepsTheTypeOutOfTheLabels() {
    Admission a = admission.admit("retail", event("retail.order.placed", "{}"));
    Rejection.TypeNotAccepted r = rejection(a, Rejection.TypeNotAccepted.class);
    assertEquals("retail.order.placed", r.type());
    assertEquals(Set.of("retail.product.created", "retail.photographer.registered", "retail.product.photographed"),
        r.accepted());
    assertEquals("retail", a.streamLabel());
    assertEquals(EventAdmission.UNKNOWN, a.typeLabel());
  }

  @Test
  void schemaViolationsListEveryPointerIntoTheEvent() {
    Admission a = admission.admit("retail", event("retail.product.created",
        "{\"id\":\"p-1\",\"name\":\"N\",\"category\":\"C\",\"price\":-3}"));
    Rejection.SchemaViolation r = rejection(a, Rejection.SchemaViolation.class);
    assertEquals(Set.of("/data/brand", "/data/price"),
        r.violations().stream().map(Violation::pointer).collect(Collectors.toSet()));
    assertEquals("retail.product.created", a.typeLabel());
  }

  @Test
  void readerRejectionsPassThrough() {
    Admission a = admission.admit("retail", HttpEventRequest.of("application/cloudevents+json", Map.of(), "{"));
    rejection(a, Rejection.Malformed.class);
    assertEquals("retail", a.streamLabel());
  }

  @Test
  void nullDataIsASchemaViolationAtData() {
    Admission a = admission.admit("retail", event("retail.product.created", "null"));
    Rejection.SchemaViolation r = rejection(a, Rejection.SchemaViolation.class);
    assertEquals(List.of("/data"), r.violations().stream().map(Violation::pointer).collect(Collectors.toList()));
  }

  @Test
  void missingPartitionKeyPointsAtTheEventPointer() {
    // A catalog whose key lives in an optional member, so a schema-valid event can lack it.
    StreamCatalog catalog = StreamCatalog.parse("""
        {"streams":[{"name":"s","topic":"t","types":[
          {"type":"retail.product.created","partitionKey":"/description","schema":"retail.product.created.json"}]}]}
        """, "test");
    EventAdmission custom = new EventAdmission(catalog, SchemaRegistry.fromCatalog(catalog), new CloudEventHttpReader());
    Admission a = custom.admit("s", event("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":1}"));
    Rejection.MissingPartitionKey r = rejection(a, Rejection.MissingPartitionKey.class);
    assertEquals("/data/description", r.pointer());
  }
}

package dev.sluice.ingest.admit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.HttpEventRequest;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.Rejection;
import dev.sluice.ingest.admit.EventAdmission.Admission;
import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.RegistryRecord;
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
      new EventAdmission(SchemaRegistry.fromCatalog(CATALOG), new CloudEventHttpReader());

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
    EventAdmission custom = new EventAdmission(SchemaRegistry.fromCatalog(catalog), new CloudEventHttpReader());
    Admission a = custom.admit("s", event("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":1}"));
    Rejection.MissingPartitionKey r = rejection(a, Rejection.MissingPartitionKey.class);
    assertEquals("/data/description", r.pointer());
  }

  // ------------------------------------------------------------------------------------------ registry snapshots

  private static final String PRODUCT = "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":9.5}";
  /** Version 2 of retail.product.created: price at most 5 (so the versions disagree on PRODUCT). */
  private static final String PRODUCT_V2 = """
      {"type":"object","required":["id","brand","name","category","price"],
       "properties":{"id":{"type":"string","minLength":1},"price":{"type":"number","maximum":5}}}
      """;

  private static SchemaRegistry registryWithTwoProductVersions() {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(CATALOG);
    registry.update(s -> s.apply(new RegistryRecord.SchemaRegistered("retail.product.created", 2, PRODUCT_V2)));
    assertEquals(2, registry.state().latest("retail.product.created").orElseThrow().version());
    return registry;
  }

  private static HttpEventRequest pinned(String dataschema, String data) {
    return HttpEventRequest.of("application/cloudevents+json", Map.of(),
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"retail.product.created\","
            + "\"dataschema\":\"" + dataschema + "\",\"data\":" + data + "}");
  }

  private static AdmittedEvent admitted(Admission a) {
    Outcome.Ok<AdmittedEvent> ok = assertInstanceOf(Outcome.Ok.class, a.outcome(), () -> "got " + a.outcome());
    return ok.value();
  }

  private static Map<String, String> headers(AdmittedEvent e) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    e.kafkaHeaders().forEach(h -> out.put(h.key(), h.valueAsString()));
    return out;
  }

  @Test
  void withoutDataschemaTheLatestVersionIsUsedAndNamedInAHeader() {
    EventAdmission admission = new EventAdmission(registryWithTwoProductVersions(), new CloudEventHttpReader());
    Rejection.SchemaViolation r = rejection(admission.admit("retail", event("retail.product.created", PRODUCT)),
        Rejection.SchemaViolation.class);
    assertEquals(List.of("/data/price"), r.violations().stream().map(Violation::pointer).toList());
    AdmittedEvent ok = admitted(admission.admit("retail", event("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":4}")));
    assertEquals(2, ok.schema().version());
    assertEquals(Map.of("sluice-schema-version", "2"), headers(ok));
  }

  @Test
  void aPinnedVersionIsValidatedAgainstThatVersion() {
    EventAdmission admission = new EventAdmission(registryWithTwoProductVersions(), new CloudEventHttpReader());
    for (String ds : List.of("https://sluice.example/v1/schemas/retail.product.created/versions/1",
        "/v1/schemas/retail.product.created/versions/1", "http://gw:8080/prefix/v1/schemas/retail.product.created/versions/1",
        "/v1/schemas/retail%2Eproduct%2Ecreated/versions/1")) {
      AdmittedEvent ok = admitted(admission.admit("retail", pinned(ds, PRODUCT)));
      assertEquals(1, ok.schema().version(), ds);
      assertEquals("1", headers(ok).get("sluice-schema-version"), ds);
    }
    rejection(admission.admit("retail", pinned("/v1/schemas/retail.product.created/versions/2", PRODUCT)),
        Rejection.SchemaViolation.class);
  }

  @Test
  void anUnknownVersionIsRefusedNamingTheVersionsThereAre() {
    EventAdmission admission = new EventAdmission(registryWithTwoProductVersions(), new CloudEventHttpReader());
    Rejection.UnknownSchemaVersion r = rejection(admission.admit("retail",
        pinned("/v1/schemas/retail.product.created/versions/3", PRODUCT)), Rejection.UnknownSchemaVersion.class);
    assertEquals(new Rejection.UnknownSchemaVersion("retail.product.created", 3, 2), r);
  }

  @Test
  void aPinOfAnotherTypeOrAnyOtherDataschemaIsRefused() {
    EventAdmission admission = new EventAdmission(registryWithTwoProductVersions(), new CloudEventHttpReader());
    Rejection.UnsupportedDataschema other = rejection(admission.admit("retail",
        pinned("/v1/schemas/retail.photographer.registered/versions/1", PRODUCT)),
        Rejection.UnsupportedDataschema.class);
    assertTrue(other.detail().contains("retail.photographer.registered"), other.detail());
    for (String ds : List.of("https://example.com/schemas/product.json", "urn:schema:1",
        "/v1/schemas/retail.product.created/versions/latest", "/v1/schemas/retail.product.created/versions/0",
        "/v1/schemas/retail.product.created/versions/", "/v1/schemas/retail.product.created",
        "/v1/schemas/retail.product.created/versions/99999999999")) {
      Rejection.UnsupportedDataschema r =
          rejection(admission.admit("retail", pinned(ds, PRODUCT)), Rejection.UnsupportedDataschema.class);
      assertEquals(ds, r.dataschema());
    }
  }

  @Test
  void aTypeWithoutAnySchemaVersionIsRefused() {
    StreamCatalog catalog = StreamCatalog.parse("""
        {"streams":[{"name":"s","topic":"t","types":[{"type":"new.type","partitionKey":"/id"}]}]}
        """, "test");
    EventAdmission custom = new EventAdmission(SchemaRegistry.fromCatalog(catalog), new CloudEventHttpReader());
    Admission a = custom.admit("s", event("new.type", "{\"id\":\"x\"}"));
    assertEquals("new.type", rejection(a, Rejection.NoSchema.class).type());
    assertEquals("new.type", a.typeLabel());
  }

  @Test
  void eachRequestUsesTheStateOfItsMoment() {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(CATALOG);
    EventAdmission admission = new EventAdmission(registry, new CloudEventHttpReader());
    assertEquals(1, admitted(admission.admit("retail", event("retail.product.created", PRODUCT))).schema().version());
    registry.update(s -> s.apply(new RegistryRecord.SchemaRegistered("retail.product.created", 2, PRODUCT_V2)));
    rejection(admission.admit("retail", event("retail.product.created", PRODUCT)), Rejection.SchemaViolation.class);
  }

  @Test
  void aStreamAddedToTheRegistryIsServedAtOnce() {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(CATALOG);
    EventAdmission admission = new EventAdmission(registry, new CloudEventHttpReader());
    rejection(admission.admit("more", event("retail.product.created", PRODUCT)), Rejection.UnknownStream.class);
    assertEquals(EventAdmission.UNKNOWN, admission.streamLabel("more"));
    registry.update(s -> s.apply(new RegistryRecord.StreamPut(new StreamDefinition("more", "more-topic", 1,
        OrderingPolicy.KEY_ORDERED, Map.of("retail.product.created",
            new EventTypeBinding("retail.product.created", "/id", ""))))));
    assertEquals("more-topic", admitted(admission.admit("more", event("retail.product.created", PRODUCT)))
        .stream().topic());
    assertEquals("more", admission.streamLabel("more"));
  }

  // --------------------------------------------------------------------------------------------- partition keys

  private static final StreamCatalog EXTENSION_CATALOG = StreamCatalog.parse("""
      {"streams":[
        {"name":"open","topic":"open","partitionKeyExtension":true,"types":[
          {"type":"retail.product.created","partitionKey":"/id","schema":"retail.product.created.json"}]},
        {"name":"closed","topic":"closed","types":[
          {"type":"retail.product.created","partitionKey":"/id","schema":"retail.product.created.json"}]}]}
      """, "test");

  private static HttpEventRequest withPartitionKey(String key) {
    return HttpEventRequest.of("application/cloudevents+json", Map.of(),
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"retail.product.created\","
            + "\"partitionkey\":\"" + key + "\",\"data\":" + PRODUCT + "}");
  }

  @Test
  void whereTheStreamAllowsItThePartitionKeyExtensionIsTheKey() {
    EventAdmission admission =
        new EventAdmission(SchemaRegistry.fromCatalog(EXTENSION_CATALOG), new CloudEventHttpReader());
    assertEquals("tenant-7", admitted(admission.admit("open", withPartitionKey("tenant-7"))).partitionKey());
    // Without the extension the pointer still gives the key.
    assertEquals("p-1", admitted(admission.admit("open", event("retail.product.created", PRODUCT))).partitionKey());
    // Binary mode: ce-partitionkey.
    HttpEventRequest binary = HttpEventRequest.of("application/json", Map.of("ce-specversion", "1.0", "ce-id", "b",
        "ce-source", "/t", "ce-type", "retail.product.created", "ce-partitionkey", "tenant-8"), PRODUCT);
    assertEquals("tenant-8", admitted(admission.admit("open", binary)).partitionKey());
  }

  @Test
  void anEmptyPartitionKeyExtensionIsAMissingKey() {
    EventAdmission admission =
        new EventAdmission(SchemaRegistry.fromCatalog(EXTENSION_CATALOG), new CloudEventHttpReader());
    assertEquals("/partitionkey",
        rejection(admission.admit("open", withPartitionKey("")), Rejection.MissingPartitionKey.class).pointer());
  }

  @Test
  void whereTheStreamDoesNotAllowItTheExtensionIsRefused() {
    EventAdmission admission =
        new EventAdmission(SchemaRegistry.fromCatalog(EXTENSION_CATALOG), new CloudEventHttpReader());
    Rejection.PartitionKeyExtensionNotAllowed r = rejection(admission.admit("closed", withPartitionKey("tenant-7")),
        Rejection.PartitionKeyExtensionNotAllowed.class);
    assertEquals(new Rejection.PartitionKeyExtensionNotAllowed("closed", "retail.product.created", "/data/id"), r);
  }

  // ----------------------------------------------------------------------------------------------- trace context

  @Test
  void aValidTraceparentGoesToKafkaWithItsTracestate() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    HttpEventRequest r = HttpEventRequest.of("application/json", Map.of("ce-specversion", "1.0", "ce-id", "b",
        "ce-source", "/t", "ce-type", "retail.product.created", "Traceparent", tp, "tracestate", "congo=t61rcWkgMzE"),
        PRODUCT);
    AdmittedEvent ok = admitted(admission.admit("retail", r));
    assertEquals(List.of("sluice-schema-version", "traceparent", "tracestate"), List.copyOf(headers(ok).keySet()));
    assertEquals(tp, headers(ok).get("traceparent"));
    assertEquals("congo=t61rcWkgMzE", headers(ok).get("tracestate"));
  }

  @Test
  void anInvalidTraceparentIsIgnoredNotRefused() {
    HttpEventRequest r = HttpEventRequest.of("application/json", Map.of("ce-specversion", "1.0", "ce-id", "b",
        "ce-source", "/t", "ce-type", "retail.product.created", "traceparent", "00-nope-01", "tracestate", "a=b"),
        PRODUCT);
    assertEquals(Map.of("sluice-schema-version", "1"), headers(admitted(admission.admit("retail", r))));
  }

  // ------------------------------------------------------------------------------------------------- validation

  @Test
  void validationIsTimedWhenItRuns() {
    long[] clock = {1_000};
    EventAdmission timed = new EventAdmission(SchemaRegistry.fromCatalog(CATALOG), new CloudEventHttpReader(),
        () -> clock[0] += 250);
    assertEquals(java.util.OptionalLong.of(250),
        timed.admit("retail", event("retail.product.created", PRODUCT)).validationNanos());
    assertEquals(java.util.OptionalLong.empty(),
        timed.admit("retail", event("retail.order.placed", "{}")).validationNanos());
  }

  // ------------------------------------------------------------------------------------------------------ batches

  private static HttpEventRequest batch(String... events) {
    return HttpEventRequest.of("application/cloudevents-batch+json", Map.of("traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "[" + String.join(",", events) + "]");
  }

  private static String structured(String id, String type, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/t\",\"type\":\"" + type + "\",\"data\":"
        + data + "}";
  }

  @Test
  void everyEventOfABatchGetsItsOwnVerdictInOrder() {
    EventAdmission.BatchAdmission b = admission.admitBatch("retail", batch(
        structured("a", "retail.product.created", PRODUCT),
        structured("b", "retail.product.created", "{\"id\":\"p-2\"}"),
        "17",
        structured("d", "retail.order.placed", "{}"),
        structured("e", "retail.product.photographed",
            "{\"productId\":\"p-9\",\"photographerId\":\"ph-1\",\"imageUrl\":\"https://img.example/1.jpg\"}")));
    assertEquals("retail", b.streamLabel());
    List<EventAdmission.BatchItemAdmission> items =
        ((Outcome.Ok<List<EventAdmission.BatchItemAdmission>>) b.items()).value();
    assertEquals(List.of(0, 1, 2, 3, 4), items.stream().map(EventAdmission.BatchItemAdmission::index).toList());
    assertEquals(java.util.Arrays.asList("a", "b", null, "d", "e"),
        items.stream().map(EventAdmission.BatchItemAdmission::id).toList());
    assertEquals("p-1", admitted(items.get(0).admission()).partitionKey());
    rejection(items.get(1).admission(), Rejection.SchemaViolation.class);
    rejection(items.get(2).admission(), Rejection.NotACloudEvent.class);
    rejection(items.get(3).admission(), Rejection.TypeNotAccepted.class);
    assertEquals(EventAdmission.UNKNOWN, items.get(3).admission().typeLabel());
    AdmittedEvent photo = admitted(items.get(4).admission());
    assertEquals("p-9", photo.partitionKey());
    // The request's trace context goes with every event of the batch.
    assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", headers(photo).get("traceparent"));
  }

  @Test
  void aBatchForAnUnknownStreamOrWithAnUnreadableBodyIsRefusedWhole() {
    EventAdmission.BatchAdmission unknown = admission.admitBatch("nope", batch("1"));
    assertEquals(EventAdmission.UNKNOWN, unknown.streamLabel());
    assertInstanceOf(Rejection.UnknownStream.class, ((Outcome.Rejected<?>) unknown.items()).rejection());
    EventAdmission.BatchAdmission empty = admission.admitBatch("retail", batch());
    assertEquals("retail", empty.streamLabel());
    assertInstanceOf(Rejection.EmptyBatch.class, ((Outcome.Rejected<?>) empty.items()).rejection());
  }

  /** A registry whose stream {@code quant} accepts {@code zz.quant}, whose pattern is the largest of its family allowed. */
  private static EventAdmission quantAdmission() {
    SchemaRegistry registry = SchemaRegistry.fromCatalog(CATALOG);
    registry.update(s -> s.apply(new RegistryRecord.SchemaRegistered("zz.quant", 1, "{\"type\":\"object\","
        + "\"properties\":{\"id\":{\"type\":\"string\"},\"s\":{\"type\":\"string\","
        + "\"pattern\":\"^(a{1,70}){1,70}$\"}}}"))
        .apply(new RegistryRecord.StreamPut(new StreamDefinition("quant", "quant", 1, OrderingPolicy.KEY_ORDERED,
            Map.of("zz.quant", new EventTypeBinding("zz.quant", "/id", ""))))));
    return new EventAdmission(registry, new CloudEventHttpReader());
  }

  private static HttpEventRequest quant(int length) {
    return event("zz.quant", "{\"id\":\"q-1\",\"s\":\"" + "a".repeat(length) + "\"}");
  }

  @Test
  void anEventWhoseValidationWouldCostTooMuchIsRefusedWithTheCostViolation() {
    // 5,001 characters against 9,943 instructions: 49.7 million steps, over the 10 million of one event.
    Admission a = quantAdmission().admit("quant", event("zz.quant",
        "{\"id\":\"q-1\",\"s\":\"" + "a".repeat(5_000) + "!\"}"));
    List<Violation> violations = rejection(a, Rejection.SchemaViolation.class).violations();
    assertEquals(1, violations.size(), violations::toString);
    assertEquals(dev.sluice.schemas.registry.SchemaVersion.COST_KEYWORD, violations.get(0).keyword());
    // Within the ceiling the same value is judged on its merits.
    assertInstanceOf(Outcome.Ok.class, quantAdmission().admit("quant", quant(1_000)).outcome());
  }

  @Test
  void eachEventValidatesThroughTheMeterTheCallerSupplies() {
    dev.sluice.schemas.registry.CostMeter shared = dev.sluice.schemas.registry.CostMeter.withCeiling(1_000_000);
    // 100 characters cost 994,300 steps: the first event fits the shared meter, the second does not.
    Admission first = quantAdmission().admit("quant", quant(100), () -> shared);
    assertInstanceOf(Outcome.Ok.class, first.outcome());
    Admission second = quantAdmission().admit("quant", quant(100), () -> shared);
    assertEquals(dev.sluice.schemas.registry.SchemaVersion.COST_KEYWORD,
        rejection(second, Rejection.SchemaViolation.class).violations().get(0).keyword());
    assertTrue(shared.exhausted());
  }

  // ---- values marked sensitive (the demo marks the photographer's name and email, for the subject at /id)

  private static final String PHOTOGRAPHER = "retail.photographer.registered";

  @Test
  void aPhotographerWithAUsableSubjectIsAdmittedWithItsMarkedValuesLocated() {
    String data = "{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}";
    Admission a = admission.admit("retail", event(PHOTOGRAPHER, data));
    Outcome.Ok<AdmittedEvent> ok = assertInstanceOf(Outcome.Ok.class, a.outcome());
    MarkedData marked = ok.value().marked().orElseThrow();
    assertEquals("ph-1", marked.subject());
    assertEquals(List.of("/email", "/name"), marked.values().stream().map(v -> v.pointer()).toList());
    assertEquals(List.of("\"ann@example.com\"", "\"Ann\""), marked.values().stream().map(v -> v.text(data)).toList());
    assertTrue(ok.value().needsSealing());
    assertFalse(marked.toString().contains("Ann"), marked.toString());
  }

  @Test
  void aTypeThatMarksNothingNeedsNoSealing() {
    Admission a = admission.admit("retail", event("retail.product.created",
        "{\"id\":\"p-1\",\"brand\":\"B\",\"name\":\"N\",\"category\":\"C\",\"price\":9.5}"));
    Outcome.Ok<AdmittedEvent> ok = assertInstanceOf(Outcome.Ok.class, a.outcome());
    assertTrue(ok.value().marked().isEmpty());
    assertFalse(ok.value().needsSealing());
  }

  @Test
  void anUnusableDataSubjectIsRefusedWithoutQuotingIt() {
    String tooLong = "p".repeat(257);
    for (String id : List.of(tooLong, "ph\\u0001x")) {
      Admission a = admission.admit("retail", event(PHOTOGRAPHER,
          "{\"id\":\"" + id + "\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}"));
      Rejection.InvalidDataSubject r = rejection(a, Rejection.InvalidDataSubject.class);
      assertEquals("/data/id", r.pointer());
      assertEquals(List.of("/data/id"), r.violations().stream().map(Violation::pointer).toList());
      assertEquals(422, r.problem().status());
      assertEquals("invalid-data-subject", r.problem().slug());
      assertFalse(r.detail().contains(tooLong), r.detail());
      assertEquals(PHOTOGRAPHER, a.typeLabel());
    }
  }

  @Test
  void schemaViolationsNeverQuoteAMarkedValue() {
    Admission a = admission.admit("retail", event(PHOTOGRAPHER,
        "{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"ann.secret.example\"}"));
    Rejection.SchemaViolation r = rejection(a, Rejection.SchemaViolation.class);
    assertEquals(List.of(new Violation("/data/email", "format", "a sensitive value breaks the schema (format)")),
        r.violations());
  }

  @Test
  void aBodyThatIsNotJsonIsDescribedWithoutTheParsersExcerptWhereTheStreamMarksValues() {
    String broken = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"" + PHOTOGRAPHER
        + "\",\"data\":{\"id\":\"x\",\"email\": annsecret}}";
    Rejection.Malformed marked = rejection(admission.admit("retail",
        HttpEventRequest.of("application/cloudevents+json", Map.of(), broken)), Rejection.Malformed.class);
    assertFalse(marked.detail().contains("annsecret"), marked.detail());
    assertTrue(marked.detail().contains("(line 1, column"), marked.detail());
    assertTrue(marked.violations().stream().noneMatch(v -> v.message().contains("annsecret")), marked::toString);

    var batch = admission.admitBatch("retail", HttpEventRequest.of(CloudEventHttpReader.BATCH_MEDIA_TYPE, Map.of(),
        "[" + broken + "]"));
    Outcome.Rejected<?> whole = assertInstanceOf(Outcome.Rejected.class, batch.items());
    assertFalse(whole.rejection().detail().contains("annsecret"), whole.rejection().detail());

    // A stream whose types mark nothing answers with the parser's own words, as before.
    StreamCatalog catalog = StreamCatalog.parse("""
        {"streams":[{"name":"s","topic":"t","types":[
          {"type":"retail.product.created","partitionKey":"/id","schema":"retail.product.created.json"}]}]}
        """, "test");
    EventAdmission plain = new EventAdmission(SchemaRegistry.fromCatalog(catalog), new CloudEventHttpReader());
    Rejection.Malformed clear = rejection(plain.admit("s",
        HttpEventRequest.of("application/cloudevents+json", Map.of(), broken)), Rejection.Malformed.class);
    assertTrue(clear.detail().contains("annsecret"), clear.detail());
  }
}

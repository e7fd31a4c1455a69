package dev.sluice.gateway.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.ingest.CapturedRequest;
import dev.sluice.ingest.CloudEventHttpReader;
import dev.sluice.ingest.HttpEventRequest;
import dev.sluice.ingest.Outcome;
import dev.sluice.ingest.ReadEvent;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a refused request is kept with, on the shipped catalog, whose photographer type marks name and e-mail. */
@SuppressWarnings("unchecked") // assertInstanceOf on generic records
class SensitiveBodyTest {
  private static final String STRUCTURED = "application/cloudevents+json";
  private static final String PHOTOGRAPHER = "retail.photographer.registered";
  // Whatever the request was refused for, the name and e-mail are marked, so neither may be kept.
  private static final String DATA = "{\"id\":\"ph-1\",\"name\":\"Ann Secret\",\"email\":\"ann@secret.example\"}";

  private final RegistryState state = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()).state();
  private final StreamDefinition retail = state.stream("retail").orElseThrow();

  private static CloudEvent read(String contentType, Map<String, String> headers, String body) {
    Outcome.Ok<CloudEvent> ok = assertInstanceOf(Outcome.Ok.class,
        new CloudEventHttpReader().read(HttpEventRequest.of(contentType, headers, body)));
    return ok.value();
  }

  private static String structured(String type, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\",\"type\":\"" + type
        + "\",\"partitionkey\":\"k\",\"data\":" + data + "}";
  }

  private byte[] kept(Optional<CloudEvent> event, String contentType, String body) {
    return SensitiveBody.kept(state, retail, event, contentType, body.getBytes(StandardCharsets.UTF_8),
        Optional.empty()).body();
  }

  @Test
  void aStructuredEventIsKeptWithItsMarkedValuesWithheldAndReadsBackAsTheSameEvent() {
    String body = structured(PHOTOGRAPHER, DATA);
    CloudEvent event = read(STRUCTURED, Map.of(), body);
    String kept = new String(kept(Optional.of(event), STRUCTURED, body), StandardCharsets.UTF_8);

    assertFalse(kept.contains("Ann Secret"), kept);
    assertFalse(kept.contains("ann@secret.example"), kept);
    Outcome.Ok<ReadEvent> again = assertInstanceOf(Outcome.Ok.class, CapturedRequest.decode(
        List.of(KafkaHeader.of("content-type", STRUCTURED)), kept.getBytes(StandardCharsets.UTF_8)));
    Outcome.Ok<CloudEvent> read = assertInstanceOf(Outcome.Ok.class, again.value().checked());
    assertEquals(event.withData("{\"id\":\"ph-1\",\"name\":\"sluice:withheld\",\"email\":\"sluice:withheld\"}"),
        read.value(),
        "the same attributes (the extension too) and the data with the marked values withheld");
  }

  @Test
  void aBinaryModeBodyIsTheDataWithItsMarkedValuesWithheld() {
    Map<String, String> headers = Map.of("ce-specversion", "1.0", "ce-id", "e-1", "ce-source", "/t",
        "ce-type", PHOTOGRAPHER);
    CloudEvent event = read("application/json", headers, DATA);
    assertEquals("{\"id\":\"ph-1\",\"name\":\"sluice:withheld\",\"email\":\"sluice:withheld\"}",
        new String(kept(Optional.of(event), "application/json", DATA), StandardCharsets.UTF_8));
  }

  @Test
  void aTypeThatMarksNothingIsKeptAsReceived() {
    String body = structured("retail.product.created", "{\"id\":\"p-1\",\"price\":-1}");
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8),
        kept(Optional.of(read(STRUCTURED, Map.of(), body)), STRUCTURED, body));
  }

  @Test
  void whatCannotBeReadOnAStreamThatMarksValuesIsNotKeptAtAll() {
    SensitiveBody.Kept unread = SensitiveBody.kept(state, retail, Optional.empty(), STRUCTURED,
        "{\"data\": {\"email\": ann@secret".getBytes(StandardCharsets.UTF_8), Optional.empty());
    assertEquals(0, unread.body().length, "not read as an event: the marked values cannot be found, so nothing is kept");
    assertEquals(SensitiveBody.Withheld.BODY, unread.withheld());
    String unknownType = structured("retail.order.placed", DATA);
    assertEquals(0, kept(Optional.of(read(STRUCTURED, Map.of(), unknownType)), STRUCTURED, unknownType).length);
  }

  @Test
  void anUnreadableBinaryModeBodyOfATypeThatMarksNothingIsKeptButOfAMarkingTypeIsNot() {
    byte[] body = "{\"id\": \"p-1\", \"price\": }".getBytes(StandardCharsets.UTF_8);
    SensitiveBody.Kept product = SensitiveBody.kept(state, retail, Optional.empty(), "application/json", body,
        Optional.of("retail.product.created"));
    assertArrayEquals(body, product.body());
    assertEquals(SensitiveBody.Withheld.NOTHING, product.withheld());
    SensitiveBody.Kept photographer = SensitiveBody.kept(state, retail, Optional.empty(), "application/json", body,
        Optional.of(PHOTOGRAPHER));
    assertEquals(0, photographer.body().length);
    assertEquals(SensitiveBody.Withheld.BODY, photographer.withheld());
    assertEquals(SensitiveBody.Withheld.BODY, SensitiveBody.kept(state, retail, Optional.empty(), "application/json",
        body, Optional.of("retail.order.placed")).withheld(), "a type the stream does not accept tells nothing");
  }

  @Test
  void aStreamWhoseTypesMarkNothingKeepsEveryBodyAsReceived() {
    StreamCatalog catalog = StreamCatalog.parse("""
        {"streams":[{"name":"s","topic":"t","types":[
          {"type":"retail.product.created","partitionKey":"/id","schema":"retail.product.created.json"}]}]}
        """, "test");
    RegistryState plain = SchemaRegistry.fromCatalog(catalog).state();
    byte[] body = "not json at all".getBytes(StandardCharsets.UTF_8);
    SensitiveBody.Kept kept = SensitiveBody.kept(plain, plain.stream("s").orElseThrow(), Optional.empty(), STRUCTURED,
        body, Optional.empty());
    assertArrayEquals(body, kept.body());
    assertEquals(SensitiveBody.Withheld.NOTHING, kept.withheld());
  }
}

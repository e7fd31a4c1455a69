package dev.sluice.schemas.registry.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.SchemaFingerprint;
import dev.sluice.schemas.registry.log.RegistryRecordCodec.Decoded;
import dev.sluice.schemas.registry.log.RegistryRecordCodec.Encoded;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class RegistryRecordCodecTest {
  private static final String SCHEMA = "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}}";

  private static RegistryRecord roundTrip(RegistryRecord r) {
    Encoded e = RegistryRecordCodec.encode(r, "w1");
    return assertInstanceOf(Decoded.Record.class, RegistryRecordCodec.decode(e.key(), e.value())).record();
  }

  @Test
  void schemaRecordsRoundTripWithTheirTextVerbatim() {
    var r = new RegistryRecord.SchemaRegistered("retail.product.created", 3, SCHEMA);
    assertEquals(r, roundTrip(r));
  }

  @Test
  void schemaKeysNameTypeVersionFingerprintAndTheWrite() {
    var r = new RegistryRecord.SchemaRegistered("retail.product.created", 3, SCHEMA);
    assertEquals("schema/retail.product.created/3/" + SchemaFingerprint.of(SCHEMA) + "/w1",
        RegistryRecordCodec.encode(r, "w1").key());
    // Two writes of the same schema for the same number must both survive compaction.
    String other = RegistryRecordCodec.encode(r, "w2").key();
    assertTrue(!other.equals(RegistryRecordCodec.encode(r, "w1").key()));
  }

  @Test
  void schemaKeysWithoutWriteIdAreRead() {
    var r = new RegistryRecord.SchemaRegistered("t", 1, SCHEMA);
    Encoded e = RegistryRecordCodec.encode(r, "w");
    assertEquals(r, assertInstanceOf(Decoded.Record.class,
        RegistryRecordCodec.decode("schema/t/1/" + SchemaFingerprint.of(SCHEMA), e.value())).record());
  }

  @Test
  void compatibilityRecordsRoundTripUnderOneKeyPerType() {
    var r = new RegistryRecord.CompatibilitySet("t", Compatibility.FULL_TRANSITIVE);
    assertEquals("compatibility/t", RegistryRecordCodec.encode(r, "w").key());
    assertEquals(r, roundTrip(r));
  }

  @Test
  void streamRecordsRoundTripUnderOneKeyPerStream() {
    var stream = new StreamDefinition("orders", "orders-v1", 6, OrderingPolicy.UNORDERED,
        Map.of("a", new EventTypeBinding("a", "/id", ""), "b", new EventTypeBinding("b", "/x~1y", "b.json")), true);
    var r = new RegistryRecord.StreamPut(stream);
    assertEquals("stream/orders", RegistryRecordCodec.encode(r, "w").key());
    assertEquals(r, roundTrip(r));
  }

  @Test
  void garbledAndForeignRecordsAreSkippedNotThrown() {
    String fp = SchemaFingerprint.of(SCHEMA);
    String good = RegistryRecordCodec.encode(new RegistryRecord.SchemaRegistered("t", 1, SCHEMA), "w").value();
    assertSkipped(null, "{}");
    assertSkipped("schema/t/1/" + fp, null);
    assertSkipped("x", "not json");
    assertSkipped("x", "[1,2]");
    assertSkipped("x", "{} {}");
    assertSkipped("x", "{\"kind\":\"deleted-subject\",\"type\":\"t\"}");
    assertSkipped("schema/t/1/" + fp, "{\"kind\":\"schema\",\"type\":\"t\"}");
    assertSkipped("schema/t/1/" + fp, "{\"kind\":\"schema\",\"type\":\"t\",\"version\":\"one\",\"schema\":\"{}\"}");
    assertSkipped("schema/t/1/" + fp, new JSONObject(good).put("schema", "{not json").toString());
    assertSkipped("schema/t/1/" + fp, new JSONObject(good).put("fingerprint", "0000").toString());
    assertSkipped("schema/t/1/" + fp, new JSONObject(good).put("version", 0).toString());
    // The key must match the value, or compaction would keep the wrong records.
    assertSkipped("schema/t/2/" + fp, good);
    assertSkipped("schema/u/1/" + fp + "/w", good);
    assertSkipped("compatibility/u", "{\"kind\":\"compatibility\",\"type\":\"t\",\"compatibility\":\"FULL\"}");
    assertSkipped("compatibility/t", "{\"kind\":\"compatibility\",\"type\":\"t\",\"compatibility\":\"SOMETIMES\"}");
    assertSkipped("stream/s", "{\"kind\":\"stream\",\"stream\":{\"name\":\"s\"}}");
    assertSkipped("stream/s", "{\"kind\":\"stream\",\"stream\":{\"name\":\"s\",\"partitions\":0,\"types\":[]}}");
    assertSkipped("stream/other", "{\"kind\":\"stream\",\"stream\":{\"name\":\"s\",\"types\":[]}}");
    assertSkipped("x", "[".repeat(100_000));
  }

  private static void assertSkipped(String key, String value) {
    Decoded d = RegistryRecordCodec.decode(key, value);
    Decoded.Skip skip = assertInstanceOf(Decoded.Skip.class, d, () -> key + " / " + value);
    assertTrue(!skip.reason().isBlank());
  }
}

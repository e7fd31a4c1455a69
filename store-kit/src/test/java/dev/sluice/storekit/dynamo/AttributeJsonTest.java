package dev.sluice.storekit.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttributeJsonTest {
  @Test
  void everyAttributeTypeComesBackAsItWas() {
    Map<String, AttributeValue> item = Map.of(
        "s", AttributeValue.fromS("päyload \u0000 \"quoted\""),
        "n", AttributeValue.fromN("12345678901234567890"),
        "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 7, 'x'})),
        "bool", AttributeValue.fromBool(false),
        "null", AttributeValue.fromNul(true),
        "l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromM(Map.of(
            "k", AttributeValue.fromS("h"), "v", AttributeValue.fromB(SdkBytes.fromUtf8String("v")))))),
        "ss", AttributeValue.fromSs(List.of("x", "y")),
        "ns", AttributeValue.fromNs(List.of("1", "2.5")),
        "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("one"))));
    assertEquals(item, AttributeJson.decode(AttributeJson.encode(item)));
  }

  @Test
  void anItemWrittenStraightToJsonReadsAsTheSameItemsAttributeMap() {
    java.util.function.Consumer<AttributeWriter> write = w -> w.s("s", "päyload \u0000 \"quoted\"")
        .n("n", -42)
        .b("b", new byte[] {0, -1, 7, 'x'})
        .bool("bool", true)
        .maps("l", List.of("a", "b"), (e, m) -> m.s("k", e).n("i", e.length()))
        .maps("empty", List.<String>of(), (e, m) -> m.s("k", e));
    Map<String, AttributeValue> built = AttributeMaps.of(write);
    assertEquals(Map.of(
        "s", AttributeValue.fromS("päyload \u0000 \"quoted\""),
        "n", AttributeValue.fromN("-42"),
        "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 7, 'x'})),
        "bool", AttributeValue.fromBool(true),
        "l", AttributeValue.fromL(List.of(
            AttributeValue.fromM(Map.of("k", AttributeValue.fromS("a"), "i", AttributeValue.fromN("1"))),
            AttributeValue.fromM(Map.of("k", AttributeValue.fromS("b"), "i", AttributeValue.fromN("1"))))),
        "empty", AttributeValue.fromL(List.of())), built);
    assertEquals(built, AttributeJson.decode(AttributeJson.encode(write)));
  }

  @Test
  void anAttributeWithTwoTypesOrAnUnknownOneIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> AttributeJson.decode("{\"a\":{\"S\":\"x\",\"N\":\"1\"}}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> AttributeJson.decode("{\"a\":{\"Q\":\"x\"}}".getBytes(StandardCharsets.UTF_8)));
  }
}

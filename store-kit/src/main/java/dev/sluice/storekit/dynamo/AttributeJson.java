package dev.sluice.storekit.dynamo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB item as bytes and back, losslessly: DynamoDB's own JSON shape ({@code {"S": "..."}}, {@code {"N":
 * "..."}}, {@code {"B": "<base64>"}}, {@code BOOL}, {@code NULL}, {@code L}, {@code M}, {@code SS}, {@code NS},
 * {@code BS}), so an item can travel through Kafka and be written as it was made.
 */
public final class AttributeJson {
  private AttributeJson() {}

  public static byte[] encode(Map<String, AttributeValue> item) {
    return toJson(item).encode().getBytes(StandardCharsets.UTF_8);
  }

  public static Map<String, AttributeValue> decode(byte[] bytes) {
    return itemOf(new JsonObject(new String(bytes, StandardCharsets.UTF_8)));
  }

  private static JsonObject toJson(Map<String, AttributeValue> item) {
    JsonObject out = new JsonObject();
    item.forEach((name, value) -> out.put(name, toJson(value)));
    return out;
  }

  private static JsonObject toJson(AttributeValue v) {
    return switch (v.type()) {
      case S -> new JsonObject().put("S", v.s());
      case N -> new JsonObject().put("N", v.n());
      case B -> new JsonObject().put("B", base64(v.b()));
      case BOOL -> new JsonObject().put("BOOL", v.bool());
      case NUL -> new JsonObject().put("NULL", true);
      case L -> new JsonObject().put("L", new JsonArray(v.l().stream().map(AttributeJson::toJson).toList()));
      case M -> new JsonObject().put("M", toJson(v.m()));
      case SS -> new JsonObject().put("SS", new JsonArray(List.copyOf(v.ss())));
      case NS -> new JsonObject().put("NS", new JsonArray(List.copyOf(v.ns())));
      case BS -> new JsonObject().put("BS", new JsonArray(v.bs().stream().map(AttributeJson::base64).toList()));
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute of a type this SDK lacks");
    };
  }

  private static Map<String, AttributeValue> itemOf(JsonObject json) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (String name : json.fieldNames()) {
      out.put(name, attributeOf(json.getJsonObject(name)));
    }
    return out;
  }

  private static AttributeValue attributeOf(JsonObject v) {
    if (v.size() != 1) {
      throw new IllegalArgumentException("an attribute has exactly one type, not " + v.fieldNames());
    }
    String type = v.fieldNames().iterator().next();
    return switch (type) {
      case "S" -> AttributeValue.fromS(v.getString("S"));
      case "N" -> AttributeValue.fromN(v.getString("N"));
      case "B" -> AttributeValue.fromB(bytes(v.getString("B")));
      case "BOOL" -> AttributeValue.fromBool(v.getBoolean("BOOL"));
      case "NULL" -> AttributeValue.fromNul(true);
      case "L" -> {
        List<AttributeValue> list = new ArrayList<>();
        v.getJsonArray("L").forEach(e -> list.add(attributeOf((JsonObject) e)));
        yield AttributeValue.fromL(list);
      }
      case "M" -> AttributeValue.fromM(itemOf(v.getJsonObject("M")));
      case "SS" -> AttributeValue.fromSs(strings(v.getJsonArray("SS")));
      case "NS" -> AttributeValue.fromNs(strings(v.getJsonArray("NS")));
      case "BS" -> AttributeValue.fromBs(strings(v.getJsonArray("BS")).stream().map(AttributeJson::bytes).toList());
      default -> throw new IllegalArgumentException("unknown attribute type " + type);
    };
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>(array.size());
    array.forEach(e -> out.add((String) e));
    return out;
  }

  private static String base64(SdkBytes b) {
    return Base64.getEncoder().encodeToString(b.asByteArrayUnsafe());
  }

  private static SdkBytes bytes(String base64) {
    return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
  }
}

package dev.sluice.storekit.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB item as bytes and back, losslessly: DynamoDB's own JSON shape ({@code {"S": "..."}}, {@code {"N":
 * "..."}}, {@code {"B": "<base64>"}}, {@code BOOL}, {@code NULL}, {@code L}, {@code M}, {@code SS}, {@code NS},
 * {@code BS}), so an item can travel through Kafka and be written as it was made. Written and read with Jackson's
 * streaming API, without a tree in between: encoding items was a tenth of a poison storm's CPU with one.
 */
public final class AttributeJson {
  private static final JsonFactory JSON = new JsonFactory();

  private AttributeJson() {}

  public static byte[] encode(Map<String, AttributeValue> item) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeItem(g, item);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding an item", e);
    }
    return out.toByteArray();
  }

  /**
   * The item {@code write} writes, as the same JSON {@link #encode(Map)} makes of its attribute map, written straight
   * from the values: no {@code AttributeValue} is built.
   */
  public static byte[] encode(Consumer<AttributeWriter> write) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      write.accept(new Writer(g));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding an item", e);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("encoding an item", e.getCause());
    }
    return out.toByteArray();
  }

  /** Writes each attribute as {@code "name": {"<type>": value}} into an object already started. */
  private static final class Writer implements AttributeWriter {
    private final JsonGenerator g;

    Writer(JsonGenerator g) {
      this.g = g;
    }

    @Override
    public AttributeWriter s(String name, String value) {
      return typed(name, "S", () -> g.writeString(value));
    }

    @Override
    public AttributeWriter n(String name, long value) {
      return typed(name, "N", () -> g.writeString(Long.toString(value)));
    }

    @Override
    public AttributeWriter b(String name, byte[] value) {
      return typed(name, "B", () -> g.writeBinary(value));
    }

    @Override
    public AttributeWriter bool(String name, boolean value) {
      return typed(name, "BOOL", () -> g.writeBoolean(value));
    }

    @Override
    public <T> AttributeWriter maps(String name, List<T> elements, BiConsumer<T, AttributeWriter> element) {
      return typed(name, "L", () -> {
        g.writeStartArray();
        for (T e : elements) {
          g.writeStartObject();
          g.writeFieldName("M");
          g.writeStartObject();
          element.accept(e, this);
          g.writeEndObject();
          g.writeEndObject();
        }
        g.writeEndArray();
      });
    }

    private AttributeWriter typed(String name, String type, IoStep value) {
      try {
        g.writeFieldName(name);
        g.writeStartObject();
        g.writeFieldName(type);
        value.run();
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  /** One step of writing that may fail as the generator does. */
  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }

  public static Map<String, AttributeValue> decode(byte[] bytes) {
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      Map<String, AttributeValue> item = readItem(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("more after the item");
      }
      return item;
    } catch (IOException e) {
      throw new IllegalArgumentException("not an item: " + e.getMessage(), e);
    }
  }

  private static void writeItem(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      g.writeFieldName(e.getKey());
      write(g, e.getValue());
    }
    g.writeEndObject();
  }

  private static void write(JsonGenerator g, AttributeValue v) throws IOException {
    g.writeStartObject();
    switch (v.type()) {
      case S -> g.writeStringField("S", v.s());
      case N -> g.writeStringField("N", v.n());
      case B -> {
        g.writeFieldName("B");
        g.writeBinary(v.b().asByteArrayUnsafe());
      }
      case BOOL -> g.writeBooleanField("BOOL", v.bool());
      case NUL -> g.writeBooleanField("NULL", true);
      case L -> {
        g.writeArrayFieldStart("L");
        for (AttributeValue e : v.l()) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case M -> {
        g.writeFieldName("M");
        writeItem(g, v.m());
      }
      case SS -> writeStrings(g, "SS", v.ss());
      case NS -> writeStrings(g, "NS", v.ns());
      case BS -> {
        g.writeArrayFieldStart("BS");
        for (SdkBytes b : v.bs()) {
          g.writeBinary(b.asByteArrayUnsafe());
        }
        g.writeEndArray();
      }
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute of a type this SDK lacks");
    }
    g.writeEndObject();
  }

  private static void writeStrings(JsonGenerator g, String type, List<String> values) throws IOException {
    g.writeArrayFieldStart(type);
    for (String s : values) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  /** The fields of an object whose START_OBJECT was read, up to its END_OBJECT. */
  private static Map<String, AttributeValue> readItem(JsonParser p) throws IOException {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      expect(p.nextToken(), JsonToken.START_OBJECT);
      item.put(name, read(p));
    }
    expect(p.currentToken(), JsonToken.END_OBJECT);
    return item;
  }

  /** One attribute, whose START_OBJECT was read, up to its END_OBJECT. */
  private static AttributeValue read(JsonParser p) throws IOException {
    expect(p.nextToken(), JsonToken.FIELD_NAME);
    String type = p.currentName();
    JsonToken value = p.nextToken();
    AttributeValue v = switch (type) {
      case "S" -> AttributeValue.fromS(text(p, value));
      case "N" -> AttributeValue.fromN(text(p, value));
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(binary(p, value)));
      case "BOOL" -> AttributeValue.fromBool(bool(value));
      case "NULL" -> {
        bool(value);
        yield AttributeValue.fromNul(true);
      }
      case "L" -> {
        expect(value, JsonToken.START_ARRAY);
        List<AttributeValue> list = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
          list.add(read(p));
        }
        expect(p.currentToken(), JsonToken.END_ARRAY);
        yield AttributeValue.fromL(list);
      }
      case "M" -> {
        expect(value, JsonToken.START_OBJECT);
        yield AttributeValue.fromM(readItem(p));
      }
      case "SS" -> AttributeValue.fromSs(strings(p, value));
      case "NS" -> AttributeValue.fromNs(strings(p, value));
      case "BS" -> {
        expect(value, JsonToken.START_ARRAY);
        List<SdkBytes> list = new ArrayList<>();
        while (p.nextToken() == JsonToken.VALUE_STRING) {
          list.add(SdkBytes.fromByteArrayUnsafe(p.getBinaryValue()));
        }
        expect(p.currentToken(), JsonToken.END_ARRAY);
        yield AttributeValue.fromBs(list);
      }
      default -> throw new IllegalArgumentException("unknown attribute type " + type);
    };
    if (p.nextToken() != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("an attribute has exactly one type, not more than " + type);
    }
    return v;
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_STRING);
    return p.getText();
  }

  private static byte[] binary(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.VALUE_STRING);
    return p.getBinaryValue();
  }

  private static boolean bool(JsonToken value) {
    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
      throw new IllegalArgumentException("expected true or false, found " + value);
    }
    return value == JsonToken.VALUE_TRUE;
  }

  private static List<String> strings(JsonParser p, JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY);
    List<String> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.VALUE_STRING) {
      out.add(p.getText());
    }
    expect(p.currentToken(), JsonToken.END_ARRAY);
    return out;
  }

  private static void expect(JsonToken found, JsonToken wanted) {
    if (found != wanted) {
      throw new IllegalArgumentException("expected " + wanted + ", found " + found);
    }
  }
}

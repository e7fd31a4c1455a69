package dev.sluice.storekit.dynamo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An {@link AttributeWriter} that builds the SDK's attribute map of an item, for a DynamoDB request. */
public final class AttributeMaps implements AttributeWriter {
  private final Map<String, AttributeValue> item = new HashMap<>();

  private AttributeMaps() {}

  /** The attribute map of the item {@code write} writes. */
  public static Map<String, AttributeValue> of(Consumer<AttributeWriter> write) {
    AttributeMaps maps = new AttributeMaps();
    write.accept(maps);
    return maps.item;
  }

  @Override
  public AttributeWriter s(String name, String value) {
    item.put(name, AttributeValue.fromS(value));
    return this;
  }

  @Override
  public AttributeWriter n(String name, long value) {
    item.put(name, AttributeValue.fromN(Long.toString(value)));
    return this;
  }

  @Override
  public AttributeWriter b(String name, byte[] value) {
    item.put(name, AttributeValue.fromB(SdkBytes.fromByteArray(value)));
    return this;
  }

  @Override
  public AttributeWriter bool(String name, boolean value) {
    item.put(name, AttributeValue.fromBool(value));
    return this;
  }

  @Override
  public <T> AttributeWriter maps(String name, List<T> elements, BiConsumer<T, AttributeWriter> element) {
    List<AttributeValue> list = new ArrayList<>(elements.size());
    for (T e : elements) {
      list.add(AttributeValue.fromM(of(w -> element.accept(e, w))));
    }
    item.put(name, AttributeValue.fromL(list));
    return this;
  }
}

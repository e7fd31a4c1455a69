package dev.sluice.storekit.dynamo;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Where the attributes of a DynamoDB item are written, one by one, so that an item's mapping is written once and
 * serves both forms: SDK {@code AttributeValue}s for a request ({@link AttributeMaps}), or DynamoDB's JSON straight
 * from the values ({@link AttributeJson#encode(java.util.function.Consumer)}), without building an
 * {@code AttributeValue} per field (each costs a builder and an {@code EnumSet}). Every method returns this writer.
 */
public interface AttributeWriter {
  /** A string attribute ({@code S}). */
  AttributeWriter s(String name, String value);

  /** A number attribute ({@code N}). */
  AttributeWriter n(String name, long value);

  /** A binary attribute ({@code B}), as the bytes are now. */
  AttributeWriter b(String name, byte[] value);

  /** A boolean attribute ({@code BOOL}). */
  AttributeWriter bool(String name, boolean value);

  /** A list attribute ({@code L}) of maps ({@code M}): {@code element} writes each element's fields into its map. */
  <T> AttributeWriter maps(String name, List<T> elements, BiConsumer<T, AttributeWriter> element);
}

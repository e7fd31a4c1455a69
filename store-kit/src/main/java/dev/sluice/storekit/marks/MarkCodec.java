package dev.sluice.storekit.marks;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a mark's value is written into, and read back from, its DynamoDB item. The attribute names are part of what is
 * stored: existing items are read back only while they stay the same.
 */
public interface MarkCodec<V> {
  /** The attributes that carry {@code value}; never the key or expiry attributes of the {@link MarkLayout}. */
  Map<String, AttributeValue> toItem(V value);

  /** The value of an item this codec wrote. */
  V fromItem(Map<String, AttributeValue> item);

  /** For marks that carry nothing: no attributes, and every mark reads back as {@link Seen#SEEN}. */
  MarkCodec<Seen> SEEN_ONLY = new MarkCodec<>() {
    @Override
    public Map<String, AttributeValue> toItem(Seen value) {
      return Map.of();
    }

    @Override
    public Seen fromItem(Map<String, AttributeValue> item) {
      return Seen.SEEN;
    }
  };
}

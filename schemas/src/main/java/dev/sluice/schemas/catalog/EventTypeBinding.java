package dev.sluice.schemas.catalog;

import java.util.Objects;

/**
 * An event type a stream accepts.
 *
 * @param type the CloudEvents {@code type}
 * @param partitionKeyPointer JSON pointer into the event's {@code data} whose value is the Kafka record key
 * @param schemaResource the bootstrap schema's file name under {@code sluice/schemas/}; empty for a type whose schemas
 *     are only registered over the registry API
 */
public record EventTypeBinding(String type, String partitionKeyPointer, String schemaResource) {
  public EventTypeBinding {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(partitionKeyPointer, "partitionKeyPointer");
    Objects.requireNonNull(schemaResource, "schemaResource");
    if (!partitionKeyPointer.startsWith("/")) {
      throw new IllegalArgumentException("partition key of " + type + " must be a JSON pointer starting with '/'");
    }
  }

  /** The partition-key pointer as seen from the root of the whole event, e.g. {@code /data/id}. */
  public String eventPointer() {
    return "/data" + partitionKeyPointer;
  }
}

package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler receives: a CloudEvent whose data already passed its type's schema, and where it came from.
 *
 * <p>Its data is as the group may see it ({@link EventUnsealer}): values its schema marks sensitive are in the clear
 * for a group granted the keys ({@code "sluice:erased"} for a forgotten data subject), {@code "sluice:withheld"} for
 * any other group. The handler is the only one to see it so: anything the wrapper stores keeps the record as it is in
 * Kafka, sealed.
 *
 * <p>A retried or redriven event keeps its original CloudEvent id (and every other attribute): a handler that is not
 * naturally idempotent can dedup by {@code event().id()}. {@link #redriveGeneration()} tells deliveries apart: 0 for the
 * first delivery, then one more for each delayed retry and each redrive; it is also in {@link #headers()} as
 * {@value #REDRIVE_GENERATION_HEADER}.
 *
 * <p>{@link #replay()} says the event is being replayed: the group's replay of the stream's history runs, and the
 * event was already in the log when it started (see docs/replay.md). A handler may skip side effects (e-mails) for
 * such events; nothing else differs. A replay of a slice hands over only the history inside it: the rest never
 * arrives.
 *
 * @param redriven true when an operator redrove the event from the quarantine
 * @param delivery where this delivery came from
 * @param redriveGeneration 0 for the first delivery, then one more per delivery from the store
 * @param headers the record's headers as read from Kafka, plus {@value #REDRIVE_GENERATION_HEADER} for a delivery
 *     from the store
 * @param replay true while the group's replay runs and the event's offset is below its partition's end offset
 *     captured when the replay started; decided by the same rule for a delivery from the store, when it is delivered
 */
public record ConsumedEvent(
    CloudEvent event, String stream, String group, String topic, int partition, long offset, Optional<String> key,
    boolean redriven, Delivery delivery, int redriveGeneration, List<KafkaHeader> headers, boolean replay) {

  /** The header naming a delivery's generation (absent on the first delivery from Kafka). */
  public static final String REDRIVE_GENERATION_HEADER = "sluice-redrive-generation";

  /** Where a delivery came from. */
  public enum Delivery {
    /** Read from the topic. */
    KAFKA,
    /** Held back behind an earlier event with the same key, and released once that one settled. */
    RELEASED,
    /** A delayed retry from the group's retry queue. */
    RETRY,
    /** Redriven by an operator. */
    REDRIVE
  }

  public ConsumedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(delivery, "delivery");
    headers = List.copyOf(headers);
  }

  /** A first delivery of a live event, as read from Kafka (or, if {@code redriven}, as redriven). */
  public ConsumedEvent(
      CloudEvent event, String stream, String group, String topic, int partition, long offset, Optional<String> key,
      boolean redriven) {
    this(event, stream, group, topic, partition, offset, key, redriven,
        redriven ? Delivery.REDRIVE : Delivery.KAFKA, 0, List.of(), false);
  }

  /**
   * Delivery {@code generation} of a stored item (released from behind its key's head, retried, redriven), as judged
   * again and unsealed ({@code open}): the record's coordinates and headers are the item's; its replay flag is what
   * {@code replays} says of those coordinates now.
   */
  static ConsumedEvent fromStore(EventUnsealer.Open open, QuarantineItem item, Delivery delivery, int generation,
      ReplayFlags replays) {
    return fromStore(open, item, item.headers(), delivery, generation, replays);
  }

  /** As the other, with the record's headers read back from Kafka, for an item that did not keep them. */
  static ConsumedEvent fromStore(EventUnsealer.Open open, QuarantineItem item, List<KafkaHeader> headers,
      Delivery delivery, int generation, ReplayFlags replays) {
    return new ConsumedEvent(open.event(), open.stream(), item.group(), item.topic(), item.partition(),
        item.offset(), item.key(), delivery == Delivery.REDRIVE, delivery, generation,
        withGeneration(headers, generation), replays.flags(item.topic(), item.partition(), item.offset()));
  }

  /** The record's headers with the generation header set (replacing any copy of it), when the generation is above 0. */
  static List<KafkaHeader> withGeneration(List<KafkaHeader> headers, int generation) {
    List<KafkaHeader> out = new ArrayList<>(headers.size() + 1);
    for (KafkaHeader h : headers) {
      if (!REDRIVE_GENERATION_HEADER.equals(h.key())) {
        out.add(h);
      }
    }
    if (generation > 0) {
      out.add(KafkaHeader.of(REDRIVE_GENERATION_HEADER, Integer.toString(generation)));
    }
    return out;
  }

  /** The event's data as a JSON object (every schema in the catalog describes an object). */
  public JsonObject data() {
    return new JsonObject(event.data());
  }

  public String type() {
    return event.type();
  }
}

package dev.sluice.quarantine.storm;

import dev.sluice.quarantine.find.Fingerprint;
import dev.sluice.quarantine.store.QuarantineReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A storm as an item of the storms table (hash key {@code group}, range key {@code id}), and back. The trip's
 * attributes are written as one {@code SET} by each trip ({@link #tripValues}), so a storm tripped again keeps its
 * count of trips and its version grows.
 */
final class StormCodec {
  static final String GROUP = "group";
  static final String ID = "id";
  static final String STATE = "state";
  static final String VERSION = "version";
  static final String TRIPS = "trips";
  static final String CHANGED_AT = "changedAt";
  static final String CHANGED_BY = "changedBy";
  static final String SAMPLE_ITEM_ID = "sampleItemId";

  private StormCodec() {}

  static Map<String, AttributeValue> key(String group, String id) {
    return Map.of(GROUP, s(group), ID, s(id));
  }

  /**
   * The attributes a trip sets, by name, except the key, the version and the count of trips (which the write adds
   * to) and the sample item (set only when there is one).
   */
  static Map<String, AttributeValue> tripValues(Storm storm) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("topic", s(storm.where().topic()));
    m.put("partition", n(storm.where().partition()));
    m.put("stream", s(storm.where().stream()));
    m.put("fingerprint", s(storm.fingerprint().id()));
    m.put("eventType", s(storm.fingerprint().type()));
    m.put("reason", s(storm.fingerprint().reason().name()));
    m.put("locus", s(storm.fingerprint().locus()));
    m.put("trippedAt", n(storm.trip().at().toEpochMilli()));
    m.put("trippedBy", s(storm.trip().by()));
    m.put("failures", n(storm.trip().failures()));
    m.put("records", n(storm.trip().records()));
    m.put("firstHeldOffset", n(storm.trip().firstHeldOffset()));
    m.put(STATE, s(StormState.TRIPPED.name()));
    m.put(CHANGED_AT, n(storm.trip().at().toEpochMilli()));
    m.put(CHANGED_BY, s(storm.trip().by()));
    return m;
  }

  static Storm fromItem(Map<String, AttributeValue> m) {
    Fingerprint fp = new Fingerprint(m.get("eventType").s(), QuarantineReason.valueOf(m.get("reason").s()),
        m.get("locus").s(), m.get("fingerprint").s());
    return new Storm(
        new Storm.Where(m.get(GROUP).s(), m.get("topic").s(), (int) num(m, "partition"), m.get("stream").s()),
        fp,
        new Storm.Trip(millis(m, "trippedAt"), m.get("trippedBy").s(), (int) num(m, "failures"),
            (int) num(m, "records"), num(m, "firstHeldOffset"),
            Optional.ofNullable(m.get(SAMPLE_ITEM_ID)).map(AttributeValue::s)),
        new Storm.Status(StormState.valueOf(m.get(STATE).s()), num(m, VERSION), (int) num(m, TRIPS),
            millis(m, CHANGED_AT), m.get(CHANGED_BY).s()));
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static long num(Map<String, AttributeValue> m, String name) {
    return Long.parseLong(m.get(name).n());
  }

  private static Instant millis(Map<String, AttributeValue> m, String name) {
    return Instant.ofEpochMilli(num(m, name));
  }
}

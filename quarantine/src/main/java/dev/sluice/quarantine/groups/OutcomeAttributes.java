package dev.sluice.quarantine.groups;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An instance's per-stream outcomes as an attribute of its group registry item: {@code outcomes}, a map of stream to
 * a map of {@code handled}, {@code quarantined} and {@code windowSeconds} (numbers). Absent when the heartbeat reported
 * none (its first), so an empty map is never stored.
 *
 * <p>Reading is lenient: an item without the attribute (an instance older than it) reads as no outcomes, "not
 * reported"; an entry that is not a valid window (a foreign writer) is left out, and at most
 * {@link GroupHeartbeat#MAX_STREAMS} are read, rather than failing the whole listing for one item.
 */
final class OutcomeAttributes {
  static final String OUTCOMES = "outcomes";
  private static final String HANDLED = "handled";
  private static final String QUARANTINED = "quarantined";
  private static final String WINDOW_SECONDS = "windowSeconds";

  private OutcomeAttributes() {}

  /** Adds the outcomes to {@code item}; nothing when there are none. */
  static void put(SortedMap<String, StreamOutcomes> outcomes, Map<String, AttributeValue> item) {
    if (outcomes.isEmpty()) {
      return;
    }
    Map<String, AttributeValue> byStream = new TreeMap<>();
    outcomes.forEach((stream, o) -> byStream.put(stream, AttributeValue.fromM(Map.of(
        HANDLED, AttributeValue.fromN(Long.toString(o.handled())),
        QUARANTINED, AttributeValue.fromN(Long.toString(o.quarantined())),
        WINDOW_SECONDS, AttributeValue.fromN(Double.toString(o.windowSeconds()))))));
    item.put(OUTCOMES, AttributeValue.fromM(byStream));
  }

  /** The outcomes an item holds; empty for an item without them. */
  static SortedMap<String, StreamOutcomes> read(Map<String, AttributeValue> item) {
    TreeMap<String, StreamOutcomes> out = new TreeMap<>();
    AttributeValue v = item.get(OUTCOMES);
    if (v == null || !v.hasM()) {
      return out;
    }
    for (var e : v.m().entrySet()) {
      if (out.size() >= GroupHeartbeat.MAX_STREAMS) {
        break;
      }
      String stream = e.getKey();
      if (stream.isBlank() || stream.length() > GroupHeartbeat.MAX_NAME_LENGTH || !e.getValue().hasM()) {
        continue;
      }
      Map<String, AttributeValue> m = e.getValue().m();
      try {
        out.put(stream, new StreamOutcomes(Long.parseLong(number(m, HANDLED)), Long.parseLong(number(m, QUARANTINED)),
            Double.parseDouble(number(m, WINDOW_SECONDS))));
      } catch (IllegalArgumentException invalid) {
        // Not a number (NumberFormatException), or not a valid window: this entry is left out.
      }
    }
    return out;
  }

  private static String number(Map<String, AttributeValue> m, String name) {
    AttributeValue n = m.get(name);
    // A missing number reads as "", which no parse accepts.
    return n == null || n.n() == null ? "" : n.n();
  }
}

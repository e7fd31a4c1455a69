package dev.sluice.storekit.producers;

import dev.sluice.storekit.dynamo.AttributeMaps;
import dev.sluice.storekit.dynamo.TtlTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The producers table's layout: one item per (stream, API key name, gateway instance), the instance's latest
 * {@link ProducerReport}. Pure, apart from {@link #ensure}.
 *
 * <p>Why here, in store-kit: the gateway writes these items and the console reads them, and the layout must be one
 * code, not two copies that drift. Both modules depend on store-kit (which already holds the other layouts they share
 * and the DynamoDB helpers); ingest has no DynamoDB, and neither quarantine nor the console is on the gateway's side.
 *
 * <p>Attributes: hash key {@value #STREAM}, range key {@value #PRODUCER} ({@code <keyName>#<instance>}, so one query
 * by stream finds every key's reports); {@value #KEY_NAME}, {@value #INSTANCE}, {@value #WINDOW_EVENTS},
 * {@value #WINDOW_MILLIS}, {@value #INTERVAL_MILLIS}, {@value #TOTAL_EVENTS}, {@value #LAST_SEEN} and
 * {@value #REPORTED_AT} (epoch millis), and {@value #EXPIRES_AT} (epoch seconds, the table's TTL attribute). The names
 * are stored: items already in a table read back only while they stay the same.
 */
public final class ProducerTable {
  static final String STREAM = "stream";
  static final String PRODUCER = "producer";
  static final String KEY_NAME = "keyName";
  static final String INSTANCE = "instance";
  static final String WINDOW_EVENTS = "windowEvents";
  static final String WINDOW_MILLIS = "windowMillis";
  static final String INTERVAL_MILLIS = "intervalMillis";
  static final String TOTAL_EVENTS = "totalEvents";
  static final String LAST_SEEN = "lastSeen";
  static final String REPORTED_AT = "reportedAt";
  static final String EXPIRES_AT = "expiresAt";
  /** Between the key name and the instance in {@value #PRODUCER}; API key names cannot contain it. */
  static final char SEPARATOR = '#';

  private ProducerTable() {}

  /**
   * The item of {@code report}, kept for {@code retention} after it was made: DynamoDB's TTL deletes it some time
   * after that (readers ignore it from then on), unless a later report of the same instance replaced it first.
   */
  public static Map<String, AttributeValue> item(ProducerReport report, Duration retention) {
    return AttributeMaps.of(w -> w
        .s(STREAM, report.stream())
        .s(PRODUCER, producer(report.keyName(), report.instance()))
        .s(KEY_NAME, report.keyName())
        .s(INSTANCE, report.instance())
        .n(WINDOW_EVENTS, report.windowEvents())
        .n(WINDOW_MILLIS, report.window().toMillis())
        .n(INTERVAL_MILLIS, report.interval().toMillis())
        .n(TOTAL_EVENTS, report.totalEvents())
        .n(LAST_SEEN, report.lastSeen().toEpochMilli())
        .n(REPORTED_AT, report.reportedAt().toEpochMilli())
        // Rounded up, so DynamoDB never deletes a report before its retention is over.
        .n(EXPIRES_AT, expiresAt(report, retention)));
  }

  /** The report an item of this layout holds. */
  public static ProducerReport report(Map<String, AttributeValue> item) {
    return new ProducerReport(s(item, STREAM), s(item, KEY_NAME), s(item, INSTANCE), n(item, WINDOW_EVENTS),
        Duration.ofMillis(n(item, WINDOW_MILLIS)), Duration.ofMillis(n(item, INTERVAL_MILLIS)), n(item, TOTAL_EVENTS),
        Instant.ofEpochMilli(n(item, LAST_SEEN)), Instant.ofEpochMilli(n(item, REPORTED_AT)));
  }

  /** The key of the item that holds {@code instance}'s reports of {@code keyName} on {@code stream}. */
  public static Map<String, AttributeValue> key(String stream, String keyName, String instance) {
    return Map.of(STREAM, AttributeValue.fromS(stream), PRODUCER, AttributeValue.fromS(producer(keyName, instance)));
  }

  /** The TTL attribute's value: epoch seconds at which the report's retention is over. */
  static long expiresAt(ProducerReport report, Duration retention) {
    return TtlTable.ttlSeconds(report.reportedAt().plus(retention).toEpochMilli());
  }

  /**
   * Creates the table if it does not exist (hash key {@value #STREAM}, range key {@value #PRODUCER}, on-demand
   * billing), waits until it exists, and turns TTL on {@value #EXPIRES_AT} on if it is not on yet. Idempotent, also
   * when several processes race. Blocking: call it from a worker or at start-up, never on an event loop.
   *
   * @return true if this call created the table
   */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    return TtlTable.keyedBy(STREAM, PRODUCER).expiringOn(EXPIRES_AT).ensure(dynamo, table);
  }

  private static String producer(String keyName, String instance) {
    return keyName + SEPARATOR + instance;
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = Objects.requireNonNull(item.get(name), () -> "a producer report without " + name);
    return Objects.requireNonNull(v.s(), () -> name + " is not a string");
  }

  private static long n(Map<String, AttributeValue> item, String name) {
    AttributeValue v = Objects.requireNonNull(item.get(name), () -> "a producer report without " + name);
    return Long.parseLong(Objects.requireNonNull(v.n(), () -> name + " is not a number"));
  }
}

package dev.sluice.crypto.keys;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key table ({@code sluice-keys}) on DynamoDB: hash key {@code pk} (S), on demand, no TTL (a key must never expire
 * on its own). Two kinds of rows:
 * <ul>
 *   <li>{@code swk#<stream>}: {@code wrapped} (B, the stream wrapping keyset encrypted by the KEK), {@code kek} (its
 *       URI), {@code createdAt}, and {@code rewrappedAt} once moved to another KEK;</li>
 *   <li>{@code dek#<stream>#<subject>}: {@code stream}, {@code subject}, {@code generation} (N), {@code wrapped} (B,
 *       the subject's keyset encrypted by the stream key), {@code createdAt}; after a forget no {@code wrapped}, and
 *       {@code forgottenAt}, {@code forgottenBy}, {@code auditId}.</li>
 * </ul>
 * Times are epoch milliseconds. Every write is conditional: a row is created only if absent, re-created only over the
 * tombstone of the generation before, and forgotten only while active at the generation read. Every call carries the
 * key call timeout as its SDK call timeout, so a hung call ends. The calls block: the key ring makes them on workers.
 */
public final class KeyTable implements KeyRows {
  static final String PK = "pk";
  static final String STREAM = "stream";
  static final String SUBJECT = "subject";
  static final String GENERATION = "generation";
  static final String WRAPPED = "wrapped";
  static final String KEK = "kek";
  static final String CREATED_AT = "createdAt";
  static final String FORGOTTEN_AT = "forgottenAt";
  static final String FORGOTTEN_BY = "forgottenBy";
  static final String AUDIT_ID = "auditId";
  static final String REWRAPPED_AT = "rewrappedAt";
  private static final String SWK_PREFIX = "swk#";

  private static final String IF_ABSENT = "attribute_not_exists(" + PK + ")";

  private final WorkerTable table;
  private final Duration callTimeout;

  public KeyTable(WorkerTable table, Duration callTimeout) {
    this.table = Objects.requireNonNull(table, "table");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /** Creates the table unless it is there, and waits until it is active. Blocking. True if it created it. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    return TableKeys.hash(PK).createIfAbsent(dynamo, table) != Tables.Creation.EXISTED;
  }

  static String swkKey(String stream) {
    return SWK_PREFIX + stream;
  }

  static String dekKey(SubjectRef subject) {
    return "dek#" + subject.stream() + "#" + subject.subject();
  }

  @Override
  public Optional<SwkRow> swk(String stream) {
    return table.getNow(key(swkKey(stream)), b -> b.overrideConfiguration(this::timeout))
        .map(item -> swkRow(stream, item));
  }

  private static SwkRow swkRow(String stream, Map<String, AttributeValue> item) {
    return new SwkRow(stream, wrapped(item).orElseThrow(() -> malformed(WRAPPED)), string(item, KEK),
        instant(item, CREATED_AT));
  }

  @Override
  public boolean createSwk(SwkRow row) {
    Map<String, AttributeValue> item = new HashMap<>(key(swkKey(row.stream())));
    item.put(WRAPPED, AttributeValue.fromB(SdkBytes.fromByteArray(row.wrapped().bytes())));
    item.put(KEK, AttributeValue.fromS(row.kekUri()));
    item.put(CREATED_AT, millis(row.createdAt()));
    return table.putIf(item, b -> b.conditionExpression(IF_ABSENT).overrideConfiguration(this::timeout));
  }

  /**
   * Every stream wrapping key row, read by a scan of the whole table (the subject keys' rows are read and filtered out
   * by DynamoDB, paged): for a migration run by hand, never on a request's path. Strongly consistent reads, so a row
   * written before the call is seen. Blocking.
   */
  public List<SwkRow> swkRows() {
    // No page budget: the command reads the whole table once, keeping only the (few) stream key rows.
    return table.scan(Integer.MAX_VALUE, b -> b.consistentRead(true)
            .filterExpression("begins_with(#pk, :swk)")
            .expressionAttributeNames(Map.of("#pk", PK))
            .expressionAttributeValues(Map.of(":swk", AttributeValue.fromS(SWK_PREFIX)))
            .overrideConfiguration(this::timeout))
        .stream().map(item -> swkRow(string(item, PK).substring(SWK_PREFIX.length()), item)).toList();
  }

  /**
   * Replaces the stream key row {@code before} by {@code after} (the same stream's key wrapped again, by another KEK),
   * only if the row still holds exactly what {@code before} says: false, and nothing written, if another process
   * changed it since it was read. Keeps {@code createdAt}; records {@code rewrappedAt}. Blocking.
   */
  public boolean rewrapSwk(SwkRow before, SwkRow after, Instant at) {
    if (!before.stream().equals(after.stream())) {
      throw new IllegalArgumentException("a stream key is re-wrapped in its own row");
    }
    return table.updateIf(key(swkKey(before.stream())), b -> b
        .updateExpression("SET #w = :w, #k = :k, #r = :r")
        .conditionExpression("#w = :before AND #k = :beforeKek")
        .expressionAttributeNames(Map.of("#w", WRAPPED, "#k", KEK, "#r", REWRAPPED_AT))
        .expressionAttributeValues(Map.of(
            ":w", AttributeValue.fromB(SdkBytes.fromByteArray(after.wrapped().bytes())),
            ":k", AttributeValue.fromS(after.kekUri()),
            ":r", millis(at),
            ":before", AttributeValue.fromB(SdkBytes.fromByteArray(before.wrapped().bytes())),
            ":beforeKek", AttributeValue.fromS(before.kekUri())))
        .overrideConfiguration(this::timeout)).isPresent();
  }

  @Override
  public Optional<DekRow> dek(SubjectRef subject) {
    return table.getNow(key(dekKey(subject)), b -> b.overrideConfiguration(this::timeout))
        .map(item -> new DekRow(subject, number(item, GENERATION), wrapped(item), instant(item, CREATED_AT),
            item.containsKey(FORGOTTEN_AT)
                ? Optional.of(new Forgetting(instant(item, FORGOTTEN_AT), string(item, FORGOTTEN_BY),
                    string(item, AUDIT_ID)))
                : Optional.empty()));
  }

  @Override
  public boolean createDek(DekRow row) {
    Map<String, AttributeValue> item = new HashMap<>(key(dekKey(row.subject())));
    item.put(STREAM, AttributeValue.fromS(row.subject().stream()));
    item.put(SUBJECT, AttributeValue.fromS(row.subject().subject()));
    item.put(GENERATION, number(row.generation()));
    item.put(CREATED_AT, millis(row.createdAt()));
    row.wrapped().ifPresent(w -> item.put(WRAPPED, AttributeValue.fromB(SdkBytes.fromByteArray(w.bytes()))));
    row.forgotten().ifPresent(f -> {
      item.put(FORGOTTEN_AT, millis(f.at()));
      item.put(FORGOTTEN_BY, AttributeValue.fromS(f.by()));
      item.put(AUDIT_ID, AttributeValue.fromS(f.auditId()));
    });
    return table.putIf(item, b -> b.conditionExpression(IF_ABSENT).overrideConfiguration(this::timeout));
  }

  @Override
  public boolean recreateDek(DekRow row) {
    if (!row.active() || row.generation() < 1) {
      throw new IllegalArgumentException("a re-created key is active and follows a tombstone");
    }
    return table.updateIf(key(dekKey(row.subject())), b -> b
        .updateExpression("SET #w = :w, #g = :g, #c = :c REMOVE #fa, #fb, #aid")
        .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#w) AND #g = :before")
        .expressionAttributeNames(Map.of("#pk", PK, "#w", WRAPPED, "#g", GENERATION, "#c", CREATED_AT,
            "#fa", FORGOTTEN_AT, "#fb", FORGOTTEN_BY, "#aid", AUDIT_ID))
        .expressionAttributeValues(Map.of(
            ":w", AttributeValue.fromB(SdkBytes.fromByteArray(row.wrapped().orElseThrow().bytes())),
            ":g", number(row.generation()), ":before", number(row.generation() - 1),
            ":c", millis(row.createdAt())))
        .overrideConfiguration(this::timeout)).isPresent();
  }

  @Override
  public boolean forgetDek(SubjectRef subject, long generation, Forgetting forgetting) {
    return table.updateIf(key(dekKey(subject)), b -> b
        .updateExpression("SET #fa = :fa, #fb = :fb, #aid = :aid REMOVE #w")
        .conditionExpression("attribute_exists(#w) AND #g = :g")
        .expressionAttributeNames(Map.of("#w", WRAPPED, "#g", GENERATION, "#fa", FORGOTTEN_AT, "#fb", FORGOTTEN_BY,
            "#aid", AUDIT_ID))
        .expressionAttributeValues(Map.of(":g", number(generation), ":fa", millis(forgetting.at()),
            ":fb", AttributeValue.fromS(forgetting.by()), ":aid", AttributeValue.fromS(forgetting.auditId())))
        .overrideConfiguration(this::timeout)).isPresent();
  }

  private void timeout(AwsRequestOverrideConfiguration.Builder o) {
    o.apiCallTimeout(callTimeout);
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of(PK, AttributeValue.fromS(pk));
  }

  private static AttributeValue number(long n) {
    return AttributeValue.fromN(Long.toString(n));
  }

  private static AttributeValue millis(Instant at) {
    return number(at.toEpochMilli());
  }

  private static Optional<WrappedKey> wrapped(Map<String, AttributeValue> item) {
    AttributeValue v = item.get(WRAPPED);
    return v == null || v.b() == null ? Optional.empty() : Optional.of(WrappedKey.of(v.b().asByteArray()));
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw malformed(name);
    }
    return v.s();
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw malformed(name);
    }
    return Long.parseLong(v.n());
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    return Instant.ofEpochMilli(number(item, name));
  }

  private static IllegalStateException malformed(String attribute) {
    return new IllegalStateException("a key table row lacks " + attribute);
  }
}

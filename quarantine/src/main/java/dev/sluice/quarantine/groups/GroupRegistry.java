package dev.sluice.quarantine.groups;

import dev.sluice.schemas.contracts.DeclaredReader;
import dev.sluice.storekit.dynamo.TtlTable;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Which consumer groups are alive, what they read, and which schema versions they validated recently: answers "who
 * consumes this stream, and on which schema versions?", and "who declared they read this type, and which parts of it?".
 *
 * <p>Layout: one DynamoDB item per instance, hash key {@code group}, range key {@code instance}; attributes
 * {@code host}, {@code streams} (list of strings), {@code versionsSeen} (map of type to a number set),
 * {@code staleness} (map of stream to seconds; absent in items of instances older than it), the read contract's
 * {@code owner}, {@code contact} and {@code reads} (map of type to a string set of pointers; each absent when not
 * declared, see {@link ContractAttributes}), {@code outcomes} (map of stream to the records handled and quarantined in
 * the instance's last heartbeat window and the window's length; absent in its first heartbeat and in items of
 * instances older than it, see {@link OutcomeAttributes}), {@code lastSeen} (epoch millis) and {@code expiresAt} (epoch seconds, the
 * table's TTL attribute). The heartbeat's bounds keep an item far below DynamoDB's 400 KB (a contract at most
 * {@value GroupHeartbeat#MAX_CONTRACT_BYTES} bytes).
 *
 * <ul>
 *   <li>{@link #heartbeat} puts the instance's item, conditional on {@code lastSeen} not going backwards: heartbeats
 *       run on unordered workers, so a delayed older put must not overwrite a newer one.</li>
 *   <li>An instance is alive if its {@code lastSeen} is within {@code aliveFor} of now. Readers filter on that, since
 *       DynamoDB deletes expired items only eventually (DynamoDB Local lazily); the TTL only bounds the table.</li>
 *   <li>{@link #list}, {@link #consumersOf} and {@link #declaredReaders} read with a Scan: the table holds one small
 *       item per live instance (and some dead ones until TTL removes them), so it is a few KB; reads are bounded to
 *       {@link #MAX_SCAN_PAGES} pages.</li>
 * </ul>
 *
 * <p>The SDK client blocks, so every call runs on a Vert.x worker ({@link WorkerTable#blocking}) with its own API call
 * timeout. Results come back on the caller's context.
 */
public final class GroupRegistry implements HeartbeatSink {
  static final String GROUP = "group";
  static final String INSTANCE = "instance";
  static final String HOST = "host";
  static final String STREAMS = "streams";
  static final String VERSIONS_SEEN = "versionsSeen";
  static final String STALENESS = "staleness";
  static final String LAST_SEEN = "lastSeen";
  static final String EXPIRES_AT = "expiresAt";

  /** Default liveness window: an instance that missed this long of heartbeats is not listed. */
  public static final Duration DEFAULT_ALIVE_FOR = Duration.ofSeconds(45);
  /** Default bound of one DynamoDB call, SDK retries included. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
  /** Bounds the work of one list: 100 pages of up to 1 MB is far more than any registry holds. */
  static final int MAX_SCAN_PAGES = 100;

  private final WorkerTable table;
  private final Duration aliveFor;
  private final AwsRequestOverrideConfiguration callTimeout;

  public GroupRegistry(Vertx vertx, DynamoDbClient dynamo, String table, Clock clock) {
    this(vertx, dynamo, table, DEFAULT_ALIVE_FOR, clock, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * @param aliveFor how long after its last heartbeat an instance still counts as alive: several heartbeat intervals,
   *     so that one slow or lost heartbeat does not make an instance vanish
   */
  public GroupRegistry(
      Vertx vertx, DynamoDbClient dynamo, String table, Duration aliveFor, Clock clock, Duration callTimeout) {
    this.table = new WorkerTable(vertx, dynamo, table, clock);
    this.aliveFor = Objects.requireNonNull(aliveFor, "aliveFor");
    if (aliveFor.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("aliveFor must be at least 1 s, was " + aliveFor);
    }
    this.callTimeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout).build();
  }

  public Duration aliveFor() {
    return aliveFor;
  }

  @Override
  public Future<Void> heartbeat(GroupHeartbeat hb) {
    Objects.requireNonNull(hb, "heartbeat");
    // Taken on the caller's thread: the moment the instance said it is alive, not when a worker got to it.
    long now = table.clock().millis();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(GROUP, AttributeValue.fromS(hb.group()));
    item.put(INSTANCE, AttributeValue.fromS(hb.instanceId()));
    item.put(HOST, AttributeValue.fromS(hb.host()));
    item.put(STREAMS, AttributeValue.fromL(hb.streams().stream().map(AttributeValue::fromS).toList()));
    Map<String, AttributeValue> versions = new HashMap<>();
    // A number set cannot be empty; GroupHeartbeat drops types without versions.
    hb.versionsSeen().forEach((type, set) ->
        versions.put(type, AttributeValue.fromNs(set.stream().map(String::valueOf).toList())));
    item.put(VERSIONS_SEEN, AttributeValue.fromM(versions));
    Map<String, AttributeValue> staleness = new HashMap<>();
    hb.staleness().forEach((stream, seconds) -> staleness.put(stream, AttributeValue.fromN(Double.toString(seconds))));
    item.put(STALENESS, AttributeValue.fromM(staleness));
    ContractAttributes.put(hb.contract(), item);
    OutcomeAttributes.put(hb.outcomes(), item);
    item.put(LAST_SEEN, AttributeValue.fromN(Long.toString(now)));
    // Rounded up, so DynamoDB never deletes an instance that is still alive.
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(TtlTable.ttlSeconds(now + aliveFor.toMillis()))));
    return table.blocking(() -> {
      // Nothing is written when a later heartbeat of this instance got there first: it is the one to keep.
      table.putIf(item, b -> b
          .conditionExpression("attribute_not_exists(#lastSeen) OR #lastSeen <= :lastSeen")
          .expressionAttributeNames(Map.of("#lastSeen", LAST_SEEN))
          .expressionAttributeValues(Map.of(":lastSeen", AttributeValue.fromN(Long.toString(now))))
          .overrideConfiguration(callTimeout));
      return null;
    });
  }

  @Override
  public Future<Void> remove(String group, String instanceId) {
    return table.blocking(() -> {
      table.dynamo().deleteItem(b -> b.tableName(table.name())
          .key(Map.of(GROUP, AttributeValue.fromS(group), INSTANCE, AttributeValue.fromS(instanceId)))
          .overrideConfiguration(callTimeout));
      return null;
    });
  }

  /** Every group with at least one live instance, by group name. */
  public Future<List<GroupView>> list() {
    long cutoff = table.clock().millis() - aliveFor.toMillis();
    return table.blocking(() -> aggregate(scanAlive(cutoff)));
  }

  /**
   * The groups with a live instance that reads the stream, by group name: who consumes it, and (in each view's
   * {@code versionsSeen}) on which schema versions. The versions cover every type the group validated; keep those of
   * the stream's types.
   */
  public Future<List<GroupView>> consumersOf(String stream) {
    Objects.requireNonNull(stream, "stream");
    return list().map(groups -> groups.stream().filter(g -> g.consumes(stream)).toList());
  }

  /**
   * The live groups that declare they read events of {@code type}, by group name, each with its owner, contact and the
   * pointers it reads (the union over its live instances, see {@link GroupView}): who a change of the type's schema
   * affects, and who to talk to about it.
   */
  public Future<List<DeclaredReader>> declaredReaders(String type) {
    Objects.requireNonNull(type, "type");
    return list().map(groups -> groups.stream().filter(g -> g.declaresReadsOf(type))
        .map(g -> new DeclaredReader(g.group(), g.contract().owner(), g.contract().contact(),
            g.contract().reads().get(type)))
        .toList());
  }

  private List<Map.Entry<String, GroupInstance>> scanAlive(long cutoff) {
    List<Map.Entry<String, GroupInstance>> out = new ArrayList<>();
    Map<String, AttributeValue> startKey = null;
    for (int page = 0; page < MAX_SCAN_PAGES; page++) {
      ScanRequest.Builder req = ScanRequest.builder()
          .tableName(table.name())
          .consistentRead(true)
          .filterExpression("#lastSeen > :cutoff")
          .expressionAttributeNames(Map.of("#lastSeen", LAST_SEEN))
          .expressionAttributeValues(Map.of(":cutoff", AttributeValue.fromN(Long.toString(cutoff))))
          .overrideConfiguration(callTimeout);
      if (startKey != null) {
        req.exclusiveStartKey(startKey);
      }
      ScanResponse resp = table.dynamo().scan(req.build());
      resp.items().forEach(i -> out.add(Map.entry(i.get(GROUP).s(), instance(i))));
      if (!resp.hasLastEvaluatedKey() || resp.lastEvaluatedKey().isEmpty()) {
        break;
      }
      startKey = resp.lastEvaluatedKey();
    }
    return out;
  }

  private static List<GroupView> aggregate(List<Map.Entry<String, GroupInstance>> instances) {
    TreeMap<String, List<GroupInstance>> byGroup = new TreeMap<>();
    instances.forEach(e -> byGroup.computeIfAbsent(e.getKey(), g -> new ArrayList<>()).add(e.getValue()));
    return byGroup.entrySet().stream().map(e -> GroupView.aggregate(e.getKey(), e.getValue())).toList();
  }

  private static GroupInstance instance(Map<String, AttributeValue> item) {
    TreeSet<String> streams = new TreeSet<>();
    AttributeValue s = item.get(STREAMS);
    if (s != null && s.hasL()) {
      s.l().forEach(v -> streams.add(v.s()));
    }
    TreeMap<String, SortedSet<Integer>> versions = new TreeMap<>();
    AttributeValue v = item.get(VERSIONS_SEEN);
    if (v != null && v.hasM()) {
      v.m().forEach((type, set) -> {
        TreeSet<Integer> ints = new TreeSet<>();
        set.ns().forEach(n -> ints.add(Integer.parseInt(n)));
        versions.put(type, Collections.unmodifiableSortedSet(ints));
      });
    }
    SortedMap<String, SortedSet<Integer>> frozen = Collections.unmodifiableSortedMap(versions);
    TreeMap<String, Double> staleness = new TreeMap<>();
    AttributeValue st = item.get(STALENESS);
    if (st != null && st.hasM()) {
      st.m().forEach((stream, seconds) -> staleness.put(stream, Double.parseDouble(seconds.n())));
    }
    return new GroupInstance(item.get(INSTANCE).s(), item.get(HOST).s(), Collections.unmodifiableSortedSet(streams),
        frozen, Instant.ofEpochMilli(Long.parseLong(item.get(LAST_SEEN).n())), staleness,
        ContractAttributes.read(item), OutcomeAttributes.read(item));
  }

  /**
   * Creates the table if it does not exist (hash key {@code group}, range key {@code instance}, on-demand billing),
   * waits until it exists, and turns on TTL on {@code expiresAt} if it is not on yet. Idempotent, also when several
   * processes race. Blocking: call it from a worker or at start-up, never on an event loop.
   */
  public static void ensureTable(DynamoDbClient dynamo, String table) {
    TtlTable.keyedBy(GROUP, INSTANCE).expiringOn(EXPIRES_AT).ensure(dynamo, table);
  }

}

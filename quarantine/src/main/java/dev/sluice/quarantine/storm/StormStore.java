package dev.sluice.quarantine.storm;

import static dev.sluice.quarantine.storm.StormCodec.CHANGED_AT;
import static dev.sluice.quarantine.storm.StormCodec.CHANGED_BY;
import static dev.sluice.quarantine.storm.StormCodec.GROUP;
import static dev.sluice.quarantine.storm.StormCodec.ID;
import static dev.sluice.quarantine.storm.StormCodec.SAMPLE_ITEM_ID;
import static dev.sluice.quarantine.storm.StormCodec.STATE;
import static dev.sluice.quarantine.storm.StormCodec.TRIPS;
import static dev.sluice.quarantine.storm.StormCodec.VERSION;
import static dev.sluice.quarantine.storm.StormCodec.n;
import static dev.sluice.quarantine.storm.StormCodec.s;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Storms on DynamoDB ({@code sluice.storms.table}: hash key {@code group}, range key {@code id}), shared by the wrapped
 * consumers of each group, which trip them and read them on every lane refresh, and by the console, which lists them
 * and applies the operators' actions.
 *
 * <p>Every state change is a conditional write. A trip writes the storm unless it stands already (TRIPPED, or
 * QUARANTINE_ALL: the operator's choice stands); a RESUMED storm trips again. An operator's action is conditional on
 * the state and version the operator's request read, so two writers never both win.
 *
 * <p>Every SDK call runs on a worker ({@link WorkerTable}) and completes on the caller's context.
 */
public final class StormStore {
  /** Scan pages one listing may read: storms are few (one per partition and way of failing, ever). */
  static final int LIST_PAGE_BUDGET = 10;

  private final WorkerTable table;

  public StormStore(WorkerTable table) {
    this.table = table;
  }

  /** Creates the table if it does not exist and waits until it is active. Blocking. True if it created it. */
  public static boolean ensure(DynamoDbClient dynamo, String table) {
    return TableKeys.hashAndRange(GROUP, ID).createIfAbsent(dynamo, table) != Tables.Creation.EXISTED;
  }

  public InstantSource clock() {
    return table.clock();
  }

  /**
   * What a conditional write did: {@code written}, and the storm as written; or not, and the storm as it stands now
   * (someone wrote first), empty when it is not there at all.
   */
  public record Write(boolean written, Optional<Storm> storm) {
    public Write {
      java.util.Objects.requireNonNull(storm, "storm");
    }
  }

  /**
   * Trips {@code storm}: writes it TRIPPED with the trip's counts, unless it stands already; a RESUMED storm of the
   * same partition and fingerprint is tripped again (its count of trips grows).
   */
  public Future<Write> trip(Storm storm) {
    Map<String, AttributeValue> values = StormCodec.tripValues(storm);
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> bound = new HashMap<>();
    StringBuilder set = new StringBuilder("SET #version = if_not_exists(#version, :zero) + :one, "
        + "#trips = if_not_exists(#trips, :zero) + :one");
    values.forEach((name, value) -> {
      set.append(", #").append(name).append(" = :").append(name);
      names.put("#" + name, name);
      bound.put(":" + name, value);
    });
    names.putAll(Map.of("#version", VERSION, "#trips", TRIPS, "#id", ID));
    bound.putAll(Map.of(":zero", n(0), ":one", n(1), ":resumed", s(StormState.RESUMED.name())));
    String update = set.toString() + storm.trip().sampleItemId().map(x -> ", #sample = :sample")
        .orElse(" REMOVE #sample");
    names.put("#sample", SAMPLE_ITEM_ID);
    storm.trip().sampleItemId().ifPresent(sample -> bound.put(":sample", s(sample)));
    return table.blocking(() -> {
      Optional<Map<String, AttributeValue>> written = table.updateIf(StormCodec.key(storm.group(), storm.id()),
          b -> b.updateExpression(update)
              .conditionExpression("attribute_not_exists(#id) OR #state = :resumed")
              .expressionAttributeNames(names)
              .expressionAttributeValues(bound)
              .returnValues(ReturnValue.ALL_NEW));
      return written.isPresent() ? new Write(true, Optional.of(StormCodec.fromItem(written.get())))
          : new Write(false, read(storm.group(), storm.id()));
    });
  }

  /** The group's storms, every state, read strongly consistent. */
  public Future<List<Storm>> ofGroup(String group) {
    return table.blocking(() -> {
      List<Storm> storms = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        QueryResponse page = table.dynamo().query(b -> {
          b.tableName(table.name()).consistentRead(true)
              .keyConditionExpression("#group = :group")
              .expressionAttributeNames(Map.of("#group", GROUP))
              .expressionAttributeValues(Map.of(":group", s(group)));
          if (from != null) {
            b.exclusiveStartKey(from);
          }
        });
        page.items().forEach(item -> storms.add(StormCodec.fromItem(item)));
        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      } while (start != null);
      return storms;
    });
  }

  public Future<Optional<Storm>> get(String group, String id) {
    return table.blocking(() -> read(group, id));
  }

  /** Up to {@code limit} storms of every group, the latest changed first. */
  public Future<List<Storm>> list(int limit) {
    return table.blocking(() -> table.scan(LIST_PAGE_BUDGET).stream()
        .map(StormCodec::fromItem)
        .sorted(Comparator.comparing((Storm st) -> st.status().changedAt()).reversed().thenComparing(Storm::id))
        .limit(limit)
        .toList());
  }

  /**
   * An operator's action: moves {@code seen} to {@code to}, by {@code actor}, on the condition that it is still in
   * the state and at the version {@code seen} has. Not written if it changed meanwhile, or is gone.
   */
  public Future<Write> change(Storm seen, StormState to, String actor) {
    return table.blocking(() -> {
      Optional<Map<String, AttributeValue>> written = table.updateIf(StormCodec.key(seen.group(), seen.id()),
          b -> b.updateExpression("SET #state = :to, #version = #version + :one, #changedAt = :now, #changedBy = :by")
              .conditionExpression("#state = :from AND #version = :version")
              .expressionAttributeNames(Map.of("#state", STATE, "#version", VERSION, "#changedAt", CHANGED_AT,
                  "#changedBy", CHANGED_BY))
              .expressionAttributeValues(Map.of(":to", s(to.name()), ":from", s(seen.state().name()),
                  ":version", n(seen.status().version()), ":one", n(1), ":now", n(table.clock().millis()),
                  ":by", s(actor)))
              .returnValues(ReturnValue.ALL_NEW));
      return written.map(item -> new Write(true, Optional.of(StormCodec.fromItem(item))))
          .orElseGet(() -> new Write(false, read(seen.group(), seen.id())));
    });
  }

  private Optional<Storm> read(String group, String id) {
    return table.getNow(StormCodec.key(group, id)).map(StormCodec::fromItem);
  }
}

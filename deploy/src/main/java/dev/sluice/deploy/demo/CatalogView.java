package dev.sluice.deploy.demo;

import dev.sluice.storekit.dynamo.TableKeys;
import dev.sluice.storekit.dynamo.Tables;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * catalog-builder's materialized view, kept in DynamoDB so that it survives restarts just as the consumer group's
 * committed offsets do. One table: products ({@code product#id / product}), photographers
 * ({@code photographer#id / photographer}) and photos ({@code product#id / photo#eventId}). Keys make every write
 * idempotent, so a re-delivered event rewrites the same item. SDK calls run on workers ({@link WorkerTable#blocking}).
 *
 * <p>The view serves anyone who reaches its port, so it keeps only what it serves: of a photographer, the id and
 * the name ({@link #PHOTOGRAPHER_FIELDS}). The registration's e-mail address is personal data the catalog has no use
 * for; it stays in the event log, and the console masks it for viewers (the schema marks it {@code x-sensitive}).
 */
public final class CatalogView {
  private static final String PK = "pk";
  private static final String SK = "sk";
  /** What the view keeps of a photographer, and all it serves. */
  public static final List<String> PHOTOGRAPHER_FIELDS = List.of("id", "name");

  private final WorkerTable table;

  public CatalogView(Vertx vertx, DynamoDbClient dynamo, String table) {
    // The view's items carry no times of their own: the clock is never read.
    this.table = new WorkerTable(vertx, dynamo, table, Clock.systemUTC());
  }

  /** Creates the view's table if missing; true if it created it. Blocking: for start-up provisioning. */
  public static boolean ensureTable(DynamoDbClient dynamo, String table) {
    return TableKeys.hashAndRange(PK, SK).createIfAbsent(dynamo, table) != Tables.Creation.EXISTED;
  }

  public Future<Void> putProduct(JsonObject product) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s("product#" + product.getString("id")));
    item.put(SK, s("product"));
    item.put("doc", s(product.encode()));
    return put(item);
  }

  public Future<Void> putPhotographer(JsonObject photographer) {
    return put(Map.of(
        PK, s("photographer#" + photographer.getString("id")),
        SK, s("photographer"),
        "doc", s(publicPhotographer(photographer).encode())));
  }

  public Future<Void> addPhoto(String productId, String eventId, JsonObject photo) {
    return put(Map.of(PK, s("product#" + productId), SK, s("photo#" + eventId), "doc", s(photo.encode())));
  }

  /** The photographer as the view serves it; one stored before the view left fields out is served without them. */
  public Future<Optional<JsonObject>> photographer(String id) {
    return doc("photographer#" + id, "photographer").map(found -> found.map(CatalogView::publicPhotographer));
  }

  /** Only {@link #PHOTOGRAPHER_FIELDS}: a field added to the event's schema later is left out until chosen here. */
  static JsonObject publicPhotographer(JsonObject photographer) {
    JsonObject kept = new JsonObject();
    PHOTOGRAPHER_FIELDS.forEach(f -> {
      if (photographer.containsKey(f)) {
        kept.put(f, photographer.getValue(f));
      }
    });
    return kept;
  }

  public Future<Optional<JsonObject>> productOnly(String id) {
    return doc("product#" + id, "product");
  }

  /** The product with its photos, or empty if the product is unknown. */
  public Future<Optional<JsonObject>> product(String id) {
    return table.blocking(() -> {
      List<Map<String, AttributeValue>> items = table.dynamo().query(b -> b.tableName(table.name())
          .keyConditionExpression("#pk = :pk")
          .expressionAttributeNames(Map.of("#pk", PK))
          .expressionAttributeValues(Map.of(":pk", s("product#" + id)))
          .consistentRead(true)).items();
      Optional<JsonObject> product = items.stream()
          .filter(i -> i.get(SK).s().equals("product"))
          .findFirst()
          .map(i -> new JsonObject(i.get("doc").s()));
      return product.map(p -> {
        JsonArray photos = new JsonArray();
        items.stream()
            .filter(i -> i.get(SK).s().startsWith("photo#"))
            .sorted(Comparator.comparing(i -> i.get(SK).s()))
            .forEach(i -> photos.add(new JsonObject(i.get("doc").s())));
        return p.copy().put("photos", photos);
      });
    });
  }

  private Future<Optional<JsonObject>> doc(String pk, String sk) {
    return table.blocking(() -> table.getNow(Map.of(PK, s(pk), SK, s(sk))).map(i -> new JsonObject(i.get("doc").s())));
  }

  private Future<Void> put(Map<String, AttributeValue> item) {
    return table.blocking(() -> {
      table.dynamo().putItem(b -> b.tableName(table.name()).item(item));
      return null;
    });
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }
}

package dev.sluice.quarantine.store;

import dev.sluice.storekit.dynamo.WorkerTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Consistent reads of many items by id, a projection of each: BatchGetItem, 100 keys a call. Blocking. */
final class BatchReads {
  /** BatchGetItem's most keys per request. */
  private static final int BATCH = 100;

  private BatchReads() {}

  /**
   * The items with these ids that exist, projected; absent ids are simply missing. Unprocessed keys (throttling) are
   * asked for again after a growing pause: call on a worker thread.
   */
  static List<Map<String, AttributeValue>> read(WorkerTable table, Collection<String> ids, String projection,
      Map<String, String> names) throws InterruptedException {
    List<String> all = List.copyOf(ids);
    List<Map<String, AttributeValue>> out = new ArrayList<>(all.size());
    for (int from = 0; from < all.size(); from += BATCH) {
      List<Map<String, AttributeValue>> keys = all.subList(from, Math.min(all.size(), from + BATCH)).stream()
          .map(StoredItems::key)
          .toList();
      Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder()
          .keys(keys)
          .consistentRead(true)
          .projectionExpression(projection)
          .expressionAttributeNames(names)
          .build());
      for (int round = 0; !request.isEmpty(); round++) {
        if (round > 0) {
          Thread.sleep(Math.min(1_000L, 50L << Math.min(round, 5)));
        }
        Map<String, KeysAndAttributes> asked = request;
        BatchGetItemResponse resp = table.dynamo().batchGetItem(b -> b.requestItems(asked));
        out.addAll(resp.responses().getOrDefault(table.name(), List.of()));
        request = resp.hasUnprocessedKeys() ? resp.unprocessedKeys() : Map.of();
      }
    }
    return out;
  }
}

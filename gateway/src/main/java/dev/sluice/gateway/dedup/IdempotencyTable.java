package dev.sluice.gateway.dedup;

import dev.sluice.ingest.kafka.Appended;
import dev.sluice.storekit.marks.MarkCodec;
import dev.sluice.storekit.marks.MarkLayout;
import dev.sluice.storekit.marks.MarkTable;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The idempotency table for several gateway replicas ({@code sluice.ingress.dedup.store=dynamodb}): one DynamoDB item
 * per event key ({@code pk}, the SHA-256 of source and id), with the append's {@code topic}, {@code kafkaPartition}
 * and {@code kafkaOffset}, and {@code expiresAt}: the end of the window in epoch seconds, compared on read, and the
 * table's TTL attribute. These names are stored: they must not change, or earlier records would no longer be read.
 */
public final class IdempotencyTable {
  /** Make the table with {@code MARKS.ensure(dynamo, table)}, use it with {@code MARKS.inDynamo(...)}. */
  public static final MarkTable<Appended> MARKS =
      MarkTable.of(MarkLayout.epochSeconds("pk", "expiresAt"), AppendedCodec.INSTANCE);

  private IdempotencyTable() {}

  private enum AppendedCodec implements MarkCodec<Appended> {
    INSTANCE;

    static final String TOPIC = "topic";
    static final String PARTITION = "kafkaPartition";
    static final String OFFSET = "kafkaOffset";

    @Override
    public Map<String, AttributeValue> toItem(Appended appended) {
      return Map.of(
          TOPIC, AttributeValue.fromS(appended.topic()),
          PARTITION, AttributeValue.fromN(Integer.toString(appended.partition())),
          OFFSET, AttributeValue.fromN(Long.toString(appended.offset())));
    }

    @Override
    public Appended fromItem(Map<String, AttributeValue> item) {
      return new Appended(item.get(TOPIC).s(), Integer.parseInt(item.get(PARTITION).n()),
          Long.parseLong(item.get(OFFSET).n()));
    }
  }
}

package dev.sluice.storekit.producers;

import dev.sluice.storekit.dynamo.WorkerTable;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The producers table as the gateway writes it and the console reads it ({@link ProducerTable} is its layout).
 *
 * <ul>
 *   <li>{@link #putNow} puts an instance's report, conditional on {@code reportedAt} not going backwards: a delayed
 *       older put must never overwrite a newer report of the same item.</li>
 *   <li>{@link #seenOn} queries one stream's items (the hash key: no scan) and leaves out those past their retention,
 *       which DynamoDB deletes only eventually (DynamoDB Local lazily). Whether a report is current is the reader's
 *       to judge, against the time of reading.</li>
 * </ul>
 *
 * <p>Every SDK call is bounded by its own API call timeout, so that a slow DynamoDB holds a worker for at most that
 * long; {@link #seenOn} runs on a Vert.x worker ({@link WorkerTable#blocking}), {@link #putNow} blocks its caller,
 * which must be a worker.
 */
public final class ProducerReports {
  /** Default bound of one DynamoDB call, SDK retries included. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
  /** Bounds one stream's read: 10 pages of up to 1 MB is far more than (keys x gateway instances) items. */
  static final int MAX_QUERY_PAGES = 10;

  private final WorkerTable table;
  private final Duration retention;
  private final AwsRequestOverrideConfiguration callTimeout;

  /**
   * @param table the table, its client, the Vert.x whose workers read it, and the clock reads are judged by
   * @param retention how long a report is kept after it was made (its TTL); at least {@value
   *     ProducerReport#LIVE_INTERVALS} report intervals, or a current report could expire
   */
  public ProducerReports(WorkerTable table, Duration retention, Duration callTimeout) {
    this.table = Objects.requireNonNull(table, "table");
    this.retention = Objects.requireNonNull(retention, "retention");
    if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the retention of producer reports must be at least 1 s, was " + retention);
    }
    this.callTimeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout).build();
  }

  public ProducerReports(WorkerTable table, Duration retention) {
    this(table, retention, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Puts {@code report} unless the item holds a later report already: true if written, false if a later one stood.
   * Any other failure of the SDK is thrown as it is. Blocking: call it on a worker.
   */
  public boolean putNow(ProducerReport report) {
    long reportedAt = report.reportedAt().toEpochMilli();
    return table.putIf(ProducerTable.item(report, retention), b -> b
        .conditionExpression("attribute_not_exists(#reportedAt) OR #reportedAt <= :reportedAt")
        .expressionAttributeNames(Map.of("#reportedAt", ProducerTable.REPORTED_AT))
        .expressionAttributeValues(Map.of(":reportedAt", AttributeValue.fromN(Long.toString(reportedAt))))
        .overrideConfiguration(callTimeout));
  }

  /** Every report kept of {@code stream}'s producers, read on a worker, with the time it was read at. */
  public Future<ProducersSeen> seenOn(String stream) {
    Objects.requireNonNull(stream, "stream");
    return table.blocking(() -> {
      // Taken before the read: a report that expires during it is still left out next time.
      Instant readAt = table.clock().instant();
      long nowSeconds = readAt.getEpochSecond();
      List<ProducerReport> reports = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      for (int page = 0; page < MAX_QUERY_PAGES; page++) {
        Map<String, AttributeValue> from = start;
        QueryResponse r = table.dynamo().query(b -> {
          b.tableName(table.name())
              .keyConditionExpression("#stream = :stream")
              .filterExpression("#expiresAt > :now")
              .expressionAttributeNames(Map.of("#stream", ProducerTable.STREAM, "#expiresAt", ProducerTable.EXPIRES_AT))
              .expressionAttributeValues(Map.of(":stream", AttributeValue.fromS(stream),
                  ":now", AttributeValue.fromN(Long.toString(nowSeconds))))
              .overrideConfiguration(callTimeout);
          if (from != null) {
            b.exclusiveStartKey(from);
          }
        });
        r.items().forEach(item -> reports.add(ProducerTable.report(item)));
        if (!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty()) {
          break;
        }
        start = r.lastEvaluatedKey();
      }
      return new ProducersSeen(reports, readAt);
    });
  }
}

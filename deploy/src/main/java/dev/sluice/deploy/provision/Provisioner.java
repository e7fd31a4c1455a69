package dev.sluice.deploy.provision;

import dev.sluice.console.audit.AuditTable;
import dev.sluice.deploy.demo.CatalogView;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.catalog.StreamDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Creates what Sluice needs, idempotently: one Kafka topic per stream, the quarantine table (with the indexes the
 * console's find uses), the console's audit table, the demo's view table.
 * Runs at start-up on the launcher's main thread, before any verticle, so its blocking calls stall no event loop.
 * Per-group redrive queues are created by each wrapped consumer as it starts. Each step reports what it found or
 * created through {@code report}.
 */
public final class Provisioner {
  private Provisioner() {}

  public static void ensureTopics(Map<String, String> kafkaProps, short replicationFactor, StreamCatalog catalog,
      Consumer<String> report) {
    try (Admin admin = Admin.create(new HashMap<String, Object>(kafkaProps))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (StreamDefinition stream : catalog.streams()) {
        String label = "kafka topic " + stream.topic() + " (" + stream.partitions() + " partitions)";
        if (existing.contains(stream.topic())) {
          report.accept(label + ": present");
          continue;
        }
        try {
          admin.createTopics(List.of(new NewTopic(stream.topic(), stream.partitions(), replicationFactor)))
              .all().get(30, TimeUnit.SECONDS);
          report.accept(label + ": created");
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          report.accept(label + ": present");
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create Kafka topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kafka topics", e);
    }
  }

  public static void ensureQuarantineTable(DynamoDbClient dynamo, String table, Consumer<String> report) {
    report.accept("dynamodb table " + table + ": " + (QuarantineTable.ensure(dynamo, table) ? "created" : "present"));
  }

  /** The console's audit table of operator actions, with its by-item and by-actor indexes. */
  public static void ensureAuditTable(DynamoDbClient dynamo, String table, Consumer<String> report) {
    report.accept("dynamodb table " + table + ": " + (AuditTable.ensure(dynamo, table) ? "created" : "present"));
  }

  public static void ensureDemoTable(DynamoDbClient dynamo, String table, Consumer<String> report) {
    report.accept("dynamodb table " + table + ": " + (CatalogView.ensureTable(dynamo, table) ? "created" : "present"));
  }
}

package dev.sluice.deploy.provision;

import dev.sluice.console.audit.AuditTable;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.jobs.JobStore;
import dev.sluice.crypto.CryptoSettings;
import dev.sluice.crypto.keys.KeyTable;
import dev.sluice.deploy.config.IngressSettings;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.ProvisionSettings;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.demo.ActiveView;
import dev.sluice.deploy.demo.CatalogView;
import dev.sluice.gateway.dedup.IdempotencyTable;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.dedup.ProcessedEvents;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.quarantine.storm.StormStore;
import dev.sluice.quarantine.store.QuarantineTable;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.storekit.producers.ProducerTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Creates what Sluice needs, idempotently, and says what it did: the registry topic, one Kafka topic per stream (with
 * partitions, replication, {@code min.insync.replicas} and retention), the DynamoDB tables with their indexes and TTL,
 * and each known consumer group's redrive and retry queues with their dead-letter queues. One path for both callers:
 * the launcher provisions what the parts it starts need, {@code sluice init} provisions everything.
 *
 * <p>This class decides what is needed and in which order; {@link TopicProvisioner}, {@link TableProvisioner} and
 * {@link QueueProvisioner} each do one engine's part. The table layouts live with the code that uses them
 * ({@link QuarantineTable}, {@link GroupRegistry}, {@link IdempotencyTable}, {@link ProcessedEvents},
 * {@link CatalogView}, {@link Sessions}, {@link ReplayStore}, {@link ProducerTable}). Blocking throughout: the
 * launcher runs it on its main thread before any event loop exists.
 */
public final class Provisioner {
  private Provisioner() {}

  /** What changed. */
  public enum Outcome {
    CREATED, EXISTS, UPDATED;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One resource's outcome, e.g. "created kafka topic retail (12 partitions, ...)". */
  public record Step(Outcome outcome, String kind, String name, String detail) {
    public String line() {
      return String.format("%-8s %-15s %-36s %s", outcome.word(), kind, name, detail);
    }
  }

  /**
   * What to do with a resource that exists but differs from the config (fewer partitions, another retention, another
   * queue attribute). {@code sluice init}, an explicit admin action, aligns it; start-up leaves it alone and needs no
   * permission beyond creating what is missing (a production principal may lack DescribeConfigs / AlterConfigs).
   */
  public enum Existing {
    ALIGN, LEAVE
  }

  /** What can be provisioned. */
  public enum Resource {
    STREAM_TOPICS, QUARANTINE_TABLE, GROUPS_TABLE, GATEWAY_DEDUP_TABLE, PROCESSED_EVENTS_TABLE, DEMO_TABLE,
    CONSOLE_AUDIT_TABLE, CONSOLE_JOBS_TABLE, CONSOLE_SESSIONS_TABLE, REPLAYS_TABLE, STORMS_TABLE,
    GROUP_QUEUES, KEYS_TABLE, PRODUCERS_TABLE
  }

  /** Everything, for {@code sluice init}. */
  public static Set<Resource> everything() {
    return EnumSet.allOf(Resource.class);
  }

  /** What the given parts need before they start (the registry topic is always made by {@link #startRegistry}). */
  public static Set<Resource> neededBy(SluiceConfig config, Set<Part> parts) {
    Set<Resource> needs = EnumSet.noneOf(Resource.class);
    boolean gateway = parts.contains(Part.GATEWAY);
    boolean console = parts.contains(Part.CONSOLE);
    boolean demo = parts.contains(Part.DEMO);
    boolean captures = gateway && !config.ingress().capture().streams().isEmpty();
    boolean dynamoDedup = gateway && config.ingress().dedup().store() == IngressSettings.DedupStore.DYNAMODB;
    if (gateway || demo) {
      needs.add(Resource.STREAM_TOPICS);
    }
    if ((gateway || console || demo) && config.crypto().isPresent()) {
      // The data subjects' keys: the gateway seals marked values with them, the others unseal.
      needs.add(Resource.KEYS_TABLE);
    }
    if (captures || dynamoDedup || console || demo) {
      needs.add(Resource.QUARANTINE_TABLE);
    }
    if (console || demo) {
      needs.add(Resource.GROUPS_TABLE);
      // The console starts and cancels replays; the demo consumer flags replayed events and finishes its replay.
      needs.add(Resource.REPLAYS_TABLE);
      // The console lists storms and lifts them; the demo consumer's breaker trips them and reads them back.
      needs.add(Resource.STORMS_TABLE);
    }
    if ((gateway || console) && config.producers().reporting()) {
      // The gateway reports what each API key appended there; the console shows it on a stream's page.
      needs.add(Resource.PRODUCERS_TABLE);
    }
    if (dynamoDedup) {
      needs.add(Resource.GATEWAY_DEDUP_TABLE);
    }
    if (console) {
      needs.add(Resource.CONSOLE_AUDIT_TABLE);
      needs.add(Resource.CONSOLE_JOBS_TABLE);
      needs.add(Resource.CONSOLE_SESSIONS_TABLE);
    }
    if (demo) {
      needs.add(Resource.DEMO_TABLE);
      needs.add(Resource.GROUP_QUEUES);
    }
    return needs;
  }

  // ------------------------------------------------------------------------------------------------------ all

  /** Provisions {@code what}; each outcome goes to {@code report} as it happens. Returns them all, in order. */
  public static List<Step> provision(SluiceConfig config, Set<Resource> what, Existing existing,
      StreamCatalog catalog, Consumer<Step> report) {
    List<Step> steps = new ArrayList<>();
    Consumer<Step> both = s -> {
      steps.add(s);
      report.accept(s);
    };
    if (what.contains(Resource.STREAM_TOPICS)) {
      TopicProvisioner.ensureTopics(config, existing, catalog, both);
    }
    ProvisionSettings p = config.provision();
    boolean tables = what.stream().anyMatch(r -> r.name().endsWith("_TABLE"));
    if (tables) {
      try (DynamoDbClient dynamo = AwsClients.dynamo(config.aws())) {
        if (what.contains(Resource.QUARANTINE_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.aws().quarantineTable(), "quarantine",
              t -> QuarantineTable.ensure(dynamo, t)));
        }
        if (what.contains(Resource.GROUPS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.groups().table(), "consumer groups",
              t -> run(() -> GroupRegistry.ensureTable(dynamo, t))));
        }
        if (what.contains(Resource.GATEWAY_DEDUP_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.ingress().dedup().table(), "gateway dedup",
              t -> IdempotencyTable.MARKS.ensure(dynamo, t)));
        }
        if (what.contains(Resource.PROCESSED_EVENTS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, p.processedEventsTable(), "consumer dedup",
              t -> run(() -> ProcessedEvents.ensureDynamoTable(dynamo, t))));
        }
        if (what.contains(Resource.DEMO_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.demo().catalogTable(), "demo view",
              t -> CatalogView.ensureTable(dynamo, t)));
          both.accept(TableProvisioner.ensureTable(dynamo, config.demo().blueGreen().activeViewTable(),
              "demo active view", t -> ActiveView.ensureTable(dynamo, t)));
        }
        if (what.contains(Resource.CONSOLE_AUDIT_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.console().auditTable(), "console audit",
              t -> AuditTable.ensure(dynamo, t)));
        }
        if (what.contains(Resource.CONSOLE_JOBS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.console().jobs().table(), "console jobs",
              t -> JobStore.ensure(dynamo, t)));
        }
        if (what.contains(Resource.CONSOLE_SESSIONS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.console().auth().sessionTable(), "console sessions",
              t -> Sessions.ensureTable(dynamo, t)));
        }
        if (what.contains(Resource.REPLAYS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.replays().table(), "replays",
              t -> ReplayStore.ensure(dynamo, t)));
        }
        if (what.contains(Resource.KEYS_TABLE)) {
          String keysTable = config.crypto().map(CryptoSettings::keysTable).orElse(CryptoSettings.DEFAULT_KEYS_TABLE);
          both.accept(TableProvisioner.ensureTable(dynamo, keysTable, "data subjects' keys",
              t -> KeyTable.ensure(dynamo, t)));
        }
        if (what.contains(Resource.STORMS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.storms().table(), "storms",
              t -> StormStore.ensure(dynamo, t)));
        }
        if (what.contains(Resource.PRODUCERS_TABLE)) {
          both.accept(TableProvisioner.ensureTable(dynamo, config.producers().table(), "producers seen",
              t -> ProducerTable.ensure(dynamo, t)));
        }
      }
    }
    if (what.contains(Resource.GROUP_QUEUES) && !p.groups().isEmpty()) {
      try (SqsClient sqs = AwsClients.sqs(config.aws())) {
        for (String group : new TreeSet<>(p.groups())) {
          String prefix = config.aws().queuePrefix();
          QueueProvisioner.ensureQueueWithDeadLetters(sqs, RedriveQueue.queueName(prefix, group),
              RedriveQueue.VISIBILITY_TIMEOUT_SECONDS, p, existing, "redrive, group " + group, both);
          QueueProvisioner.ensureQueueWithDeadLetters(sqs, RetryQueue.queueName(prefix, group), RetryQueue.VISIBILITY_TIMEOUT_SECONDS,
              p, existing, "retry, group " + group, both);
        }
      }
    }
    return steps;
  }

  private static boolean run(Runnable r) {
    r.run();
    return true;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** Counts per outcome, e.g. for "3 created, 9 exists, 0 updated". */
  public static Map<Outcome, Long> tally(Collection<Step> steps) {
    Map<Outcome, Long> counts = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      counts.put(o, steps.stream().filter(s -> s.outcome() == o).count());
    }
    return counts;
  }
}

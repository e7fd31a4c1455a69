package dev.sluice.quarantine.consumer;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.quarantine.dedup.EventKey;
import dev.sluice.quarantine.dedup.IdempotentHandler;
import dev.sluice.quarantine.dedup.ProcessedEvents;
import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.Heartbeater;
import dev.sluice.quarantine.groups.SchemaVersionsSeen;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.log.LogSettings;
import dev.sluice.quarantine.log.QuarantineIndexer;
import dev.sluice.quarantine.log.QuarantineLog;
import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.quarantine.storm.StormStore;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.storekit.dynamo.WorkerTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What both wrappers are built from, without a Vert.x type: the Kafka client properties, the quarantine store's
 * DynamoDB table, the SQS queues' name prefix (the same ones the group's other consumers and the redrive console
 * use), the stream catalog's schemas, a meter registry, the handler, and optionally the group's heartbeat (with what
 * the group declares it reads), a dedup store and the replays table. The handler's type and {@code build} are each
 * wrapper's own: {@link QuarantiningConsumer.Builder} for a Vert.x service (an asynchronous {@link EventHandler},
 * built on the service's Vert.x), {@link QuarantiningPollLoop.Builder} for a plain thread (a blocking handler, on a
 * Vert.x the loop owns). The DynamoDB and SQS clients stay the caller's: no wrapper closes them.
 *
 * <p>One wiring for both: {@link #assemble} makes the store, queues, meters, triage, heartbeat and dedup in one place,
 * so the two wrappers cannot drift apart.
 *
 * @param <B> the wrapper's own builder, returned by every setter so that calls chain
 * @param <H> the wrapper's handler type
 */
public abstract sealed class WrapperBuilder<B extends WrapperBuilder<B, H>, H>
    permits QuarantiningConsumer.Builder, QuarantiningPollLoop.Builder {
  /** How a missing setting is named in the error, e.g. "a poll loop". */
  private final String wrapper;
  final WrapperConfig config;
  private Map<String, String> kafkaProps;
  private DynamoDbClient dynamo;
  private String table;
  private SqsClient sqs;
  private String queuePrefix;
  private Triage triage;
  private MeterRegistry meters = new SimpleMeterRegistry();
  private SchemaRegistry schemas;
  private String groupsTable;
  private Duration heartbeatInterval = Heartbeater.DEFAULT_INTERVAL;
  private Duration aliveFor = GroupRegistry.DEFAULT_ALIVE_FOR;
  private ReadContract contract;
  /** Makes the dedup store, from the wrapper's Vert.x and the builder's clock. */
  private BiFunction<Vertx, Clock, ProcessedEvents> dedup;
  private String replaysTable;
  private LogSettings quarantineLog;
  private String stormsTable;
  private SubjectKeys keys;
  private KeyGrant grant;
  private Clock clock = Clock.systemUTC();
  private RandomGenerator random = new SplittableRandom();
  H handler;

  WrapperBuilder(WrapperConfig config, String wrapper) {
    this.config = Objects.requireNonNull(config, "config");
    this.wrapper = wrapper;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Kafka client properties ({@code bootstrap.servers}, security, ...). The wrapper sets {@code group.id},
   * {@code enable.auto.commit=false}, {@code max.poll.records}, {@code max.poll.interval.ms} and byte-array
   * deserializers itself, and defaults {@code auto.offset.reset} to {@code earliest}.
   */
  public B kafka(Map<String, String> properties) {
    this.kafkaProps = Map.copyOf(properties);
    return self();
  }

  /** The quarantine store: its DynamoDB table (created beforehand, e.g. by {@code QuarantineTable.ensure}). */
  public B store(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    return self();
  }

  /** The group's retry and redrive queues: {@code prefix} as for every other consumer and the console. */
  public B queues(SqsClient sqs, String prefix) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queuePrefix = Objects.requireNonNull(prefix, "prefix");
    return self();
  }

  /** The streams and schemas records are judged by. */
  public B schemas(SchemaRegistry registry) {
    this.schemas = Objects.requireNonNull(registry, "registry");
    return triage(new Triage(registry));
  }

  /** The triage records are judged by, e.g. one that reports the schema versions seen to a group heartbeat. */
  public B triage(Triage triage) {
    this.triage = Objects.requireNonNull(triage, "triage");
    return self();
  }

  /** Where the wrapper's meters go (default: a registry of its own, seen by nobody). */
  public B meters(MeterRegistry registry) {
    this.meters = Objects.requireNonNull(registry, "registry");
    return self();
  }

  /**
   * Registers each instance in the group registry (the DynamoDB table of {@link GroupRegistry}, through the store's
   * client) with a heartbeat every 10 s: the group, its streams and the schema versions it validated recently (and
   * what it declares it reads, {@link #contract}), as the console shows them. Needs {@link #schemas(SchemaRegistry)}.
   * Off unless called.
   */
  public B heartbeat(String groupsTable) {
    return heartbeat(groupsTable, Heartbeater.DEFAULT_INTERVAL);
  }

  public B heartbeat(String groupsTable, Duration interval) {
    return heartbeat(groupsTable, interval, GroupRegistry.DEFAULT_ALIVE_FOR);
  }

  /**
   * As {@link #heartbeat(String)}, every {@code interval}; an instance counts as alive for {@code aliveFor} after its
   * last heartbeat (several intervals), which is also how long its registry item is kept.
   */
  public B heartbeat(String groupsTable, Duration interval, Duration aliveFor) {
    this.groupsTable = Objects.requireNonNull(groupsTable, "groupsTable");
    this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
    this.aliveFor = Objects.requireNonNull(aliveFor, "aliveFor");
    return self();
  }

  /**
   * Declares what the group reads, sent with every heartbeat: per CloudEvent type, the JSON pointers into the event
   * its handler relies on ({@code /data/price}; {@code *} for any item or member), and who owns the group and how to
   * reach them. The stream catalog shows it per type and field, and the schema registry answers with it who a
   * proposed schema change affects. Needs {@link #heartbeat(String)}.
   *
   * <p>A contract that breaks its own rules was refused when it was built ({@link ReadContract}); one too big to send
   * ({@link GroupHeartbeat#MAX_CONTRACT_BYTES}) is refused here. When the wrapper starts, a type the schema registry
   * does not know, or a pointer that no version of its type's schema reaches, refuses the start: {@code start()}
   * fails (the Vert.x consumer's Future, the poll loop's call) naming each type and pointer at fault, before anything
   * is consumed.
   */
  public B contract(ReadContract contract) {
    this.contract = GroupHeartbeat.checkedContract(Objects.requireNonNull(contract, "contract"));
    return self();
  }

  /**
   * Applies each event once per group within {@code window}, by CloudEvent id, for a handler that is not naturally
   * idempotent: in this process only, remembering at most {@code maxEntries} ids. At-least-once still holds at the
   * edges (a crash between the handler's success and the mark); see {@link IdempotentHandler}.
   */
  public B dedupInProcess(int maxEntries, Duration window) {
    this.dedup = (vertx, time) -> ProcessedEvents.inProcess(maxEntries, window, time);
    return self();
  }

  /**
   * As {@link #dedupInProcess}, shared by every instance of the group: a conditional put per event into a DynamoDB
   * table (created beforehand with {@link ProcessedEvents#ensureDynamoTable}) through the store's client, kept for
   * {@code window}.
   */
  public B dedupInDynamo(String table, Duration window) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(window, "window");
    this.dedup = (vertx, time) -> ProcessedEvents.inDynamo(vertx, dynamo, table, window, time);
    return self();
  }

  /**
   * Makes each instance replay-aware: it reads its group's active replay from {@code table} (the replays table,
   * {@code sluice.replays.table}, through the store's client) when partitions are assigned and on every lane refresh,
   * flags the events being replayed ({@link ConsumedEvent#replay()}), records how far the group got, and ends the
   * replay once the group has passed its captured end. Off unless called: then nothing is flagged, and a replay
   * started for the group is never seen through.
   */
  public B replays(String table) {
    this.replaysTable = Objects.requireNonNull(table, "table");
    return self();
  }

  /**
   * Appends new QUARANTINED items (poison, rejected, retries used up) to the quarantine log, a Kafka topic, instead of
   * writing each to the store before the partition may move past it: the partition moves at the broker's pace through
   * a poison storm, and an indexer writes the items into the store behind (findable in the console once it has). By
   * default this wrapper runs a member of the indexer group too ({@link LogSettings#runIndexer}). Off unless called:
   * then every item is written to the store first, as before. See {@link QuarantineLog}.
   */
  public B quarantineLog(LogSettings settings) {
    this.quarantineLog = Objects.requireNonNull(settings, "settings");
    return self();
  }

  /**
   * Where the storm breaker keeps its storms ({@link WrapperConfig#stormBreaker}): {@code table}, the storms table
   * ({@code sluice.storms.table}, through the store's client). Each instance reads its group's storms when partitions
   * are assigned and on every lane refresh, so a storm's pause outlives a restart or a rebalance, and an operator's
   * resume or quarantine-all reaches the partition's owner. Required when the breaker is on.
   */
  public B storms(String table) {
    this.stormsTable = Objects.requireNonNull(table, "table");
    return self();
  }

  /**
   * Grants the group the keys of sealed fields, of every stream it reads: its handler sees each value a schema marks
   * {@code "x-sensitive"} in the clear, as the producer sent it, or {@code "sluice:erased"} when its data subject was forgotten. Without this
   * call the group is ungranted: its handler sees each marked value as {@code "sluice:withheld"}, and no key is ever
   * asked for. Either way a record whose sealed fields cannot be unsealed (tampered or moved ciphertext, an unknown key
   * version or key, header and data disagreeing, a marked value in the clear) is quarantined as {@code SEAL_FAILURE},
   * never retried.
   *
   * <p>A key that cannot be had now ({@code KeyUnavailableException}: the key table or the KEK down or slow) holds the
   * event, and its partition, and is tried again with the outage backoff until the keys answer, as a store outage is:
   * nothing is committed past it and nothing is quarantined for it. A {@code KeyAccessDeniedException} (this process
   * may not read the keys, e.g. its IAM role lacks the key table or the KEK) is held the same way: it says nothing
   * about the events, and handing the handler placeholders instead would have a group set up to read the values act
   * on, and commit past, events without them. It is logged as an error on the first try and every tenth, and counted
   * as {@code sluice_consumer_unseals_total{result="access_denied"}}: alert on it. It ends when the process is granted
   * the keys, or when the group is deployed without this call (ungranted).
   *
   * @param keys the process's subject keys, e.g. {@code KeyRing.onDynamo(...)}; the caller keeps and closes them
   */
  public B unsealWith(SubjectKeys keys) {
    return unsealWith(keys, KeyGrant.allStreams());
  }

  /**
   * As {@link #unsealWith(SubjectKeys)}, for the streams {@code grant} covers only: the events of any other stream
   * the group reads are handed over with their marked values as {@code "sluice:withheld"}, as to an ungranted group,
   * and no key of that stream is asked for (so a process allowed only the granted streams' keys is never denied).
   * A grant naming a stream the group does not read opens nothing.
   *
   * @param grant the streams, e.g. {@code KeyGrant.only("payments")}, or {@link KeyGrant#allStreams()}
   */
  public B unsealWith(SubjectKeys keys, KeyGrant grant) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.grant = Objects.requireNonNull(grant, "grant");
    return self();
  }

  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** The handler the wrapper calls with each event: how and on which thread is the wrapper's own. */
  public B handler(H handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return self();
  }

  /** The randomness of the backoff jitter. */
  public B random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return self();
  }

  /** Throws, naming the first missing call, unless everything a wrapper needs was given. */
  void requireComplete() {
    require(kafkaProps, "kafka(properties)");
    require(dynamo, "store(dynamo, table)");
    require(sqs, "queues(sqs, prefix)");
    require(triage, "schemas(registry) or triage(triage)");
    require(handler, "handler(handler)");
    if (groupsTable != null) {
      require(schemas, "schemas(registry) for its heartbeat");
    }
    if (contract != null && groupsTable == null) {
      // Declared but never sent, the contract would silently declare nothing.
      throw new IllegalStateException(wrapper + " declares what it reads (contract), which travels with the group's "
          + "heartbeat: it needs heartbeat(groupsTable) too");
    }
    if (config.stormBreaker().enabled()) {
      require(stormsTable, "storms(table) for its storm breaker");
    }
  }

  private void require(Object value, String call) {
    if (value == null) {
      throw new IllegalStateException(wrapper + " needs " + call);
    }
  }

  /**
   * The parts of a wrapper on {@code vertx} that calls {@code calling}: the handler as the wrapper calls it (the
   * poll loop's runs the blocking handler on its handler threads). After {@link #requireComplete}. With a heartbeat,
   * the triage is one that reports the schema versions it validated with to it; with dedup, the handler is called
   * only for events not marked as applied yet.
   */
  WrapperParts assemble(Vertx vertx, EventHandler calling) {
    Triage judging = triage;
    GroupPresence presence = GroupPresence.none();
    DeclaredReads declared = DeclaredReads.none();
    ConsumerMetrics metrics = new ConsumerMetrics(meters, config.group());
    if (groupsTable != null) {
      SchemaVersionsSeen versionsSeen = SchemaVersionsSeen.withDefaults(clock);
      judging = new Triage(schemas, versionsSeen::record);
      ReadContract declaring = contract == null ? ReadContract.NONE : contract;
      presence = GroupPresence.heartbeating(vertx, new GroupRegistry(vertx, dynamo, groupsTable, aliveFor, clock,
          GroupRegistry.DEFAULT_CALL_TIMEOUT), config, new GroupPresence.Reports(schemas, versionsSeen,
          metrics::worstStalenessByTopic, declaring, metrics.outcomes(), clock), heartbeatInterval);
      declared = DeclaredReads.of(config.group(), declaring, schemas);
    }
    EventHandler handling = calling;
    if (dedup != null) {
      // Checked and marked by CloudEvent id within the group, around the handler's call (at-least-once).
      IdempotentHandler<ConsumedEvent> once = new IdempotentHandler<>(vertx, dedup.apply(vertx, clock),
          IdempotentHandler.Marking.MARK_AFTER_SUCCESS, config.handlerTimeout(),
          event -> EventKey.of(event.group(), event.event().id()), calling::handle);
      handling = once::apply;
    }
    OutageRetry outage = new OutageRetry(vertx, config.outageBackoff(), random, metrics, config.group());
    ConsumerParts parts = new ConsumerParts(vertx, config, judging, new QuarantineStore(vertx, dynamo, table, clock),
        new RetryQueue(vertx, sqs, queuePrefix, clock), new RedriveQueue(vertx, sqs, queuePrefix), metrics,
        new HandlerInvoker(vertx, handling, config, random, metrics, clock),
        new EventUnsealer(Optional.ofNullable(keys).map(k -> new EventUnsealer.Granted(k, grant)), outage, metrics,
            config.group()),
        new Diversions(config, clock, random), outage, clock, replayFlags(vertx),
        new RecordPayloads(vertx, kafkaProps),
        new ConsumerSlots(config.concurrency().perConsumer(), task -> vertx.runOnContext(v -> task.run())),
        stormWatch(vertx),
        Optional.ofNullable(quarantineLog).map(settings -> QuarantineLog.open(vertx, kafkaProps, settings)));
    Optional<QuarantineIndexer> indexer = parts.log().filter(l -> l.settings().runIndexer())
        .map(l -> new QuarantineIndexer(kafkaProps, l.settings(), parts.writes(), meters, clock));
    return new WrapperParts(parts, kafkaProps, presence, declared, indexer);
  }

  /** The group's storms as the wrapper reads them from the storms table, if it was given one. */
  private StormWatch stormWatch(Vertx vertx) {
    return new StormWatch(Optional.ofNullable(stormsTable)
        .map(table -> new StormStore(new WorkerTable(vertx, dynamo, table, clock))), config.group());
  }

  /** The group's replay as the wrapper reads it from the replays table, if it was given one. */
  private ReplayFlags replayFlags(Vertx vertx) {
    return replaysTable == null ? ReplayFlags.none(config.group())
        : ReplayFlags.reading(new ReplayStore(new WorkerTable(vertx, dynamo, replaysTable, clock)), config.group());
  }
}

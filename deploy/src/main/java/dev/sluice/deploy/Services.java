package dev.sluice.deploy;

import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.ingest.seal.EventSealing;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.console.ConsoleParts;
import dev.sluice.console.ConsoleVerticle;
import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.catalog.CatalogKafka;
import dev.sluice.console.config.ConsoleConfig;
import dev.sluice.console.jobs.JobEngines;
import dev.sluice.console.jobs.RedriveJobs;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.console.replay.Replays;
import dev.sluice.console.storm.Storms;
import dev.sluice.console.subject.Subjects;
import dev.sluice.deploy.capture.QuarantineRejectSink;
import dev.sluice.deploy.config.IngressSettings;
import dev.sluice.deploy.config.Part;
import dev.sluice.deploy.config.SluiceConfig;
import dev.sluice.deploy.provision.TopicProvisioner;
import dev.sluice.deploy.provision.TopicProvisioner.StreamTopicSettings;
import dev.sluice.deploy.demo.CatalogBuilderVerticle;
import dev.sluice.crypto.keys.KeyRing;
import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.gateway.GatewayParts;
import dev.sluice.gateway.GatewayVerticle;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.auth.RateLimiter;
import dev.sluice.gateway.capture.RateCappedRejectSink;
import dev.sluice.gateway.capture.RejectSink;
import dev.sluice.gateway.dedup.Deduplicator;
import dev.sluice.gateway.dedup.IdempotencyTable;
import dev.sluice.gateway.producers.ProducerReportVerticle;
import dev.sluice.gateway.producers.ProducerTally;
import dev.sluice.gateway.registry.ContractChecks;
import dev.sluice.gateway.registry.LiveReaders;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.storekit.marks.InProcessMarks;
import dev.sluice.storekit.marks.MarkWindow;
import dev.sluice.storekit.marks.WindowMarks;
import dev.sluice.storekit.dynamo.WorkerTable;
import dev.sluice.storekit.producers.ProducerReports;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.aws.AwsClients;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.replay.ReplayKafka;
import dev.sluice.quarantine.replay.ReplayStore;
import dev.sluice.quarantine.storm.StormStore;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.schemas.registry.log.RegistryLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Deploys Sluice's parts into one Vert.x instance: one verticle per deployable, each with its collaborators passed in
 * and its own meter registry (so each {@code /metrics} shows its own part). The same code runs {@code ./sluice dev},
 * each {@code ./sluice <part>} process, and the integration tests.
 */
public final class Services {
  private static final System.Logger LOG = System.getLogger(Services.class.getName());
  /** The deployable parts. */
  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Map<Part, Integer> ports = new LinkedHashMap<>();

  private Services(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Where each started part listens. */
  public Map<Part, Integer> ports() {
    return Map.copyOf(ports);
  }

  /**
   * @param registryLog the started registry log: every part reads streams and schemas from its registry, and the
   *     gateway also writes through it
   */
  public static Future<Services> start(Vertx vertx, SluiceConfig settings, Set<Part> parts, RegistryLog registryLog) {
    Services s = new Services(vertx);
    SchemaRegistry registry = registryLog.registry();
    Future<Void> chain = Future.succeededFuture();
    // Every part needs DynamoDB now: the gateway for the data subjects' keys (it seals marked values), and the console
    // and the demo consumer for the quarantine.
    DynamoDbClient dynamo = AwsClients.dynamo(settings.aws());
    s.clients.add(dynamo);
    // One key ring per process, shared by its parts: one cache of unwrapped keys, one bound on key calls. Opening it
    // reads (or, in dev, makes) the local KEK file, before any verticle runs.
    Optional<KeyRing> ring = keyRing(vertx, dynamo, settings, s.clients);
    SubjectKeys keys = ring.<SubjectKeys>map(r -> r).orElse(SubjectKeys.NONE);
    if (parts.contains(Part.GATEWAY)) {
      chain = chain.compose(v -> {
        PrometheusMeterRegistry meters = meters();
        GatewayParts gatewayParts = gatewayParts(vertx, settings, registryLog, dynamo, keys, meters);
        // The parts (registry, keys, dedup, capture) are shared by every instance: each is thread-safe, and one
        // dedup store must see every request for a retry to find its original. The instances of one deployment share
        // the listening port and Vert.x round-robins connections between their event loops. Port 0 ("any free port",
        // tests) cannot be shared that way, so it gets one instance.
        int instances = settings.gateway().port() == 0 ? 1 : settings.gateway().instances();
        List<GatewayVerticle> deployed = new java.util.concurrent.CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
              GatewayVerticle gateway = new GatewayVerticle(settings.gateway(), gatewayParts,
                  settings.kafka().clientConfig(), meters);
              deployed.add(gateway);
              return gateway;
            }, new DeploymentOptions().setInstances(instances))
            .map(id -> s.deployed(id, Part.GATEWAY, deployed.get(0).actualPort()))
            .compose(deployedGateway -> settings.producers().reporting()
                ? s.reportProducers(gatewayParts.producers(), settings, dynamo, meters)
                : Future.<Void>succeededFuture());
      });
    }
    if (parts.contains(Part.CONSOLE) || parts.contains(Part.DEMO)) {
      SqsClient sqs = AwsClients.sqs(settings.aws());
      s.clients.add(sqs);
      if (parts.contains(Part.CONSOLE)) {
        // The console appends redriven ingress rejects to their streams with its own producer (built off the event
        // loop); the verticle owns it and closes it when undeployed.
        chain = chain
            .compose(v -> RedriveService.appender(vertx, settings.kafka().clientConfig(),
                RedriveService.DEFAULT_APPEND_TIMEOUT))
            .compose(appender -> {
              PrometheusMeterRegistry meters = meters();
              ConsoleVerticle console = new ConsoleVerticle(settings.console(),
                  consoleParts(vertx, settings, registry, dynamo, sqs, appender, ring, meters), meters);
              return vertx.deployVerticle(console).map(id -> s.deployed(id, Part.CONSOLE, console.actualPort()));
            });
      }
      if (parts.contains(Part.DEMO)) {
        chain = chain.compose(v -> {
          // Granted per sluice.crypto.grants; without a key ring a grant has nothing to open with (said at start-up).
          Optional<CatalogBuilderVerticle.Unsealing> unsealing = settings.grants().of(settings.demo().group())
              .flatMap(grant -> ring.map(r -> new CatalogBuilderVerticle.Unsealing(r, grant)));
          CatalogBuilderVerticle demo = new CatalogBuilderVerticle(settings,
              new CatalogBuilderVerticle.Parts(registry, dynamo, sqs, unsealing), meters());
          return vertx.deployVerticle(demo).map(id -> s.deployed(id, Part.DEMO, demo.actualPort()));
        });
      }
    }
    return chain.map(v -> s).recover(err -> s.stop().transform(ignored -> Future.failedFuture(err)));
  }

  /**
   * One reporter per gateway process, beside its verticles: it writes the tally they share to the producers table
   * every interval, as this instance (a new one at every start). Undeployed with the rest, before the gateway.
   */
  private Future<Void> reportProducers(ProducerTally tally, SluiceConfig settings, DynamoDbClient dynamo,
      MeterRegistry meters) {
    ProducerReports reports = producerReports(vertx, dynamo, settings);
    ProducerReportVerticle reporter = new ProducerReportVerticle(new ProducerReportVerticle.Reporting(tally,
        reports::putNow, settings.producers().reportInterval(), ProducerReportVerticle.newInstanceId()), meters);
    return vertx.deployVerticle(reporter).map(id -> {
      deployments.add(id);
      return null;
    });
  }

  /** The producers table, as the gateway writes it and the console reads it. */
  private static ProducerReports producerReports(Vertx vertx, DynamoDbClient dynamo, SluiceConfig settings) {
    return new ProducerReports(new WorkerTable(vertx, dynamo, settings.producers().table(), Clock.systemUTC()),
        settings.producers().retention());
  }

  /**
   * The process's key ring on the configured key table and KEK; without a KEK (real AWS, none set) no ring at all, so
   * that what needs a key is refused, and said once here.
   */
  private static Optional<KeyRing> keyRing(Vertx vertx, DynamoDbClient dynamo, SluiceConfig settings,
      List<AutoCloseable> clients) {
    if (settings.crypto().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "no key-encryption key is configured (sluice.crypto.kek): events of types "
          + "that mark values sensitive are refused with 503 key-unavailable, and sealed values cannot be opened");
      return Optional.empty();
    }
    KeyRing ring = KeyRing.onDynamo(vertx, dynamo, settings.crypto().get(), Clock.systemUTC());
    clients.add(ring);
    return Optional.of(ring);
  }

  /**
   * The gateway's collaborators, as configured: API keys, dedup store, reject capture, registry writes, key ring, and
   * the tally of what each API key appended, which {@link #reportProducers} reports.
   */
  static GatewayParts gatewayParts(Vertx vertx, SluiceConfig settings, RegistryLog registryLog, DynamoDbClient dynamo,
      SubjectKeys keys, MeterRegistry meters) {
    IngressSettings ingress = settings.ingress();
    IngressSettings.Dedup d = ingress.dedup();
    MarkWindow window = MarkWindow.of(d.window(), Clock.systemUTC());
    WindowMarks<Appended> store = d.store() == IngressSettings.DedupStore.DYNAMODB
        ? IdempotencyTable.MARKS.inDynamo(vertx, dynamo, d.table(), window)
        : new InProcessMarks<>(d.maxEntries(), window);
    IngressSettings.Capture c = ingress.capture();
    RejectSink rejects = RejectSink.NONE;
    if (!c.streams().isEmpty()) {
      QuarantineRejectSink quarantine = new QuarantineRejectSink(
          new QuarantineStore(vertx, dynamo, settings.aws().quarantineTable(), Clock.systemUTC()));
      RejectSink capped = new RateCappedRejectSink(quarantine, c.ratePerSecond(), c.burst(), System::nanoTime, meters)
          .startAtZero(registryLog.registry().catalog().streams().stream().map(st -> st.name())
              .filter(c::appliesTo).toList());
      // Streams not kept are filtered before the cap, so they neither use its budget nor count as captured.
      rejects = e -> c.appliesTo(e.stream()) ? capped.capture(e) : Future.succeededFuture();
    }
    return new GatewayParts(
        registryLog.registry(),
        Optional.of(new GatewayParts.RegistryApi(new RegistryAdmin(registryLog),
            TopicProvisioner.streamTopics(settings.kafka().clientConfig(), StreamTopicSettings.of(settings)),
            ingress.registry().maxSchemaBytes(),
            // The live groups' declared reads come from the groups table their heartbeats keep (a scan on a worker,
            // bounded by its own timeout); if it cannot be read, inform mode answers "affects unknown" and protect
            // mode refuses to register unchecked.
            new ContractChecks(declaredReads(vertx, settings, dynamo), ingress.registry().declaredReads()))),
        new Authorizer(ingress.keys(), new RateLimiter(System::nanoTime)),
        new Deduplicator(store, d.storeTimeout(), meters),
        rejects,
        keys,
        ProducerTally.create());
  }

  /** Who declared they read a type: the live consumer groups in the groups table. */
  private static LiveReaders declaredReads(Vertx vertx, SluiceConfig settings, DynamoDbClient dynamo) {
    GroupRegistry groups = new GroupRegistry(vertx, dynamo, settings.groups().table(), settings.groups().aliveFor(),
        Clock.systemUTC(), Duration.ofSeconds(5));
    return groups::declaredReaders;
  }

  /**
   * The console's collaborators, as configured: the quarantine store, redrive queues, audit log and sessions on their
   * tables, the consumer groups' registry, bulk redrive jobs, replays (whose Kafka client is made on first use),
   * storms, the stream catalog's Kafka reads (its Admin client is made on first use too) and the producers table.
   *
   * <p>Tests that run a console of their own "as Services builds one" call it too.
   *
   * @param appender the console's own producer, which its verticle closes when it stops
   * @param keys the process's key ring, if it has one: a redriven ingress reject is sealed with it, and the admin
   *     forgets data subjects in it; without one, such a reject is refused and the subjects API is absent
   * @param meters the console's meter registry (its jobs' metrics go there)
   */
  public static ConsoleParts consoleParts(Vertx vertx, SluiceConfig settings, SchemaRegistry registry,
      DynamoDbClient dynamo, SqsClient sqs, EventAppender appender, Optional<KeyRing> keys, MeterRegistry meters) {
    ConsoleConfig console = settings.console();
    String queuePrefix = settings.aws().queuePrefix();
    QuarantineStore store = new QuarantineStore(vertx, dynamo, settings.aws().quarantineTable(), Clock.systemUTC());
    AuditLog audit = new AuditLog(vertx, dynamo, console.auditTable(), Clock.systemUTC());
    SealingAppender sealing = new SealingAppender(
        new EventSealing(keys.<SubjectKeys>map(ring -> ring).orElse(SubjectKeys.NONE)), appender);
    ConsoleParts.Redrives redrives = ConsoleParts.Redrives.of(store, new RedriveQueue(vertx, sqs, queuePrefix),
        sealing, registry, ValidationLane.create(vertx), new RecordPayloads(vertx, settings.kafka().clientConfig()));
    GroupRegistry groups = new GroupRegistry(vertx, dynamo, settings.groups().table(), settings.groups().aliveFor(),
        Clock.systemUTC(), Duration.ofSeconds(5));
    RedriveJobs jobs = RedriveJobs.create(vertx, new JobEngines(dynamo, sqs, queuePrefix), console.jobs(),
        console.auth().operatorBulkLimit(), store, redrives.service(), audit, meters);
    Replays replays = new Replays(new ReplayStore(new WorkerTable(vertx, dynamo, settings.replays().table(),
        Clock.systemUTC())), new ReplayKafka(vertx, settings.kafka().clientConfig()), registry, audit);
    Storms storms = new Storms(new StormStore(new WorkerTable(vertx, dynamo, settings.storms().table(),
        Clock.systemUTC())), audit);
    return new ConsoleParts(registry, store, redrives, audit,
        ConsoleParts.Access.of(console.auth(), Sessions.of(vertx, dynamo, console.auth()), audit),
        Optional.of(groups), Optional.of(jobs), Optional.of(replays), Optional.of(storms),
        keys.map(ring -> new Subjects(ring, registry, audit)),
        Optional.of(new CatalogKafka(vertx, settings.kafka().clientConfig())),
        settings.producers().reporting() ? Optional.of(producerReports(vertx, dynamo, settings)) : Optional.empty());
  }

  public static Set<Part> all() {
    return EnumSet.allOf(Part.class);
  }

  private Void deployed(String id, Part part, int port) {
    deployments.add(id);
    ports.put(part, port);
    return null;
  }

  private static PrometheusMeterRegistry meters() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Undeploys in reverse order (the demo stops consuming before the gateway stops appending), then closes clients. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain.eventually(() -> vertx.executeBlocking(() -> {
      for (AutoCloseable c : clients) {
        c.close();
      }
      return null;
    }));
  }
}

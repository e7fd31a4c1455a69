package dev.sluice.console;

import dev.sluice.console.audit.AuditLog;
import dev.sluice.console.auth.AuthSettings;
import dev.sluice.console.auth.LoginThrottle;
import dev.sluice.console.auth.Sessions;
import dev.sluice.console.catalog.CatalogKafka;
import dev.sluice.console.fix.RequeueBehind;
import dev.sluice.console.jobs.RedriveJobs;
import dev.sluice.console.redrive.RedriveService;
import dev.sluice.console.seal.SealedView;
import dev.sluice.console.replay.Replays;
import dev.sluice.console.storm.Storms;
import dev.sluice.console.subject.Subjects;
import dev.sluice.ingest.admit.ValidationLane;
import dev.sluice.ingest.kafka.EventAppender;
import dev.sluice.ingest.seal.SealingAppender;
import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.storekit.producers.ProducerReports;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The console's collaborators, built by the launcher and passed in whole (Strimzi style): the console verticle builds
 * none of them, so tests and production wire the same verticle differently. The verticle adds only what depends on
 * itself (the address it listens on, which sign-ins must come from) and routes requests to thin handlers.
 *
 * @param registry the schema registry as read (streams, schema versions), updated in place by its log
 * @param store the quarantine store: what the API reads, and where operators' discards go
 * @param redrives what moves a quarantined event on: a redrive, a requeue behind its parked items
 * @param audit where operator actions are recorded, served at {@code /api/v1/audit}
 * @param access the login sessions, shared with the other console instances, and the sign-in attempt limits
 * @param groups the consumer groups' heartbeats, served at {@code /api/v1/groups}; absent: that path is 404
 * @param jobs bulk redrive jobs, served at {@code /api/v1/redrives}; absent: 404. The verticle resumes them once it
 *     listens and closes them when it stops
 * @param replays replays of a stream's history to a consumer group, served at {@code /api/v1/replays}; absent: 404.
 *     The verticle closes their Kafka client when it stops
 * @param storms storms the consumers' breakers tripped, served at {@code /api/v1/storms}; absent: 404
 * @param subjects the data subjects' keys, looked up and forgotten at {@code /api/v1/subjects}; absent (no key ring):
 *     404
 * @param catalogKafka what the stream catalog ({@code /api/v1/catalog/streams}) reads from Kafka: a stream's newest
 *     events and the groups with offsets on it; absent: the catalog shows the registry and heartbeats only. The
 *     verticle closes its Kafka client when it stops
 * @param producers the gateways' producer reports, shown on a stream's catalog page as "producers seen"; absent: the
 *     page says they are not read
 */
public record ConsoleParts(
    SchemaRegistry registry,
    QuarantineStore store,
    Redrives redrives,
    AuditLog audit,
    Access access,
    Optional<GroupRegistry> groups,
    Optional<RedriveJobs> jobs,
    Optional<Replays> replays,
    Optional<Storms> storms,
    Optional<Subjects> subjects,
    Optional<CatalogKafka> catalogKafka,
    Optional<ProducerReports> producers) {

  public ConsoleParts {
    // Every part is required (Optional where it may be absent): List.of refuses a null one, at start-up.
    List.of(registry, store, redrives, audit, access, groups, jobs, replays, storms, subjects, catalogKafka, producers);
  }

  /** Without the producer reports: consoles that show no "producers seen" (tests). */
  public ConsoleParts(SchemaRegistry registry, QuarantineStore store, Redrives redrives, AuditLog audit, Access access,
      Optional<GroupRegistry> groups, Optional<RedriveJobs> jobs, Optional<Replays> replays, Optional<Storms> storms,
      Optional<Subjects> subjects, Optional<CatalogKafka> catalogKafka) {
    this(registry, store, redrives, audit, access, groups, jobs, replays, storms, subjects, catalogKafka,
        Optional.empty());
  }

  /**
   * The operator actions that move an event on, the view of an item's sealed values they start from, and the Kafka
   * producer both append with (an ingress reject's redrive,
   * a requeue behind). The verticle owns the producer from here on: it closes it when it stops, or fails to start.
   */
  public record Redrives(RedriveService service, RequeueBehind requeue, EventAppender appender, SealedView view) {
    public Redrives {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(requeue, "requeue");
      Objects.requireNonNull(appender, "appender");
      Objects.requireNonNull(view, "view");
    }

    /**
     * Redrives to the groups' queues on {@code queue}, appends with {@code appender}; a redriven ingress reject is
     * checked as ingest would, validating through {@code lane}, and sealed as ingest would; the payloads of items too
     * big for the store are read back from Kafka with {@code payloads}. A requeue behind appends a record as it was
     * read from its topic, already sealed, so it goes straight to the producer. What an operator is shown of an item
     * is opened with the keys the edits are sealed with ({@code view}).
     */
    public static Redrives of(QuarantineStore store, RedriveQueue queue, SealingAppender appender,
        SchemaRegistry registry, ValidationLane lane, RecordPayloads payloads) {
      return new Redrives(new RedriveService(store, queue, appender, registry, lane, payloads),
          new RequeueBehind(store, appender.appender()), appender.appender(),
          new SealedView(appender.sealing().keys(), registry));
    }
  }

  /** Who is signed in ({@code sessions}), and how often a sign-in may be tried ({@code throttle}). */
  public record Access(Sessions sessions, LoginThrottle throttle) {
    public Access {
      Objects.requireNonNull(sessions, "sessions");
      Objects.requireNonNull(throttle, "throttle");
    }

    /** The sign-in limits {@code auth} configures, counted on the sessions' records; lockouts audited. */
    public static Access of(AuthSettings auth, Sessions sessions, AuditLog audit) {
      return new Access(sessions, LoginThrottle.of(auth.signIn().limits(), sessions, audit));
    }
  }
}

package dev.sluice.gateway;

import dev.sluice.crypto.keys.SubjectKeys;
import dev.sluice.gateway.auth.ApiKeys;
import dev.sluice.gateway.auth.Authorizer;
import dev.sluice.gateway.auth.RateLimiter;
import dev.sluice.gateway.capture.RejectSink;
import dev.sluice.gateway.dedup.Deduplicator;
import dev.sluice.gateway.producers.ProducerTally;
import dev.sluice.gateway.registry.ContractChecks;
import dev.sluice.gateway.registry.StreamTopics;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.log.RegistryAdmin;
import dev.sluice.storekit.marks.InProcessMarks;
import dev.sluice.storekit.marks.MarkWindow;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's collaborators, built by the launcher and passed in whole (Strimzi style): the gateway creates none of
 * them, so tests and production wire the same verticle differently.
 *
 * @param registry the schema registry as read (streams, schema versions), updated in place by its log
 * @param registryApi the write side of the registry for the HTTP API; absent: registry writes answer 404
 * @param authorizer who may call what, and how often
 * @param dedup remembers accepted (source, id) pairs within the dedup window
 * @param rejects where refused events are kept (already rate-capped and filtered by stream)
 * @param keys the data subjects' keys, which seal the values a schema marks sensitive before they are appended
 * @param producers counts the events each API key appended to each stream; shared by the gateway verticles, and
 *     reported by the launcher's {@code ProducerReportVerticle}
 */
public record GatewayParts(
    SchemaRegistry registry,
    Optional<RegistryApi> registryApi,
    Authorizer authorizer,
    Deduplicator dedup,
    RejectSink rejects,
    SubjectKeys keys,
    ProducerTally producers) {

  /**
   * The registry's write side, what provisions a saved stream's topic, the largest body its API accepts, and the live
   * consumer groups' declared reads that proposed schemas are checked against (and whether they are protected).
   */
  public record RegistryApi(RegistryAdmin admin, StreamTopics topics, long maxSchemaBytes, ContractChecks contracts) {
    public RegistryApi {
      Objects.requireNonNull(admin, "admin");
      Objects.requireNonNull(topics, "topics");
      Objects.requireNonNull(contracts, "contracts");
    }

    /** Without declared reads ({@link ContractChecks#NONE}). */
    public RegistryApi(RegistryAdmin admin, StreamTopics topics, long maxSchemaBytes) {
      this(admin, topics, maxSchemaBytes, ContractChecks.NONE);
    }

    public RegistryApi(RegistryAdmin admin, long maxSchemaBytes) {
      this(admin, StreamTopics.NONE, maxSchemaBytes);
    }
  }

  public GatewayParts {
    // Every part is required (Optional where it may be absent): List.of refuses a null one, at start-up.
    List.of(registry, registryApi, authorizer, dedup, rejects, keys, producers);
  }

  /** With a tally of its own, which nothing reports: for gateways whose producers nobody reads (tests). */
  public GatewayParts(SchemaRegistry registry, Optional<RegistryApi> registryApi, Authorizer authorizer,
      Deduplicator dedup, RejectSink rejects, SubjectKeys keys) {
    this(registry, registryApi, authorizer, dedup, rejects, keys, ProducerTally.create());
  }

  /**
   * A gateway on its own: the dev keys, in-process dedup (10 minutes, 100,000 events), no reject capture, no registry
   * writes, no key ring (an event with marked values is refused with 503 {@code key-unavailable}, never appended in
   * the clear), producers counted but not reported. For tests and benchmarks that need only ingest.
   */
  public static GatewayParts standalone(SchemaRegistry registry, MeterRegistry meters) {
    return new GatewayParts(registry, Optional.empty(),
        new Authorizer(ApiKeys.dev(), new RateLimiter(System::nanoTime)),
        new Deduplicator(new InProcessMarks<>(100_000, MarkWindow.of(Duration.ofMinutes(10), Clock.systemUTC())),
            Deduplicator.DEFAULT_STORE_TIMEOUT, meters),
        RejectSink.NONE, SubjectKeys.NONE);
  }
}

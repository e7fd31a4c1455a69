package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.HeartbeatSink;
import dev.sluice.quarantine.groups.Heartbeater;
import dev.sluice.quarantine.groups.OutcomeCounts;
import dev.sluice.quarantine.groups.OutcomeWindow;
import dev.sluice.quarantine.groups.SchemaVersionsSeen;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A wrapped consumer's presence in the group registry: from its start it heartbeats the group, the streams it reads
 * and the schema versions its triage validated with recently, how stale its view of each stream is, and what it
 * declares it reads, and per stream how many records it handled and quarantined since its previous heartbeat, so the
 * console can answer "who consumes this stream, on which versions, how far behind, quarantining how much, relying on
 * which fields?"; a clean stop removes it at once.
 * {@link #none()} when the wrapper was built without a heartbeat.
 */
final class GroupPresence {
  private static final GroupPresence NONE = new GroupPresence(null, null);

  private final Vertx vertx;
  /** Makes the instance's heartbeater once its host name is known; null for no heartbeat. */
  private final Function<String, Heartbeater> onHost;
  /** Set on a Vert.x context once the host is known; read by a stop that may come from the wrapper's caller. */
  private volatile Heartbeater heartbeater;

  private GroupPresence(Vertx vertx, Function<String, Heartbeater> onHost) {
    this.vertx = vertx;
    this.onHost = onHost;
  }

  /** No heartbeat: start and stop do nothing. */
  static GroupPresence none() {
    return NONE;
  }

  /**
   * What each heartbeat reports besides the group and the instance.
   *
   * @param schemas the catalog, to name each topic's stream
   * @param versionsSeen the schema versions the triage validated with
   * @param stalenessByTopic per topic, the worst staleness of the partitions this process owns (read from the
   *     partitions' gauge snapshots: safe from the heartbeater's context)
   * @param contract what the group declares it reads, sent unchanged in every heartbeat
   * @param outcomes per stream, the records handled and quarantined (counted by stream, as the triage names it: the
   *     catalog's stream or the topic, as here)
   * @param clock measures each heartbeat's outcome window
   */
  record Reports(SchemaRegistry schemas, SchemaVersionsSeen versionsSeen,
      Supplier<Map<String, Double>> stalenessByTopic, ReadContract contract, OutcomeCounts outcomes, Clock clock) {
    Reports {
      Objects.requireNonNull(schemas, "schemas");
      Objects.requireNonNull(versionsSeen, "versionsSeen");
      Objects.requireNonNull(stalenessByTopic, "stalenessByTopic");
      Objects.requireNonNull(contract, "contract");
      Objects.requireNonNull(outcomes, "outcomes");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /**
   * Heartbeats into {@code registry} every {@code interval}: the config's group, its topics' streams (looked up at
   * each heartbeat: the catalog may change while the consumer runs), the versions seen, per stream the worst
   * staleness of the partitions this process owns, the read contract, and per stream the records handled and
   * quarantined since the previous heartbeat (none in the first).
   */
  static GroupPresence heartbeating(Vertx vertx, HeartbeatSink registry, WrapperConfig config, Reports reports,
      Duration interval) {
    SchemaRegistry schemas = reports.schemas();
    return new GroupPresence(vertx, host -> {
      String instanceId = GroupHeartbeat.newInstanceId(host);
      // Called by the heartbeater on its context only, once per heartbeat: the window needs no lock.
      OutcomeWindow window = new OutcomeWindow(reports.outcomes());
      return new Heartbeater(vertx, registry, () -> {
        Map<String, Double> staleness = new HashMap<>();
        reports.stalenessByTopic().get().forEach((topic, seconds) ->
            staleness.merge(streamOf(schemas, topic), seconds, Math::max));
        Set<String> streams = config.topics().stream().map(t -> streamOf(schemas, t)).collect(Collectors.toSet());
        return GroupHeartbeat.of(config.group(), instanceId, host, streams, reports.versionsSeen().snapshot(),
            staleness).withContract(reports.contract())
            .withOutcomes(window.next(streams, reports.clock().millis()));
      }, interval);
    });
  }

  /** The stream of a topic in the catalog, or the topic itself for one outside it. */
  private static String streamOf(SchemaRegistry schemas, String topic) {
    return schemas.catalog().streamForTopic(topic).map(StreamDefinition::name).orElse(topic);
  }

  /**
   * Sends the first heartbeat, and the next ones on a timer. Completes when the first one is done, successful or not:
   * a failed first heartbeat is retried by the heartbeater on its timer; it never stops the consumer.
   */
  Future<Void> start() {
    if (onHost == null) {
      return Future.succeededFuture();
    }
    // The host name may need a DNS lookup: a worker finds it, never the event loop.
    return vertx.executeBlocking(GroupHeartbeat::localHost, false).compose(host -> {
      Heartbeater started = onHost.apply(host);
      heartbeater = started;
      return started.start().recover(err -> Future.succeededFuture());
    });
  }

  /** Stops heartbeating and removes the instance from the registry (if that fails, its item expires). */
  Future<Void> stop() {
    Heartbeater h = heartbeater;
    return h == null ? Future.succeededFuture() : h.stop();
  }
}

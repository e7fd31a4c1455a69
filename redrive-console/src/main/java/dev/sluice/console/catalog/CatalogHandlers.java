package dev.sluice.console.catalog;

import dev.sluice.console.auth.Redaction;
import dev.sluice.console.problem.ConsoleError;
import dev.sluice.console.problem.Problems;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.RegistryState;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.storekit.producers.ProducerReports;
import dev.sluice.storekit.producers.ProducersSeen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The stream catalog, for any signed-in role: {@code GET /api/v1/catalog/streams} lists the streams with their label
 * and types, {@code GET /api/v1/catalog/streams/{name}} shows one with its schema versions and their changes, the newest
 * events of its topic (masked for viewers, never unsealed), the consumer groups reading it, with their lag, and the
 * API keys the gateways appended its events for, with their rates ({@link ProducersJson}).
 *
 * <p>The registry's part is always there. What Kafka, the heartbeats and the producer reports add is fetched at once,
 * each off the event loop and bounded in time; whatever does not answer is left out and {@code notes} says so, so the
 * page never waits on an engine that is away and never fails for it.
 */
public final class CatalogHandlers {
  public static final String API = "/api/v1/catalog/streams";
  /** Events shown from the end of a stream's topic. */
  public static final int SAMPLES = 5;

  private final SchemaRegistry registry;
  private final Optional<GroupRegistry> groups;
  private final Optional<CatalogKafka> kafka;
  private final Optional<ProducerReports> producers;

  public CatalogHandlers(SchemaRegistry registry, Optional<GroupRegistry> groups, Optional<CatalogKafka> kafka,
      Optional<ProducerReports> producers) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.groups = Objects.requireNonNull(groups, "groups");
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    this.producers = Objects.requireNonNull(producers, "producers");
  }

  public void install(Router router) {
    router.get(API).handler(this::list);
    router.get(API + "/:name").handler(this::get);
  }

  void list(RoutingContext ctx) {
    RegistryState state = registry.state();
    bounded(groups.map(GroupRegistry::list)).onComplete(heard -> {
      JsonArray notes = new JsonArray();
      Map<String, Integer> reading = new HashMap<>();
      if (heard.succeeded()) {
        heard.result().forEach(g -> g.streams().forEach(s -> reading.merge(s, 1, Integer::sum)));
      } else {
        notes.add(heartbeatsNote());
      }
      JsonArray streams = new JsonArray();
      for (StreamDefinition s : state.catalog().streams()) {
        streams.add(CatalogJson.summary(s, state, heard.succeeded()
            ? OptionalInt.of(reading.getOrDefault(s.name(), 0)) : OptionalInt.empty()));
      }
      ctx.json(new JsonObject().put("streams", streams).put("notes", notes));
    });
  }

  void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    RegistryState state = registry.state();
    Optional<StreamDefinition> found = state.stream(name);
    if (found.isEmpty()) {
      Problems.send(ctx, new ConsoleError.UnknownStream(name));
      return;
    }
    StreamDefinition stream = found.get();
    Redaction redaction = Redaction.of(ctx);
    Future<List<CatalogKafka.TailRecord>> tail = bounded(kafka.map(k -> k.tail(stream.topic(), SAMPLES)));
    Future<List<CatalogKafka.TopicReader>> readers = bounded(kafka.map(k -> k.readers(stream.topic())));
    // Every live group: those reading the stream are its readers; those declaring reads of its types, whichever
    // stream they read them on, are who a change of those types' schemas affects.
    Future<List<GroupView>> heartbeats = bounded(groups.map(GroupRegistry::list));
    Future<ProducersSeen> seen = bounded(producers.map(p -> p.seenOn(name)));
    // join: every one settles (each is bounded), whatever the others do.
    Future.join(tail, readers, heartbeats, seen).onComplete(done -> {
      JsonObject out = CatalogJson.detail(stream, state,
          heartbeats.succeeded() ? Optional.of(heartbeats.result()) : Optional.empty());
      JsonArray notes = new JsonArray();
      JsonArray samples = new JsonArray();
      if (tail.succeeded()) {
        tail.result().forEach(r -> samples.add(SampleJson.of(r, redaction, state)));
      } else {
        notes.add(kafka.isEmpty() ? "this console reads no Kafka: no sample events"
            : "Kafka did not answer in time: the sample events are not shown; reload to try again");
      }
      if (readers.failed()) {
        notes.add(kafka.isEmpty() ? "this console reads no Kafka: consumer groups that do not heartbeat and lag are "
            + "not shown" : "Kafka did not answer in time: consumer groups that do not heartbeat, and every group's "
            + "lag, are not shown");
      }
      if (heartbeats.failed()) {
        notes.add(heartbeatsNote());
      }
      out.put("samples", samples)
          .put("groups", ReadersJson.of(stream.name(), heartbeats.succeeded()
                  ? heartbeats.result().stream().filter(g -> g.consumes(name)).toList() : List.of(),
              stream.types().keySet(), readers.succeeded() ? Optional.of(readers.result()) : Optional.empty()))
          .put("notes", notes);
      producersSeen(out, seen, notes);
      ctx.json(out);
    });
  }

  /** "Producers seen": the API keys whose events the gateways appended to the stream, or a note why not shown. */
  private void producersSeen(JsonObject out, Future<ProducersSeen> seen, JsonArray notes) {
    out.put("producers", seen.succeeded() ? ProducersJson.of(seen.result()) : new JsonArray());
    if (seen.failed()) {
      notes.add(producers.isEmpty() ? "this console reads no producer reports: the producers seen are not shown"
          : "the producers table did not answer in time or could not be read: the producers seen are not shown");
    }
  }

  private String heartbeatsNote() {
    return groups.isEmpty() ? "this console reads no consumer-group heartbeats: wrapped groups, and what groups "
        + "declare they read, are not shown"
        : "the consumer-group registry did not answer in time: the groups' heartbeats, and what they declare they "
        + "read, are not shown";
  }

  /**
   * The call, bounded by {@link CatalogKafka#DEADLINE} here too (the group registry bounds its own calls, but the
   * catalog's answer must not depend on it); absent: a failed future, which the answer notes.
   */
  private static <T> Future<T> bounded(Optional<Future<T>> call) {
    return call.map(f -> f.timeout(CatalogKafka.DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
        .orElseGet(() -> Future.failedFuture("absent"));
  }
}
